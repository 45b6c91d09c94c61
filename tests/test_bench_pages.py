"""`make bench-pages` weighs the pages as the load test asks them, read from the locustfile."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.bench_pages import mix, read_dumps


def test_the_weights_come_from_the_locustfile() -> None:
    rates = mix()
    # Residents (3) list 5, open 3, post 1 of 9; volunteers (3) read /matches/mine 4 + 1
    # (before an accept) and open 3 of 8; coordinators (1) ask five pages (3, 3, 2, 1, 2).
    assert rates["/requests/"] == pytest.approx(3 * 5 / 9)
    assert rates["/matches/mine"] == pytest.approx(3 * 5 / 8)
    assert rates["/staff/requests/<id>"] == pytest.approx(2 / 11)
    assert len(rates) == 10


def test_a_new_task_in_the_locustfile_must_name_its_page(tmp_path: Path) -> None:
    locustfile = tmp_path / "locustfile.py"
    locustfile.write_text(
        "class Volunteer(LoggedInUser):\n"
        "    weight = 3\n\n"
        "    @task(2)\n"
        "    def my_matches(self): ...\n\n"
        "    @task\n"
        "    def read_agenda(self): ...\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="Volunteer.read_agenda has no page"):
        mix(locustfile)


def test_instruction_counts_are_read_per_page_in_page_order(tmp_path: Path) -> None:
    out = tmp_path / "callgrind.out"
    out.write_text("summary: 5\n", encoding="utf-8")  # what ran after the last page
    for number, count in ((1, 2000), (0, 1000), (10, 3000)):  # written in any order
        (tmp_path / f"callgrind.out.{number + 1}").write_text(
            "# callgrind format\nversion: 1\n"
            f"desc: Trigger: dump page{number}\n"
            f"events: Ir\nsummary: {count}\n", encoding="utf-8")
    assert read_dumps(out) == [1000, 2000, 3000]
