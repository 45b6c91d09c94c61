"""The back office's lists say what they show and what their filter hides, with a link that
clears it; the dashboard's count and the queue agree; urgency and statuses read as words."""

from __future__ import annotations

import re

import pytest

from marketplace.models import MatchingRound, RequestStatus, Role, RoundStatus
from tests import factories


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", html))


@pytest.fixture
def coordinator_in_oost(db, login):  # type: ignore[no-untyped-def]
    """A coordinator of Oost: one request waits in Oost, three in Centrum."""
    account = factories.user(Role.COORDINATOR, neighbourhood=factories.neighbourhood("Oost"))
    factories.help_request(title="Vraag in Oost", pc4="1221",
                           neighbourhood=factories.neighbourhood("Oost"))
    for number in range(3):
        factories.help_request(title=f"Vraag in het centrum {number}")
    db.session.commit()
    login(account)
    return account


def test_the_queue_says_its_default_filter_hides_most_requests(
    client, coordinator_in_oost
) -> None:
    text = client.get("/staff/queue").text
    words = visible(text)
    assert "Getoond: 1 van 4 wachtende aanvragen." in words
    assert "Wijk Oost (uw eigen wijk)" in words
    assert "U ziet standaard alleen uw eigen wijk." in words
    assert 'href="/staff/queue?wijk="' in text
    assert "Vraag in het centrum" not in text


def test_clearing_the_filter_shows_every_waiting_request(client, coordinator_in_oost) -> None:
    words = visible(client.get("/staff/queue?wijk=").text)
    assert "Getoond: 4 van 4 wachtende aanvragen." in words
    assert "Filter wissen" not in words
    assert "Vraag in het centrum 2" in words


def test_the_dashboard_count_and_the_queue_agree(client, coordinator_in_oost) -> None:
    text = client.get("/staff/").text
    words = visible(text)
    assert "Nieuwe aanvragen beoordelen : 4 wachten" in words
    assert "1 in uw wijk Oost" in words
    assert 'href="/staff/queue?wijk="' in text  # the 4 lead to a queue with all 4
    assert "Getoond: 4 van 4" in visible(client.get("/staff/queue?wijk=").text)


def test_a_chosen_neighbourhood_is_named_but_not_as_a_default(
    client, coordinator_in_oost
) -> None:
    centrum = factories.neighbourhood("Centrum")
    words = visible(client.get(f"/staff/queue?wijk={centrum.id}").text)
    assert "Getoond: 3 van 4 wachtende aanvragen." in words
    assert "Wijk Centrum" in words
    assert "uw eigen wijk" not in words.replace("Wijk Centrum", "")
    assert "standaard" not in words


def test_the_request_list_names_status_and_neighbourhood(client, db, coordinator_in_oost) -> None:
    factories.help_request(title="Klaar in het centrum", status=RequestStatus.DONE)
    db.session.commit()
    centrum = factories.neighbourhood("Centrum")
    text = client.get("/staff/requests", query_string={"wijk": centrum.id, "status": "done"}).text
    words = visible(text)
    assert "Getoond: 1 van 5 aanvragen." in words
    assert "Wijk Centrum" in words
    assert "Status: Klaar" in words
    assert "Filter wissen: alles tonen" in words
    assert 'href="/staff/requests?wijk="' in text


def test_the_volunteer_list_searches_by_name_skill_and_neighbourhood(
    client, db, coordinator_in_oost
) -> None:
    factories.volunteer_profile(skills=("boodschappen",)).user.name = "Ria Ramaker"
    factories.volunteer_profile(skills=("vervoer",)).user.name = "Joël Rijder"
    factories.volunteer_profile(pc4="1221").user.name = "Oscar Oost"
    db.session.commit()
    everyone = {"wijk": ""}
    assert "Getoond: 3 van 3 vrijwilligers." in visible(
        client.get("/staff/volunteers", query_string=everyone).text)
    by_name = visible(client.get("/staff/volunteers", query_string={**everyone, "q": "joel"}).text)
    assert "Joël Rijder" in by_name
    assert "Ria Ramaker" not in by_name
    assert "Getoond: 1 van 3 vrijwilligers." in by_name
    assert "Zoekwoorden: joel" in by_name
    by_skill = visible(client.get("/staff/volunteers",
                                  query_string={**everyone, "q": "boodschap"}).text)
    assert "Ria Ramaker" in by_skill
    assert "Joël Rijder" not in by_skill
    by_place = visible(client.get("/staff/volunteers",
                                  query_string={**everyone, "q": "centrum"}).text)
    assert "Ria Ramaker" in by_place
    assert "Oscar Oost" not in by_place
    default = client.get("/staff/volunteers").text
    assert "U ziet standaard alleen uw eigen wijk." in default
    assert 'type="search"' in default


def test_urgency_reads_as_words(client, db, coordinator_in_oost) -> None:
    urgent = factories.help_request(title="Dringend", urgency=3)
    db.session.commit()
    queue = visible(client.get("/staff/queue?wijk=").text)
    assert "Zo snel mogelijk" in queue
    assert "Kan wachten" in queue
    assert re.search(r"<td>\s*[123]\s*</td>", client.get("/staff/queue?wijk=").text) is None
    detail = visible(client.get(f"/staff/requests/{urgent.id}").text)
    assert "Hoe snel Zo snel mogelijk" in detail


def test_a_finished_round_reads_done_in_words(client, db, coordinator_in_oost) -> None:
    finished = MatchingRound(dry_run=True, status=RoundStatus.DONE, stats={}, unmatched={})
    db.session.add(finished)
    db.session.commit()
    for url in ("/matches/rounds", f"/matches/rounds/{finished.id}"):
        words = visible(client.get(url).text)
        assert "Klaar" in words, url
        assert not re.search(r"\b(done|completed)\b", words), url


def test_the_concern_list_names_its_filter_and_clears_it(client, db, coordinator_in_oost) -> None:
    from marketplace.models import Concern, ConcernStatus

    oost = factories.neighbourhood("Oost")
    centrum = factories.neighbourhood("Centrum")
    db.session.add_all([
        Concern(message="In Oost", neighbourhood_id=oost.id),
        Concern(message="In het centrum", neighbourhood_id=centrum.id),
        Concern(message="Afgehandeld", neighbourhood_id=oost.id, status=ConcernStatus.HANDLED),
    ])
    db.session.commit()
    text = client.get("/concerns/").text
    words = visible(text)
    assert "Getoond: 1 van 3 zorgmeldingen." in words
    assert "Wijk Oost (uw eigen wijk)" in words
    assert "Status: Open" in words
    assert 'href="/concerns/?wijk=all&amp;status=all"' in text
    assert "Getoond: 3 van 3 zorgmeldingen." in visible(
        client.get("/concerns/?wijk=all&status=all").text)
