"""The audit log in plain words: who did what to which request or person, and when; filtered
by person, dates and kind of action; linked from the admin pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_login import current_user

from marketplace import audit
from marketplace.models import AuditEntry, Match, MatchingRound, Role, RoundStatus
from marketplace.staff import services as staff_services
from tests import factories
from tests.security.data import login_as


def visible(html: str) -> str:
    """The page's text as a reader sees it (tags and attribute values dropped)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", html))


@pytest.fixture
def admin(db, client):  # type: ignore[no-untyped-def]
    account = factories.user(Role.ADMIN, name="Bea Beheer")
    db.session.commit()
    login_as(client, account)
    return account


def entry(db, action: str, actor=None, target=None, detail: str = "",  # type: ignore[no-untyped-def]
          at: datetime | None = None) -> AuditEntry:
    row = audit.record(actor, action, target, detail)
    if at is not None:
        row.at = at
    db.session.commit()
    return row


def test_an_approval_reads_as_a_sentence_with_a_link_to_the_request(client, db, admin) -> None:
    coordinator = factories.user(Role.COORDINATOR, name="Ans de Vries")
    help_request = factories.help_request(title="Boodschappen")
    entry(db, "request.approved", coordinator, help_request, "Alles duidelijk")
    text = client.get("/privacy/audit").text
    assert (f'Coördinator Ans de Vries keurde <a href="/staff/requests/{help_request.id}">'
            f"aanvraag #{help_request.id} (Boodschappen)</a> goed") in text
    assert "Toelichting: Alles duidelijk" in text
    assert "request.approved" not in visible(text)


def test_the_reported_raw_codes_are_gone(client, db, admin) -> None:
    """The issue's three examples: match.session_logged, "LocalProxy #286", "5 suggested,
    0 unmatched"."""
    volunteer = factories.volunteer()
    help_request = factories.help_request(title="Wekelijks boodschappen")
    db.session.add(AuditEntry(actor_id=volunteer.id, action="account.updated",
                              target_type="LocalProxy", target_id=volunteer.id))
    round_row = MatchingRound(dry_run=True, status=RoundStatus.DONE, stats={}, unmatched={})
    db.session.add(round_row)
    db.session.flush()
    entry(db, "round.finished", None, round_row, "5 suggested, 0 unmatched")
    match = Match(help_request=help_request, volunteer_id=volunteer.id)
    db.session.add(match)
    db.session.flush()
    entry(db, "match.session_logged", volunteer, match, "2026-11-30")
    text = visible(client.get("/privacy/audit").text)
    for raw in ("match.session_logged", "LocalProxy", "suggested", "unmatched", "round.finished"):
        assert raw not in text
    name = volunteer.name
    assert f"Vrijwilliger {name} meldde een bezoek bij aanvraag #{help_request.id}" in text
    assert "datum: 30 nov 2026" in text
    assert f"Vrijwilliger {volunteer.name} veranderde de eigen accountgegevens" in text
    assert f"Het systeem rondde ronde {round_row.id} af" in text
    assert "5 voorstellen, 0 aanvragen zonder vrijwilliger" in text


def test_a_round_result_is_counted_from_the_round_itself(client, db, admin) -> None:
    round_row = MatchingRound(dry_run=False, status=RoundStatus.DONE, unmatched={},
                              stats={"matched": 1, "unmatched_count": 3})
    db.session.add(round_row)
    db.session.flush()
    entry(db, "round.finished", admin, round_row, "")
    assert "1 voorstel, 3 aanvragen zonder vrijwilliger" in client.get("/privacy/audit").text


def test_the_writer_stores_the_user_behind_current_user(app, db, client) -> None:
    """``current_user`` is a proxy; the log names the account, not the proxy's class."""
    resident = factories.user(name="Piet Proxy")
    db.session.commit()
    login_as(client, resident)
    with app.test_request_context():
        from flask_login import login_user
        login_user(resident)
        row = audit.record(current_user, "account.updated", current_user)
    assert (row.target_type, row.target_id) == ("User", resident.id)


def test_english_readers_get_english_sentences(client, db, admin) -> None:
    coordinator = factories.user(Role.COORDINATOR, name="Ans de Vries")
    help_request = factories.help_request(title="Boodschappen")
    entry(db, "request.rejected", coordinator, help_request, "")
    from flask_babel import refresh

    refresh()  # the test's app context keeps the locale Babel cached; see test_translations
    text = visible(client.post("/taal", data={"locale": "en", "next": "/privacy/audit"},
                               follow_redirects=True).text)
    refresh()
    assert f"Coordinator Ans de Vries rejected request #{help_request.id} (Boodschappen)" in text
    assert "Afgewezen" not in text


def test_an_unknown_code_reads_as_a_generic_sentence(client, db, admin) -> None:
    entry(db, "gadget.frobbed", admin, None, "x=1")
    text = visible(client.get("/privacy/audit").text)
    assert "Beheerder Bea Beheer legde een handeling vast bij het meldpunt" in text
    assert "gadget" not in text
    assert "x=1" not in text


def test_filter_by_person_finds_what_they_did_and_what_was_done_to_them(
    client, db, admin
) -> None:
    coordinator = factories.user(Role.COORDINATOR, name="Ans de Vries")
    resident = factories.user(name="Ümit Özdemir")
    other = factories.user(name="Karel Anders")
    own = factories.help_request(resident, title="Tuin")
    elsewhere = factories.help_request(other, title="Ramen")
    entry(db, "request.approved", coordinator, own)
    entry(db, "request.approved", coordinator, elsewhere)
    entry(db, "account.updated", resident, resident)
    text = visible(client.get("/privacy/audit", query_string={"persoon": "ozdemir"}).text)
    assert "2 regels gevonden." in text
    assert "(Tuin)" in text
    assert "(Ramen)" not in text
    assert "Persoon: ozdemir" in text
    assert "Filter wissen" in text
    by_actor = visible(client.get("/privacy/audit", query_string={"persoon": "Ans"}).text)
    assert "(Tuin)" in by_actor
    assert "(Ramen)" in by_actor


