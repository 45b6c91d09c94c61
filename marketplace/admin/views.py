"""Administration: categories, neighbourhoods and who holds which role."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from marketplace import outbox, params
from marketplace.access import admin_required
from marketplace.admin import services
from marketplace.admin.forms import CategoryForm, NeighbourhoodForm, RolesForm
from marketplace.extensions import db
from marketplace.fields import CsrfOnlyForm
from marketplace.i18n import gettext as _
from marketplace.indicators import services as indicator_services
from marketplace.models import Category, Neighbourhood, OutboxStatus, User
from marketplace.transaction import perform, submit

blueprint = Blueprint("admin", __name__, url_prefix="/admin")

Rendered = str | Response | tuple[str, int]


@blueprint.get("/")
@admin_required
def index() -> str:
    failed = outbox.counts().get(OutboxStatus.FAILED.value, 0)
    return render_template("admin/index.html", failed_messages=failed)


@blueprint.get("/outbox")
@admin_required
def outbox_page() -> str:
    """What is waiting to be sent, and what failed after every attempt (to offer again)."""
    return render_template(
        "admin/outbox.html", counts=outbox.counts(), failed=outbox.failed_messages(),
        form=CsrfOnlyForm(), kind_labels=services.OUTBOX_KIND_LABELS,
        status_labels=services.OUTBOX_STATUS_LABELS,
    )


@blueprint.post("/outbox/<int:message_id>/retry")
@admin_required
def retry_message(message_id: int) -> Response:
    return _retry([message_id])


@blueprint.post("/outbox/retry")
@admin_required
def retry_all_messages() -> Response:
    return _retry(None)


def _retry(message_ids: list[int] | None) -> Response:
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    return perform(
        lambda: services.retry_messages(current_user, message_ids),
        done=lambda count: _("%(count)s bericht(en) opnieuw aangeboden: ze worden nu verstuurd.",
                             count=count),
        to=url_for("admin.outbox_page"),
    )


@blueprint.get("/categories")
@admin_required
def list_categories() -> str:
    categories = db.session.scalars(sa.select(Category).order_by(Category.position, Category.id))
    return render_template("admin/categories.html", categories=list(categories))


@blueprint.route("/categories/new", methods=["GET", "POST"])
@admin_required
def new_category() -> Rendered:
    return _edit_category(None)


@blueprint.route("/categories/<int:category_id>", methods=["GET", "POST"])
@admin_required
def edit_category(category_id: int) -> Rendered:
    return _edit_category(db.get_or_404(Category, category_id))


def _edit_category(category: Category | None) -> Rendered:
    form = CategoryForm(obj=category)
    if form.validate_on_submit() and (saved := submit(
        lambda: services.save_category(current_user, category, form.to_data()), form,
        done=_("De soort hulp is opgeslagen."), to=url_for("admin.list_categories"),
    )):
        return saved
    status = 400 if form.is_submitted() else 200
    return render_template("admin/category_form.html", form=form, category=category), status


@blueprint.get("/neighbourhoods")
@admin_required
def list_neighbourhoods() -> str:
    neighbourhoods = db.session.scalars(
        sa.select(Neighbourhood).options(selectinload(Neighbourhood.postcodes))
        .order_by(Neighbourhood.name))
    return render_template("admin/neighbourhoods.html", neighbourhoods=list(neighbourhoods))


@blueprint.route("/neighbourhoods/new", methods=["GET", "POST"])
@admin_required
def new_neighbourhood() -> Rendered:
    return _edit_neighbourhood(None)


@blueprint.route("/neighbourhoods/<int:neighbourhood_id>", methods=["GET", "POST"])
@admin_required
def edit_neighbourhood(neighbourhood_id: int) -> Rendered:
    return _edit_neighbourhood(db.get_or_404(Neighbourhood, neighbourhood_id))


def _edit_neighbourhood(neighbourhood: Neighbourhood | None) -> Rendered:
    form = NeighbourhoodForm()
    if neighbourhood is not None and not form.is_submitted():
        form.name.data = neighbourhood.name
        form.postcodes.data = ", ".join(neighbourhood.postcode_list)
        form.cbs_code.data, form.population.data = neighbourhood.cbs_code, neighbourhood.population
    if form.validate_on_submit() and (saved := submit(
        lambda: indicator_services.set_neighbourhood_figures(services.save_neighbourhood(
            current_user, neighbourhood, form.name.data, form.postcodes.data or ""
        ), form.cbs_code.data or None, form.population.data),
        form, done=_("De wijk is opgeslagen."), to=url_for("admin.list_neighbourhoods"),
    )):
        return saved
    status = 400 if form.is_submitted() else 200
    return render_template(
        "admin/neighbourhood_form.html", form=form, neighbourhood=neighbourhood
    ), status


@blueprint.get("/users")
@admin_required
def list_users() -> str:
    search = params.text_arg("q", max_length=100)
    return render_template("admin/users.html", users=services.list_users(search), q=search)


@blueprint.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int) -> Rendered:
    user = db.get_or_404(User, user_id)
    neighbourhoods = list(
        db.session.scalars(sa.select(Neighbourhood).order_by(Neighbourhood.name))
    )
    form = RolesForm(neighbourhoods)
    if not form.is_submitted():
        form.roles.data = sorted(role.value for role in user.roles)
        form.neighbourhood_id.data = user.neighbourhood_id
    if form.validate_on_submit() and (saved := submit(
        lambda: services.set_roles(
            current_user, user, form.selected_roles(), form.neighbourhood_id.data
        ),
        form, done=_("De rollen zijn opgeslagen."), to=url_for("admin.list_users"),
    )):
        return saved
    status = 400 if form.is_submitted() else 200
    return render_template("admin/user_form.html", form=form, user=user), status
