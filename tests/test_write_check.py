"""The load test's write check (scripts/write_check.py) proves or refutes 'no write lost'."""

from __future__ import annotations

from scripts.write_check import Ledger, check

LEDGER = """
sent post a
ok post a
sent post b
failed post b
sent post c
sent post d
sent accept 7
ok accept 7
"""


def test_every_acknowledged_write_saved_and_in_flight_reported_apart() -> None:
    result = check("post", Ledger.parse(LEDGER.splitlines()), ["a", "c"])
    assert result.good
    assert result.acknowledged == 1
    assert result.in_flight_saved == {"c"}
    assert result.in_flight_absent == {"d"}
    assert "in flight at stop: 1 saved, 1 not saved" in result.summary()


def test_lost_unexplained_duplicated_and_failed_but_saved_writes_fail_the_check() -> None:
    ledger = Ledger.parse(LEDGER.splitlines())
    assert check("post", ledger, []).lost == {"a"}
    assert check("post", ledger, ["a", "x"]).unexplained == {"x"}
    assert check("post", ledger, ["a", "a"]).duplicated == {"a"}
    assert check("post", ledger, ["a", "b"]).failed_but_saved == {"b"}
    for stored in ([], ["a", "x"], ["a", "a"], ["a", "b"]):
        assert not check("post", ledger, stored).good
    assert check("accept", ledger, ["7"]).good
    assert not check("accept", ledger, []).good
