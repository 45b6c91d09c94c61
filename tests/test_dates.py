"""Dates and times: Dutch on Dutch pages, British on English pages, always Amsterdam time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import ModuleType
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from marketplace.templating import moment, nl_date, nl_datetime

DAY = date(2026, 11, 30)
AT = datetime(2026, 11, 30, 13, 5, tzinfo=UTC)  # 14:05 in Amsterdam (winter time)


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", {"date": "30 nov 2026", "long": "30 november 2026", "short": "30-11-2026",
            "datetime": "30 nov 2026, 14:05", "datetime_short": "30-11-2026, 14:05",
            "moment": "30 november 2026 om 14:05"}),
    ("en", {"date": "30 Nov 2026", "long": "30 November 2026", "short": "30/11/2026",
            "datetime": "30 Nov 2026, 14:05", "datetime_short": "30/11/2026, 14:05",
            "moment": "30 November 2026 at 14:05"}),
])
def test_date_filters_follow_the_language(app: Flask, language: str,
                                          expected: dict[str, str]) -> None:
    with app.test_request_context("/"), force_locale(language):
        assert nl_date(DAY) == expected["date"]
        assert nl_date(DAY, "long") == expected["long"]
        assert nl_date(DAY, "short") == expected["short"]
        assert nl_datetime(AT) == expected["datetime"]
        assert nl_datetime(AT, "short") == expected["datetime_short"]
        assert moment(AT) == expected["moment"]
        assert nl_date(None) == nl_datetime(None) == moment(None) == ""


def test_english_times_are_amsterdam_times(app: Flask) -> None:
    late = datetime(2025, 7, 1, 22, 30, tzinfo=UTC)  # already 2 July in Amsterdam (summer)
    with app.test_request_context("/"), force_locale("en"):
        assert nl_datetime(late) == "2 Jul 2025, 00:30"
        assert nl_date(late) == "2 Jul 2025"
        assert nl_datetime(datetime(2025, 7, 1, 22, 30)) == "2 Jul 2025, 00:30"  # naive = UTC


def test_an_english_page_shows_british_dates(app: Flask, db, login) -> None:  # type: ignore[no-untyped-def]
    from marketplace.models import Role
    from tests import factories

    resident = factories.user(Role.RESIDENT, locale="en")
    help_request = factories.help_request(requester=resident, date_start=DAY)
    db.session.commit()
    page = login(resident).get(f"/requests/{help_request.id}").text
    assert "30 Nov 2026" in page
    assert "Nov 30, 2026" not in page


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str) -> list[Any]:
    """Replace ``module.name`` by itself, noting the first argument of every call."""
    calls: list[Any] = []
    real = getattr(module, name)

    def counted(value: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(value)
        return real(value, *args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_date_is_formatted_once_per_language(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Babel formats a given date once per format and language; pages repeat few dates."""
    from babel import dates

    calls = _count_calls(monkeypatch, dates, "format_date")
    day = date(2031, 5, 17)
    with app.test_request_context("/"):
        assert [nl_date(day) for _ in range(3)] == ["17 mei 2031"] * 3
        with force_locale("en"):
            assert [nl_date(day) for _ in range(3)] == ["17 May 2031"] * 3
    assert calls == [day, day]


def test_numbers_follow_the_language_and_are_formatted_once(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The number filters write the active language's separators; Babel formats a given
    number once per pattern and language (cards repeat the same few distances)."""
    from babel import numbers

    from marketplace.templating import decimal1, decimal2, number, percent

    calls = _count_calls(monkeypatch, numbers, "format_decimal")
    with app.test_request_context("/"):
        assert [decimal1(1234.25) for _ in range(3)] == ["1.234,2"] * 3
        assert (decimal2(3.5), number(1.5), percent(0.0412), decimal1(None)) == (
            "3,50", "1,5", "0,041%", "")
        with force_locale("en"):
            assert [decimal1(1234.25) for _ in range(3)] == ["1,234.2"] * 3
    assert calls.count(1234.25) == 2
