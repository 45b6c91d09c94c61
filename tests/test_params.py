"""Query parameters: plain ASCII numbers in range and known choices, else the default and
one message."""

from __future__ import annotations

import pytest
from flask import Flask, get_flashed_messages
from hypothesis import given
from hypothesis import strategies as st

from marketplace import params


@pytest.mark.parametrize("raw", [
    "²", "٣", "１２", "߁", "-1", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "1_000", "", "abc",
    "99999999999999999999", "2147483648",
])
def test_parse_int_refuses_what_is_not_a_plain_number_in_range(raw: str) -> None:
    assert params.parse_int(raw, 1, params.MAX_DATABASE_ID) is None


@given(st.text(max_size=25))
def test_parse_int_never_raises_and_stays_in_range(raw: str) -> None:
    number = params.parse_int(raw, 1, 1000)
    assert number is None or (1 <= number <= 1000 and raw == str(int(raw)).zfill(len(raw)))


def test_parse_int_takes_ascii_digits() -> None:
    assert params.parse_int("7", 1, 10) == 7
    assert params.parse_int("007", 1, 10) == 7
    assert params.parse_int(str(params.MAX_DATABASE_ID), 1, params.MAX_DATABASE_ID) is not None
    assert params.parse_int("0", 1, 10) is None
    assert params.parse_int("11", 1, 10) is None


def _read(app: Flask, query: str, read):  # type: ignore[no-untyped-def]
    with app.test_request_context(f"/?{query}"):
        return read(), get_flashed_messages()


def test_int_arg(app: Flask) -> None:
    assert _read(app, "n=5", lambda: params.int_arg("n", 1)) == (5, [])
    assert _read(app, "", lambda: params.int_arg("n", 1)) == (1, [])
    assert _read(app, "n=", lambda: params.int_arg("n", 1)) == (1, [])
    assert _read(app, "n=²", lambda: params.int_arg("n", 1)) == (1, [params.FILTER_IGNORED])
    assert _read(app, "n=²", lambda: params.int_arg("n", message=None)) == (None, [])


def test_page_arg(app: Flask) -> None:
    assert _read(app, "page=3", params.page_arg) == (3, [])
    for bad in ("0", "-1", "٣", str(params.MAX_PAGE + 1)):
        assert _read(app, f"page={bad}", params.page_arg) == (1, [params.PAGE_IGNORED]), bad


def test_id_arg(app: Flask) -> None:
    def read():  # type: ignore[no-untyped-def]
        return params.id_arg("wijk", {3, 4}, default=4)

    assert _read(app, "", read) == (4, [])
    assert _read(app, "wijk=3", read) == (3, [])
    assert _read(app, "wijk=", read) == (None, [])
    assert _read(app, "wijk=all", read) == (None, [])
    for bad in ("5", "²", "99999999999999999999", "x"):
        assert _read(app, f"wijk={bad}", read) == (None, [params.FILTER_IGNORED]), bad


def test_choice_arg(app: Flask) -> None:
    def read():  # type: ignore[no-untyped-def]
        return params.choice_arg("status", ("open", "done"), default="open")

    assert _read(app, "status=done", read) == ("done", [])
    assert _read(app, "", read) == ("open", [])
    assert _read(app, "status=DONE", read) == (None, [params.FILTER_IGNORED])


def test_one_message_however_many_parameters_were_wrong(app: Flask) -> None:
    def read():  # type: ignore[no-untyped-def]
        return params.int_arg("a"), params.int_arg("b"), params.choice_arg("c", ())

    assert _read(app, "a=x&b=y&c=z", read) == ((None, None, None), [params.FILTER_IGNORED])


def test_text_arg(app: Flask) -> None:
    assert _read(app, "q=%20%20Jan%20", lambda: params.text_arg("q", 100)) == ("Jan", [])
    assert _read(app, "q=" + "x" * 500, lambda: params.text_arg("q", 100)) == ("x" * 100, [])
