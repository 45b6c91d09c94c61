"""The privacy pages: download, delete, audit log."""

from __future__ import annotations

import json
import re

from marketplace.models import AuditEntry, Role, User
from marketplace.privacy.services import DELETED_NAME
from tests import factories
from tests.security.data import login_as


def test_export_page_and_download(client, login, db) -> None:
    resident = factories.user()
    factories.help_request(resident, title="Mijn boodschappen")
    db.session.commit()
    login(resident)
    page = client.get("/privacy/export")
    assert page.status_code == 200
    assert "Download mijn gegevens" in page.get_data(as_text=True)
    response = client.post("/privacy/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    body = json.loads(response.get_data(as_text=True))
    assert body["account"]["email"] == resident.email
    assert body["requests"][0]["title"] == "Mijn boodschappen"
    assert db.session.query(AuditEntry).filter_by(action="personal_data.exported").count() == 1


def test_export_needs_login(client) -> None:
    response = client.get("/privacy/export")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_delete_needs_password_and_confirmation(client, login, db) -> None:
    resident = factories.user()
    db.session.commit()
    login(resident)
    assert client.get("/privacy/delete").status_code == 200
    wrong = client.post("/privacy/delete", data={"password": "wrong", "confirm": "y"})
    assert wrong.status_code == 400
    assert "klopt niet" in wrong.get_data(as_text=True)
    unconfirmed = client.post("/privacy/delete", data={"password": factories.PASSWORD})
    assert unconfirmed.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, resident.id).email is not None

    done = client.post(
        "/privacy/delete", data={"password": factories.PASSWORD, "confirm": "y"}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, resident.id).name == DELETED_NAME
    # Logged out: the page now asks to log in.
    assert client.get("/privacy/export").status_code == 302


def test_delete_without_password_for_desk_accounts(client, login, db) -> None:
    resident = factories.user(password=None)
    db.session.commit()
    login(resident)
    assert client.post("/privacy/delete", data={"confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, resident.id).anonymised_at is not None


def test_audit_log_is_for_admins_only(client, login, db) -> None:
    admin = factories.user(Role.ADMIN)
    coordinator = factories.user(Role.COORDINATOR)
    for number in range(60):
        db.session.add(AuditEntry(actor_id=coordinator.id, action="request.viewed",
                                  target_type="HelpRequest", target_id=number, detail="bekeken"))
    db.session.add(AuditEntry(actor_id=admin.id, action="personal_data.exported"))
    db.session.commit()
    login_as(client, coordinator)
    assert client.get("/privacy/audit").status_code == 403
    login_as(client, admin)
    page = client.get("/privacy/audit")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Pagina 1 van 2" in text
    # newest first, in words (an unknown code gets a generic sentence, never the code)
    assert text.index("downloadde de eigen gegevens") < text.index("legde een handeling vast")
    assert "request.viewed" not in re.sub(r"<[^>]*>", "", text)  # only in an option's value
    filtered = client.get("/privacy/audit?action=personal_data.exported").get_data(as_text=True)
    assert "1 regel gevonden." in filtered
    assert client.get("/privacy/audit?page=99").status_code == 200


def test_audit_log_ignores_a_bad_page_or_action(client, login, db) -> None:
    """A page number that is not a plain number in range (or would overflow the database's
    OFFSET) is the first page; an action nobody did is no filter. Never a 500."""
    admin = factories.user(Role.ADMIN)
    db.session.add(AuditEntry(actor_id=admin.id, action="personal_data.exported"))
    db.session.commit()
    login(admin)
    for page in ("²", "٣", "-1", "0", "99999999999999999999", "1e3"):
        response = client.get("/privacy/audit", query_string={"page": page})
        assert response.status_code == 200, page
        assert "Dit paginanummer klopt niet; we tonen de eerste pagina." in response.text, page
        assert "downloadde de eigen gegevens" in response.text
    response = client.get("/privacy/audit", query_string={"action": "nobody.did_this"})
    assert response.status_code == 200
    assert "Dit filter klopt niet; we tonen alles." in response.text
    assert "1 regel gevonden." in response.text
