"""The load test's verdict uses the issue's targets: p95 under 200 ms, a login under 500 ms."""

from __future__ import annotations

from scripts.loadtest import print_table


def _row(name: str, p95: int, failures: int = 0) -> dict[str, str]:
    return {"Name": name, "Request Count": "10", "Failure Count": str(failures),
            "Requests/s": "1.0", "50%": "10", "95%": str(p95), "99%": str(p95)}


def test_a_login_may_take_up_to_half_a_second_other_pages_not() -> None:
    aggregated = _row("Aggregated", 450)
    assert print_table([_row("POST /auth/login", 420), _row("GET /requests/", 190), aggregated])
    assert not print_table([_row("POST /auth/login", 520), aggregated])
    assert not print_table([_row("GET /matches/open", 210), aggregated])


def test_a_failed_request_fails_the_run() -> None:
    assert not print_table([_row("GET /requests/", 10, failures=1), _row("Aggregated", 10)])
