"""Partner organisations: the admin keeps them, a meldpunt coordinator routes a request to
one, and the organisation's coordinator assigns a volunteer or gives it back."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from marketplace.access import admin_required, organisation_coordinator_required, staff_required
from marketplace.extensions import db
from marketplace.i18n import gettext as _
from marketplace.models import (
    Category,
    HelpRequest,
    MemberRole,
    Neighbourhood,
    Organisation,
    OrganisationReferral,
)
from marketplace.organisations import admin, services
from marketplace.organisations.forms import (
    MEMBER_ROLE_LABELS,
    AssignForm,
    MemberForm,
    OrganisationForm,
    ReturnForm,
    RouteForm,
)
from marketplace.templating import category_name
from marketplace.transaction import perform, submit
from marketplace.vocabulary import ReferralStatus

blueprint = Blueprint("organisations", __name__, url_prefix="/organisations")
# The staff's request page shows where the request was sent (staff/request_detail.html).
blueprint.add_app_template_global(services.referrals_of_request, "request_referrals")

Rendered = str | Response | tuple[str, int]


# --- the admin ----------------------------------------------------------------------------


@blueprint.get("/")
@admin_required
def list_organisations() -> str:
    return render_template("organisations/list.html",
                           organisations=admin.list_organisations())


def _organisation_form(organisation: Organisation | None = None) -> OrganisationForm:
    categories = list(db.session.scalars(sa.select(Category).order_by(Category.position)))
    neighbourhoods = list(db.session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.name)))
    return OrganisationForm(categories, neighbourhoods, organisation=organisation)


@blueprint.route("/new", methods=["GET", "POST"])
@admin_required
def new_organisation() -> Rendered:
    form = _organisation_form()
    if form.validate_on_submit() and (saved := submit(
        lambda: admin.save_organisation(current_user, None, form.to_data()), form,
        done=_("De organisatie is opgeslagen."),
        to=lambda organisation: url_for("organisations.edit_organisation",
                                        organisation_id=organisation.id),
    )):
        return saved
    status = 400 if form.is_submitted() else 200
    return render_template("organisations/form.html", form=form, organisation=None), status


@blueprint.route("/<int:organisation_id>", methods=["GET", "POST"])
@admin_required
def edit_organisation(organisation_id: int) -> Rendered:
    organisation = db.get_or_404(Organisation, organisation_id)
    form = _organisation_form(organisation)
    if form.validate_on_submit() and (saved := submit(
        lambda: admin.save_organisation(current_user, organisation, form.to_data()), form,
        done=_("De organisatie is opgeslagen."),
        to=url_for("organisations.edit_organisation", organisation_id=organisation_id),
    )):
        return saved
    status = 400 if form.is_submitted() else 200
    return render_template("organisations/form.html", form=form, organisation=organisation,
                           member_form=MemberForm(formdata=None, prefix="member"),
                           role_labels=MEMBER_ROLE_LABELS), status


@blueprint.post("/<int:organisation_id>/members")
@admin_required
def add_member(organisation_id: int) -> Rendered:
    organisation = db.get_or_404(Organisation, organisation_id)
    form = MemberForm(prefix="member")
    back = url_for("organisations.edit_organisation", organisation_id=organisation_id)
    if form.validate_on_submit() and (saved := submit(
        lambda: admin.add_member(current_user, organisation, form.email.data or "",
                                 MemberRole(form.role.data)), form,
        done=_("De persoon hoort nu bij de organisatie."), to=back, field="email",
    )):
        return saved
    return render_template(
        "organisations/form.html", form=_organisation_form(organisation),
        organisation=organisation, member_form=form, role_labels=MEMBER_ROLE_LABELS,
    ), 400


@blueprint.post("/<int:organisation_id>/members/<int:user_id>/remove")
@admin_required
def remove_member(organisation_id: int, user_id: int) -> Response:
    organisation = db.get_or_404(Organisation, organisation_id)
    back = url_for("organisations.edit_organisation", organisation_id=organisation_id)
    role = request.form.get("role", "")
    if role not in {member_role.value for member_role in MemberRole}:
        flash(_("Kies een rol."), "error")
        return redirect(back, code=303)
    return perform(lambda: admin.remove_member(current_user, organisation, user_id,
                                               MemberRole(role)),
                   done=_("De persoon hoort niet meer bij de organisatie."), to=back)


# --- routing a request (the meldpunt's coordinator) ---------------------------------------


@blueprint.route("/route/<int:request_id>", methods=["GET", "POST"])
@staff_required
def route_request(request_id: int) -> Rendered:
    help_request = db.get_or_404(HelpRequest, request_id)
    rows = services.routable_organisations(help_request)
    fitting = _(" (past bij deze aanvraag)")
    choices = [(organisation.id, organisation.name + (fitting if fit else ""))
               for organisation, fit in rows]
    form = RouteForm(choices, data={"title": help_request.title,
                                    "description": help_request.description})
    back = url_for("staff.show_request", request_id=request_id)
    if form.validate_on_submit() and (saved := submit(
        lambda: services.route_request(current_user, help_request,
                                       admin.get_organisation(form.organisation_id.data or 0),
                                       form.note.data or "",
                                       services.RequestText(form.title.data or "",
                                                            form.description.data or "")),
        form, done=_("De aanvraag is naar de organisatie gestuurd."), to=back,
        field="organisation_id",
    )):
        return saved
    status = 400 if form.is_submitted() else 200
    return render_template(
        "organisations/route.html", form=form, help_request=help_request,
        waiting=services.waiting_referral(help_request.id),
        referrals=services.referrals_of_request(help_request.id),
    ), status


# --- the organisation's coordinator -------------------------------------------------------


@blueprint.get("/mine")
@organisation_coordinator_required
def my_referrals() -> str:
    return render_template(
        "organisations/mine.html",
        organisations=services.coordinated_organisations(current_user),
        waiting=services.referrals_for(current_user, [ReferralStatus.ROUTED]),
        handled=services.referrals_for(
            current_user, [s for s in ReferralStatus if s != ReferralStatus.ROUTED], limit=20),
    )


@blueprint.get("/referrals/<int:referral_id>")
@organisation_coordinator_required
def show_referral(referral_id: int) -> Rendered:
    referral = services.visible_referral(current_user, referral_id)
    return _referral_page(referral, AssignForm(services.assignable_volunteers(referral)),
                          ReturnForm())


def _referral_page(referral: OrganisationReferral, assign_form: AssignForm,
                   return_form: ReturnForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "organisations/referral.html", referral=referral, help_request=referral.help_request,
        assign_form=assign_form, return_form=return_form,
        category=category_name(referral.help_request.category),
    ), status


@blueprint.post("/referrals/<int:referral_id>/assign")
@organisation_coordinator_required
def assign_volunteer(referral_id: int) -> Rendered:
    referral = services.visible_referral(current_user, referral_id)
    form = AssignForm(services.assignable_volunteers(referral))
    if form.validate_on_submit() and (saved := submit(
        lambda: services.assign_volunteer(current_user, referral, form.volunteer_id.data or 0),
        form, done=_("De vrijwilliger is gevraagd. U ziet het antwoord in het overzicht."),
        to=url_for("organisations.my_referrals"), field="volunteer_id",
    )):
        return saved
    return _referral_page(services.visible_referral(current_user, referral_id), form,
                          ReturnForm(formdata=None), 400)


@blueprint.post("/referrals/<int:referral_id>/return")
@organisation_coordinator_required
def return_referral(referral_id: int) -> Rendered:
    referral = services.visible_referral(current_user, referral_id)
    form = ReturnForm()
    if form.validate_on_submit() and (saved := submit(
        lambda: services.return_referral(current_user, referral, form.reason.data or ""),
        form, done=_("De aanvraag is teruggegeven aan het meldpunt."),
        to=url_for("organisations.my_referrals"), field="reason",
    )):
        return saved
    referral = services.visible_referral(current_user, referral_id)
    return _referral_page(referral, AssignForm(services.assignable_volunteers(referral),
                                               formdata=None), form, 400)

