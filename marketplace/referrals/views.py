"""Referrers: file a request for a resident (with consent) and follow its status."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from marketplace.access import roles_required
from marketplace.i18n import gettext as _
from marketplace.models import Role
from marketplace.referrals import report, services, wording
from marketplace.requests.forms import ReferralForm
from marketplace.transaction import submit

blueprint = Blueprint("referrals", __name__, url_prefix="/referrals")


@blueprint.get("/")
@roles_required(Role.REFERRER)
def list_referrals() -> str:
    return render_template(
        "referrals/list.html", help_requests=services.referrals_of(current_user)
    )


@blueprint.route("/new", methods=["GET", "POST"])
@roles_required(Role.REFERRER)
def new_referral() -> str | Response | tuple[str, int]:
    form = ReferralForm()
    if form.validate_on_submit() and (filed := submit(
        lambda: services.file_referral(
            current_user, form.resident_data(), form.to_data(), bool(form.consent.data)
        ),
        form,
        done=_("De verwijzing is verstuurd naar het meldpunt."),
        to=lambda help_request: url_for("requests.show_request", request_id=help_request.id),
    )):
        return filed
    status = 400 if form.is_submitted() else 200
    return render_template("referrals/new.html", form=form), status


# Template globals for the request and match pages a referrer shares with the resident.
blueprint.add_app_template_global(wording.acting_for, "acting_for")
blueprint.add_app_template_global(wording.back_to_list, "back_to_list")
blueprint.add_app_template_global(report.report_for, "referral_report")
