"""The round page explains each proposal in words and keeps the points behind a disclosure."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from marketplace.models import Feedback, Match, MatchStatus, RequestStatus, utcnow
from marketplace.rounds import services as rounds
from tests import factories
from tests.matches.helpers import coordinator, make_volunteer, open_request

DISCLOSURE = re.compile(
    r"<details[^>]*>\s*<summary>(?P<summary>[^<]+)</summary>\s*<table.*?</table>\s*</details>",
    re.S,
)


def _round_with_history(db):
    """Two proposals: paperwork (VOG needed, waiting 9 days) for a resident whom the nearer
    VOG volunteer helped before (rated 5), and shopping by a volunteer without history."""
    resident = factories.user()
    helper = make_volunteer(skills=("administratie",), vog_status="valid")
    make_volunteer(skills=("administratie",), pc4="1212", vog_status="valid")
    earlier = open_request(requester=resident, category_slug="administratie",
                           status=RequestStatus.DONE)
    done = Match(help_request=earlier, volunteer=helper, status=MatchStatus.COMPLETED)
    db.session.add(done)
    db.session.flush()
    db.session.add(Feedback(match=done, author_id=resident.id, rating=5))
    paperwork = open_request(requester=resident, category_slug="administratie",
                             title="Hulp bij formulieren",
                             opened_at=utcnow() - timedelta(days=9, hours=2))
    shopper = make_volunteer(pc4="1212")
    shopping = open_request(title="Boodschappen halen")
    matching_round = rounds.run_round(coordinator(), None, dry_run=True)
    db.session.commit()
    return matching_round, helper, shopper, paperwork, shopping


def _card(page: str, match: Match) -> str:
    """The match's card: from its id to the next card or the end of the proposals."""
    start = page.index(f'id="match-{match.id}"')
    ends = [page.find(marker, start) for marker in ('<li class="card"', "</section>")]
    return page[start:min(end for end in ends if end > 0)]


def _match(db, help_request) -> Match:
    return db.session.scalar(sa.select(Match).where(Match.help_request_id == help_request.id))


def test_the_round_stores_the_facts_the_words_need(db):
    _round, helper, shopper, paperwork, shopping = _round_with_history(db)
    chosen = _match(db, paperwork)
    assert chosen.volunteer_id == helper.id
    assert chosen.explanation["previous_rating"] == 5.0
    assert chosen.explanation["requires_vog"] is True
    assert chosen.explanation["requires_training"] is False
    assert chosen.explanation["waiting_days"] == 9
    assert chosen.explanation["recent_matches"] == 1  # the completed match
    plain = _match(db, shopping)
    assert plain.volunteer_id == shopper.id
    assert plain.explanation["previous_rating"] is None
    assert plain.explanation["requires_vog"] is False
    assert plain.explanation["waiting_days"] == 0
    assert plain.explanation["recent_matches"] == 0


def test_each_proposal_is_explained_in_words(db, login):
    matching_round, _helper, _shopper, paperwork, shopping = _round_with_history(db)
    client = login(coordinator())
    page = client.get(f"/matches/rounds/{matching_round.id}").text
    known = _card(page, _match(db, paperwork))
    for sentence in ("Waarom deze vrijwilliger", "Woont vlak bij het adres (minder dan 0,1 km)",
                     "De beste keus van 2 geschikte vrijwilligers",
                     "Is vrij op maandag ochtend", "Heeft een geldige VOG",
                     "Heeft deze bewoner eerder geholpen (beoordeling 5 van 5)",
                     "Had de laatste tijd weinig aanvragen", "Deze aanvraag wacht al 9 dagen"):
        assert sentence in known
    plain = _card(page, _match(db, shopping))
    assert "Woont ongeveer 1,6 km van het adres" in plain
    assert "De enige geschikte vrijwilliger" in plain
    assert "Had de laatste tijd geen aanvragen" in plain
    for untrue in ("eerder geholpen", "VOG", "getraind", "wacht al"):
        assert untrue not in plain
    # No points label that reads as a fact about the volunteer.
    assert "Bekende helper" not in page


def test_the_points_stay_in_a_details_disclosure(db, login):
    matching_round, _helper, _shopper, paperwork, _shopping = _round_with_history(db)
    client = login(coordinator())
    card = _card(client.get(f"/matches/rounds/{matching_round.id}").text,
                 _match(db, paperwork))
    disclosure = DISCLOSURE.search(card)
    assert disclosure is not None
    assert disclosure["summary"] == "Details van de berekening"
    assert "Geen vaste helper van deze bewoner" in disclosure[0]
    assert re.search(r"<td>\d+,\d\d</td>", disclosure[0])
    assert "<table" not in DISCLOSURE.sub("", card)  # no points outside the disclosure
    client.post("/taal", data={"locale": "en"})
    card = _card(client.get(f"/matches/rounds/{matching_round.id}").text,
                 _match(db, paperwork))
    assert DISCLOSURE.search(card)["summary"] == "Details of the calculation"
    assert "Has helped this resident before (rated 5 out of 5)" in card
    assert "This request has been waiting for 9 days" in card
