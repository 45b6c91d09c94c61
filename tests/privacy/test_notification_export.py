"""The personal-data export holds the person's own notifications, phone-list entries,
notification choices and sharing choices, and nobody else's."""

from __future__ import annotations

import json

import sqlalchemy as sa

from marketplace.models import Notification, Role
from marketplace.notifications import notify
from marketplace.notifications import services as notification_services
from marketplace.notifications.phone import mark_phoned
from marketplace.privacy.services import export_user_data
from marketplace.staff import services as staff_services
from marketplace.vocabulary import NotificationDelivery as D
from marketplace.vocabulary import NotificationKind as K
from tests import factories

QUESTION = "Welke dag past u het best?"


def _phone_call_about_a_desk_resident(db):
    resident = factories.user(Role.RESIDENT, email=None, email_confirmed_at=None,
                              name="Mevrouw Jansen", phone="035 123 4567")
    help_request = factories.help_request(resident, title="Boodschappen op vrijdag")
    coordinator = factories.user(Role.COORDINATOR, name="Coördinator Bakker")
    staff_services.ask_for_info(coordinator, help_request, QUESTION)
    db.session.commit()
    call = db.session.scalar(sa.select(Notification))
    assert call.phone_needed
    assert call.recipient_id == resident.id
    return resident, coordinator, call


def test_the_resident_sees_the_notification_as_told_and_the_phone_list_entry(db) -> None:
    resident, _coordinator, call = _phone_call_about_a_desk_resident(db)

    [exported] = export_user_data(resident)["notifications"]
    assert exported["kind"] == "request_info_needed"
    assert exported["kind_label"] == "Vraag over een aanvraag"
    assert exported["subject"] == "Het Hulppunt heeft een vraag over uw aanvraag"
    assert f"Onze vraag: {QUESTION}" in exported["text"]
    assert "Boodschappen op vrijdag" in exported["text"]
    assert exported["created_at"] == call.created_at.isoformat()
    assert exported["read_at"] is None
    assert exported["emailed_at"] is None
    assert exported["mail"] == "no_address"
    assert exported["phone_call"]["phoned"] is False
    assert exported["phone_call"]["phoned_at"] is None
    assert exported["phone_call"]["summary"].startswith("Wij hebben op ")
    assert "genoteerd dat wij u bellen over: Het Hulppunt heeft een vraag" in (
        exported["phone_call"]["summary"])


def test_after_the_call_the_export_says_when_but_not_who_phoned(db) -> None:
    resident, coordinator, call = _phone_call_about_a_desk_resident(db)
    mark_phoned(coordinator, call.id)
    db.session.commit()

    exported = export_user_data(resident)
    phone_call = exported["notifications"][0]["phone_call"]
    assert phone_call["phoned"] is True
    assert phone_call["phoned_at"] == call.phoned_at.isoformat()
    assert phone_call["summary"].startswith("Wij hebben u op ")
    assert "Coördinator Bakker" not in json.dumps(exported["notifications"], ensure_ascii=False)
    assert "phoned_by_id" not in exported["notifications"][0]


def test_notifications_about_someone_stay_out_of_other_peoples_export(db) -> None:
    resident, coordinator, call = _phone_call_about_a_desk_resident(db)
    mark_phoned(coordinator, call.id)
    bystander = factories.volunteer()
    notify(bystander, K.PROPOSAL_NEW, key="bystander")
    db.session.commit()

    coordinator_export = export_user_data(coordinator)
    assert coordinator_export["notifications"] == []
    assert QUESTION not in json.dumps(coordinator_export, ensure_ascii=False)
    bystander_export = export_user_data(bystander)
    assert [row["kind"] for row in bystander_export["notifications"]] == ["proposal_new"]
    assert QUESTION not in json.dumps(bystander_export, ensure_ascii=False)
    assert [row["kind"] for row in export_user_data(resident)["notifications"]] == [
        "request_info_needed"
    ]


def test_read_and_emailed_dates_are_exported(db) -> None:
    volunteer = factories.volunteer()
    notification = notify(volunteer, K.PROPOSAL_NEW, key="read-me")
    assert notification is not None
    notification_services.mark_read(volunteer, notification.id)
    db.session.commit()

    [exported] = export_user_data(volunteer)["notifications"]
    assert exported["read_at"] == notification.read_at.isoformat()
    assert exported["mail"] == "queued"
    assert exported["phone_call"] is None


def test_preferences_per_kind_with_label_and_whether_chosen(db) -> None:
    volunteer = factories.volunteer()
    notification_services.set_preferences(volunteer, {K.PROPOSAL_NEW: D.OFF})
    db.session.commit()

    exported = export_user_data(volunteer)["notification_preferences"]
    preferences = {row["kind"]: row for row in exported}
    assert preferences["proposal_new"] == {
        "kind": "proposal_new", "kind_label": "Nieuw hulpvoorstel",
        "delivery": "off", "delivery_label": "Geen e-mail", "chosen": True,
    }
    assert preferences["digest"]["delivery"] == "off"
    assert preferences["digest"]["chosen"] is False
    assert "request_approved" not in preferences  # a resident's kind, not a volunteer's


def test_labels_and_texts_are_in_the_persons_language(db) -> None:
    volunteer = factories.volunteer()
    volunteer.locale = "en"
    notify(volunteer, K.PROPOSAL_NEW, key="english")
    db.session.commit()

    exported = export_user_data(volunteer)
    assert exported["notifications"][0]["kind_label"] == "New proposal to help"
    assert exported["notification_preferences"][0]["delivery_label"] == "An e-mail straight away"


def test_sharing_choices_and_phone_number_are_in_the_account(db) -> None:
    resident = factories.user(Role.RESIDENT, phone="035 765 4321", share_phone=False)
    db.session.commit()

    account = export_user_data(resident)["account"]
    assert account["phone"] == "035 765 4321"
    assert account["share_phone"] is False
    assert account["share_email"] is True


def test_the_export_page_names_notifications_and_sharing(client, login, db) -> None:
    resident, _coordinator, _call = _phone_call_about_a_desk_resident(db)
    login(resident)
    page = client.get("/privacy/export").get_data(as_text=True)
    assert "hoe u ze wilt ontvangen, en of wij u erover belden" in page
    assert "uw telefoonnummer en e-mailadres mag zien" in page
    body = json.loads(client.post("/privacy/export").get_data(as_text=True))
    assert body["notifications"][0]["phone_call"]["phoned"] is False
