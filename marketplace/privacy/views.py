"""Views of the privacy feature: download my data, delete my account, the audit log."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from marketplace import params
from marketplace.access import admin_required
from marketplace.extensions import db
from marketplace.fields import CsrfOnlyForm
from marketplace.i18n import gettext as _
from marketplace.privacy import audit_log as audit_log_words
from marketplace.privacy.forms import DeleteAccountForm
from marketplace.privacy.services import delete_account as delete_account_service
from marketplace.privacy.services import export_personal_data
from marketplace.transaction import commit

blueprint = Blueprint("privacy", __name__, url_prefix="/privacy")

AUDIT_PAGE_SIZE = 50
#: Longest name typed in the log's person filter.
PERSON_MAX = 100


@blueprint.route("/export", methods=["GET", "POST"])
@login_required
def export_data():  # type: ignore[no-untyped-def]
    """GET explains what is in the download; POST sends it as a JSON attachment."""
    form = CsrfOnlyForm()
    if not form.validate_on_submit():
        return render_template("privacy/export.html", form=form)
    data = export_personal_data(current_user._get_current_object())
    commit()
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": "attachment; filename=hulppunt-mijn-gegevens.json",
            "Cache-Control": "no-store",
        },
    )


@blueprint.route("/delete", methods=["GET", "POST"])
@login_required
def delete_account():  # type: ignore[no-untyped-def]
    """Confirm (with the password, when the account has one), then delete and log out."""
    form = DeleteAccountForm(account=current_user)
    if request.method == "POST" and not form.validate():
        return render_template("privacy/delete.html", form=form), 400
    if request.method == "GET":
        return render_template("privacy/delete.html", form=form)
    delete_account_service(current_user._get_current_object())
    commit()
    logout_user()
    flash(_("Uw account is verwijderd. Bedankt dat u Hulppunt gebruikte."), "success")
    return redirect(url_for("pages.home"))


@blueprint.get("/audit")
@admin_required
def audit_log():  # type: ignore[no-untyped-def]
    """The audit log for administrators, in words: newest first, 50 a page, filtered by
    person (by or about them), dates (from, to: both days included) and kind of action."""
    actions = audit_log_words.written_actions()
    filters = audit_log_words.Filters(
        person=params.text_arg("persoon", PERSON_MAX),
        date_from=params.date_arg("van"),
        date_to=params.date_arg("tot"),
        action=params.choice_arg("action", [code for code, _label in actions]),
    )
    page = db.paginate(
        audit_log_words.entries(filters), page=params.page_arg(), per_page=AUDIT_PAGE_SIZE,
        error_out=False, count=True,
    )
    return render_template(
        "privacy/audit.html", page=page, actions=actions, filters=filters,
        lines=audit_log_words.in_words(page.items, links=current_user.is_staff),
        labels={code: label for code, label in actions},
    )
