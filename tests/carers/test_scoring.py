"""The overload check's scoring: its thresholds (marketplace/data/carer_check.json), edges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marketplace.carers import scoring
from marketplace.carers.scoring import LIGHT, OVERLOADED, RAISED, Rules, score

AREAS = scoring.rules().areas


def answers(*values: int) -> dict[str, int]:
    """Answers for the eight areas; fewer values repeat the last one."""
    padded = list(values) + [values[-1]] * (len(AREAS) - len(values))
    return dict(zip(AREAS, padded, strict=True))


def test_the_shipped_rules() -> None:
    rules = scoring.rules()
    assert len(rules.areas) == 8
    assert (rules.total_min, rules.total_max) == (8, 40)
    assert (rules.area_high, rules.total_raised, rules.total_overloaded) == (4, 20, 28)
    assert (rules.felt_raised, rules.felt_overloaded) == (3, 4)


def test_all_ones_is_light_without_follow_up() -> None:
    outcome = score(answers(1), 1)
    assert (outcome.total, outcome.level, outcome.needs_follow_up) == (8, LIGHT, False)
    assert outcome.burden_level == 0


@pytest.mark.parametrize(("values", "total", "level"), [
    ((3, 3, 3, 2, 2, 2, 2, 2), 19, LIGHT),  # one below "raised"
    ((3, 3, 3, 3, 2, 2, 2, 2), 20, RAISED),  # exactly "raised"
    ((3, 3, 3, 3, 3, 3, 3, 3), 24, RAISED),
    ((3, 3, 3, 3, 3, 3, 3, 2), 23, RAISED),
])
def test_total_thresholds(values: tuple[int, ...], total: int, level: str) -> None:
    outcome = score(answers(*values), 1)
    assert (outcome.total, outcome.level) == (total, level)
    assert outcome.needs_follow_up is False  # no high area, not overloaded


def test_a_total_of_28_is_overloaded_with_a_follow_up() -> None:
    below = score(answers(3), 2)  # 24, no area high
    assert below.level == RAISED
    assert not below.needs_follow_up
    at = score(answers(4, 4, 4, 4, 3, 3, 3, 3), 1)  # 28
    assert (at.total, at.level, at.needs_follow_up) == (28, OVERLOADED, True)
    assert at.burden_level == 2


def test_one_high_area_raises_and_opens_a_follow_up_even_with_a_low_total() -> None:
    outcome = score(answers(4, 1), 1)  # total 11
    assert outcome.level == RAISED
    assert outcome.high_areas == (AREAS[0],)
    assert outcome.needs_follow_up is True
    just_below = score(answers(3, 1), 1)
    assert just_below.high_areas == ()
    assert not just_below.needs_follow_up


@pytest.mark.parametrize(("felt", "level", "follow_up"), [
    (2, LIGHT, False), (3, RAISED, False), (4, OVERLOADED, True), (5, OVERLOADED, True),
])
def test_the_ggd_question_alone(felt: int, level: str, follow_up: bool) -> None:
    outcome = score(answers(1), felt)
    assert (outcome.level, outcome.needs_follow_up) == (level, follow_up)


def test_all_fives_is_the_maximum() -> None:
    outcome = score(answers(5), 5)
    assert (outcome.total, outcome.level, len(outcome.high_areas)) == (40, OVERLOADED, 8)


@pytest.mark.parametrize("bad", [
    {"care_tasks": 1},  # missing areas
    {**{area: 1 for area in AREAS}, "extra": 1},
    {**{area: 1 for area in AREAS}, "money": 0},
    {**{area: 1 for area in AREAS}, "money": 6},
])
def test_incomplete_or_out_of_scale_answers_are_refused(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="answer|1..5"):
        score(bad, 1)
    with pytest.raises(ValueError, match="1..5"):
        score(answers(1), 6)


def test_thresholds_are_data(tmp_path: Path) -> None:
    config = json.loads(scoring.CONFIG_PATH.read_text(encoding="utf-8"))
    config["total_raised"] = 10
    path = tmp_path / "check.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    rules = scoring.rules(path)
    assert score(answers(2, 2, 1), 1, rules).level == RAISED  # total 10
    assert score(answers(2, 2, 1), 1).level == LIGHT


def test_inconsistent_thresholds_are_refused(tmp_path: Path) -> None:
    config = json.loads(scoring.CONFIG_PATH.read_text(encoding="utf-8"))
    config["total_raised"] = 30  # above "overloaded"
    path = tmp_path / "check.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ValueError, match="totals"):
        scoring.rules(path)


def test_rules_is_a_plain_value() -> None:
    assert isinstance(scoring.rules(), Rules)
