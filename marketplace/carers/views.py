"""Views of the carers feature (URL prefix ``/mantelzorg``, the word carers search for)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from marketplace.access import can_view_carer_checks, roles_required
from marketplace.carers import respite, scoring, services
from marketplace.carers.forms import (
    DeskCarerForm,
    ProfileForm,
    RespiteForm,
    SelfCheckForm,
    check_form_class,
)
from marketplace.carers.history import sparkline
from marketplace.carers.words import (
    AREA_SCALE,
    AREAS,
    CARE_KINDS,
    CONDITIONS,
    FELT_SCALE,
    LEVELS,
    RELATIONS,
    SUPPORT,
)
from marketplace.errors import NotFound
from marketplace.extensions import db
from marketplace.i18n import gettext as _
from marketplace.models import Role, User
from marketplace.transaction import commit, submit

blueprint = Blueprint("carers", __name__, url_prefix="/mantelzorg")

Page = str | tuple[str, int]
SELF_CHECK_FIELDS = ("cares", "hours", "months")


@blueprint.app_context_processor
def carer_links() -> dict[str, object]:
    """In every template: ``may_see_carer(person)``, whether to link to a carer's checks, and
    ``respite_of(help_request)``, a respite request's two people (None for other requests;
    the including template decides who sees them)."""

    def may_see_carer(person: User) -> bool:
        return bool(current_user.is_authenticated) and can_view_carer_checks(
            current_user._get_current_object(), person)

    return {"may_see_carer": may_see_carer, "respite_of": respite.details_of}


def _words() -> dict[str, object]:
    return {"areas": AREAS, "area_scale": AREA_SCALE, "felt_scale": FELT_SCALE,
            "levels": LEVELS, "support": SUPPORT, "rules": scoring.rules(),
            "relations": RELATIONS, "care_kinds": CARE_KINDS, "conditions": CONDITIONS}


@blueprint.get("/zelftest")
def self_check() -> Page:
    """"Ben ik mantelzorger?": public, sent with GET, nothing is stored. Missing or odd
    answers show the form again with a message (200: a GET link is never "bad")."""
    form = SelfCheckForm(formdata=None)
    submitted = any(name in request.args for name in SELF_CHECK_FIELDS)
    if submitted:
        form = SelfCheckForm(formdata=request.args)
    if not submitted or not form.validate():
        return render_template("carers/self_check.html", form=form, result=None)
    result = services.self_check(form.cares.data == "ja", int(form.hours.data or 0),
                                 int(form.months.data or 0))
    return render_template("carers/self_check.html", form=form, result=result,
                           intensive_hours=services.INTENSIVE_HOURS,
                           long_months=services.LONG_MONTHS)


@blueprint.get("/")
@login_required
def overview() -> Page:
    """The carer's own page: profile, the history of checks, respite."""
    carer = current_user._get_current_object()
    checks = services.checks_of(carer)
    return render_template(
        "carers/overview.html", carer=carer, profile=services.profile_of(carer),
        checks=checks, line=sparkline(checks), staff_view=False, **_words(),
    )


@blueprint.route("/profiel", methods=["GET", "POST"])
@login_required
def edit_profile() -> Page | Response:
    carer = current_user._get_current_object()
    profile = services.profile_of(carer)
    form = ProfileForm()
    if request.method == "GET" and profile is not None:
        form.show(profile)
    if form.validate_on_submit():
        saved = submit(
            lambda: services.save_profile(carer, carer, form.to_data(), bool(form.consent.data)),
            form, done=_("Uw mantelzorgprofiel is opgeslagen."), to=url_for("carers.overview"),
        )
        if saved is not None:
            return saved
    status = 400 if request.method == "POST" else 200
    return render_template("carers/profile.html", form=form, profile=profile), status


@blueprint.route("/check", methods=["GET", "POST"])
@login_required
def take_check() -> Page | Response:
    """The overload check over the eight areas plus the GGD question; repeatable."""
    carer = current_user._get_current_object()
    if services.profile_of(carer) is None:
        flash(_("Vul eerst uw mantelzorgprofiel in. Dan kunt u de check doen."), "info")
        return redirect(url_for("carers.edit_profile"), code=303)
    form = check_form_class()()
    if form.validate_on_submit():
        saved = submit(
            lambda: services.take_check(carer, form.answers(), int(form.felt_burden.data)),
            form, done="", to=lambda check: url_for("carers.show_check", check_id=check.id),
        )
        if saved is not None:
            return saved
    status = 400 if request.method == "POST" else 200
    return render_template("carers/check.html", form=form, **_words()), status


@blueprint.get("/check/<int:check_id>")
@login_required
def show_check(check_id: int) -> Page:
    """The result: how it was scored, and what support exists."""
    try:
        check = services.check_for(current_user._get_current_object(), check_id)
    except NotFound:
        abort(404)
    return render_template("carers/result.html", check=check, **_words())


@blueprint.route("/respijt", methods=["GET", "POST"])
@login_required
def ask_respite() -> Page | Response:
    """Respite: the carer asks, a trained volunteer comes to the person cared for."""
    carer = current_user._get_current_object()
    if services.profile_of(carer) is None:
        flash(_("Vul eerst uw mantelzorgprofiel in. Dan kunt u respijtzorg aanvragen."), "info")
        return redirect(url_for("carers.edit_profile"), code=303)
    form = RespiteForm()
    if request.method == "GET":
        form.carer_address.data = carer.address or ""
    if form.validate_on_submit():
        saved = submit(
            lambda: respite.ask_respite(carer, form.to_data()), form,
            done=_("Uw aanvraag voor respijtzorg is verstuurd. Een coördinator kijkt ernaar."),
            to=lambda help_request: url_for("requests.show_request",
                                            request_id=help_request.id),
        )
        if saved is not None:
            return saved
    status = 400 if request.method == "POST" else 200
    return render_template("carers/respite.html", form=form), status


@blueprint.route("/aanmelden", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.ADMIN, Role.REFERRER)
def register_carer() -> Page | Response:
    """A coordinator at the desk or a referrer registers a carer, with their consent."""
    form = DeskCarerForm()
    actor = current_user._get_current_object()
    if form.validate_on_submit():
        saved = submit(
            lambda: services.register_carer(actor, form.person(), form.postcode.data or "",
                                            form.to_data(), bool(form.consent.data)),
            form, done=_("De mantelzorger is aangemeld."),
            to=url_for("carers.register_carer"),
        )
        if saved is not None:
            return saved
    status = 400 if request.method == "POST" else 200
    return render_template("carers/register.html", form=form), status


@blueprint.get("/mantelzorgers/<int:user_id>")
@roles_required(Role.COORDINATOR)
def show_carer(user_id: int) -> Page:
    """A carer's profile and checks, for the coordinators of their neighbourhood (audited)."""
    carer = db.get_or_404(User, user_id)
    try:
        checks = services.checks_for(current_user._get_current_object(), carer)
    except NotFound:
        abort(404)
    commit()  # the audited view is saved even when the page is not read to the end
    return render_template(
        "carers/overview.html", carer=carer, profile=services.profile_of(carer),
        checks=checks, line=sparkline(checks), staff_view=True, **_words(),
    )