def test_filter_by_dates_includes_both_days_in_dutch_time(client, db, admin) -> None:
    help_request = factories.help_request(title="Vroeg")
    # 1 December 00:30 in Amsterdam is 30 November 23:30 UTC.
    entry(db, "request.approved", admin, help_request, at=datetime(2026, 11, 30, 23, 30,
                                                                   tzinfo=UTC))
    late = factories.help_request(title="Laat")
    entry(db, "request.approved", admin, late, at=datetime(2026, 12, 3, 12, 0, tzinfo=UTC))
    text = client.get("/privacy/audit", query_string={"van": "2026-12-01",
                                                      "tot": "2026-12-01"}).text
    assert "(Vroeg)" in text
    assert "(Laat)" not in text
    assert 'type="date"' in text
    assert "Vanaf 1 dec 2026" in visible(text)
    text = client.get("/privacy/audit", query_string={"van": "2026-12-02"}).text
    assert "(Vroeg)" not in text
    assert "(Laat)" in text


@pytest.mark.parametrize("bad", ["2026-02-30", "gisteren", "1-12-2026", "99999-01-01"])
def test_a_bad_date_is_ignored_with_a_message(client, db, admin, bad) -> None:
    entry(db, "personal_data.exported", admin, admin)
    response = client.get("/privacy/audit", query_string={"van": bad})
    assert response.status_code == 200
    assert "Dit filter klopt niet; we tonen alles." in response.text
    assert "1 regel gevonden." in response.text


def test_filter_by_action_shows_labels_and_keeps_filters_on_the_next_page(
    client, db, admin
) -> None:
    help_request = factories.help_request()
    for _number in range(55):
        entry(db, "personal_data.viewed", admin, help_request)
    entry(db, "personal_data.exported", admin, admin)
    text = client.get("/privacy/audit", query_string={"action": "personal_data.viewed",
                                                      "persoon": "Bea"}).text
    assert '<option value="personal_data.viewed" selected>Persoonsgegevens bekeken</option>' in text
    assert "55 regels gevonden." in text
    assert "Soort actie: Persoonsgegevens bekeken" in visible(text)
    assert "action=personal_data.viewed" in text
    assert "persoon=Bea" in text


def test_the_admin_index_and_the_back_office_link_to_the_log(client, db, admin) -> None:
    assert 'href="/privacy/audit"' in client.get("/admin/").text
    assert 'href="/privacy/audit"' in client.get("/staff/").text
    coordinator = factories.user(Role.COORDINATOR)
    db.session.commit()
    login_as(client, coordinator)
    assert 'href="/privacy/audit"' not in client.get("/staff/").text  # not theirs to open


def test_opening_a_person_from_the_log_is_audited_like_any_view(client, db, admin) -> None:
    resident = factories.user(name="Gert Gezien")
    entry(db, "account.updated", resident, resident)
    assert f'href="/staff/people/{resident.id}"' not in client.get("/privacy/audit").text
    staff_services.view_person(admin, resident)
    db.session.commit()
    text = client.get("/privacy/audit").text
    assert (f'Beheerder Bea Beheer bekeek de persoonsgegevens bij '
            f'<a href="/staff/people/{resident.id}">Gert Gezien</a>') in text
    viewed = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "personal_data.viewed")).all()
    assert len(viewed) == 1


def test_notes_the_code_wrote_are_read_in_the_readers_language(client, db, admin) -> None:
    from flask_babel import refresh

    volunteer = factories.volunteer()
    help_request = factories.help_request(title="Boodschappen")
    match = Match(help_request=help_request, volunteer_id=volunteer.id)
    db.session.add(match)
    db.session.flush()
    entry(db, "match.cancelled", volunteer, match, "afgezegd door vrijwilliger op de dag zelf")
    entry(db, "notification.phoned", admin, help_request,
          "Ria Jansen gebeld over: Aanvraag goedgekeurd")
    dutch = visible(client.get("/privacy/audit").text)
    assert "Toelichting: afgezegd door vrijwilliger op de dag zelf" in dutch
    assert "Ria Jansen gebeld over: Aanvraag goedgekeurd" in dutch
    refresh()
    english = visible(client.post("/taal", data={"locale": "en", "next": "/privacy/audit"},
                                  follow_redirects=True).text)
    refresh()
    assert "afgezegd" not in english
    assert "phoned Ria Jansen about:" in english


def test_a_staff_account_in_the_log_is_not_linked_to_a_person_page(client, db, admin) -> None:
    """Staff-only accounts have no person page (it is 404): the log names them unlinked."""
    coordinator = factories.user(Role.COORDINATOR, name="Cor Coördinator")
    entry(db, "account.roles_set", admin, coordinator, "roles=coordinator wijk=")
    text = client.get("/privacy/audit").text
    assert "Cor Coördinator" in text
    assert f'href="/staff/people/{coordinator.id}"' not in text


def test_a_page_past_the_last_says_so_once_and_leads_back(client, db, admin) -> None:
    """No "0 found" and "none found" twice; past the last page: the count and a way back."""
    empty = visible(client.get("/privacy/audit?action=account.deleted").text)
    assert "Geen regels gevonden." not in empty
    entry(db, "account.updated", admin, admin)
    text = client.get("/privacy/audit?page=99&persoon=Bea").text
    assert "1 regel gevonden." in text
    assert "Geen regels gevonden." not in text
    assert '<a href="/privacy/audit?persoon=Bea">Naar de eerste pagina</a>' in text
