"""The public sociale kaart (no login): find a service, read it, suggest a correction."""

from __future__ import annotations

from uuid import UUID

from flask import current_app, render_template, url_for
from flask_login import current_user

from marketplace import params
from marketplace.access import maintained_organisation_ids
from marketplace.demo import demo_accounts_present
from marketplace.extensions import limiter
from marketplace.i18n import gettext as _
from marketplace.socialmap import hours, services
from marketplace.socialmap.blueprint import blueprint
from marketplace.socialmap.forms import SuggestionForm
from marketplace.socialmap.maintenance import is_stale
from marketplace.transaction import submit
from marketplace.vocabulary import local_today

MAX_QUERY = 100


def _suggestion_limit() -> str:
    return str(current_app.config["SOCIAL_MAP_SUGGESTION_LIMIT"])


def _maintainer() -> bool:
    """Does the visitor keep entries of their own up to date (a link to their page)?"""
    user = current_user
    return bool(user.is_authenticated and maintained_organisation_ids(user) != set())


@blueprint.get("/")
def directory():  # type: ignore[no-untyped-def]
    """Search by words, kind of help (``?soort=<term id>``) and neighbourhood (``?wijk=``);
    the parameters keep Dutch names, like the rest of the site's filters."""
    terms, neighbourhoods = services.filter_choices()
    words = params.text_arg("q", MAX_QUERY)
    term_id = params.id_arg("soort", {term.id for term in terms})
    neighbourhood_id = params.id_arg("wijk", {item.id for item in neighbourhoods})
    page = services.search(words, term_id, neighbourhood_id, params.page_arg())
    return render_template(
        "socialmap/directory.html", page=page, terms=terms, neighbourhoods=neighbourhoods,
        words=words, term_id=term_id, neighbourhood_id=neighbourhood_id,
        demo=demo_accounts_present(), maintainer=_maintainer(),
    )


def _service_page(service_id: UUID, form: SuggestionForm, status: int = 200):  # type: ignore[no-untyped-def]
    service = services.public_service(str(service_id))
    return render_template(
        "socialmap/service.html", service=service, form=form, describe_hours=hours.describe,
        stale=is_stale(service, local_today(), int(current_app.config["SOCIAL_MAP_STALE_DAYS"])),
    ), status


@blueprint.get("/dienst/<uuid:service_id>")
def show_service(service_id: UUID):  # type: ignore[no-untyped-def]
    """Who it is for, what it costs, how to reach it, where and when, how accessible the
    place is, and when it was last checked; with a form to suggest a correction."""
    return _service_page(service_id, SuggestionForm())


@blueprint.post("/dienst/<uuid:service_id>/correctie")
@limiter.limit(_suggestion_limit, methods=["POST"])
def suggest_correction(service_id: UUID):  # type: ignore[no-untyped-def]
    """Anyone (no login) may suggest a correction; it waits for the organisation."""
    form = SuggestionForm()
    if form.validate_on_submit():
        done = submit(
            lambda: services.suggest_correction(str(service_id), form.message.data or "",
                                                form.email.data or ""),
            form, field="message",
            done=_("Dank u wel. De organisatie kijkt uw correctie na."),
            to=url_for("socialmap.show_service", service_id=service_id),
        )
        if done is not None:
            return done
    return _service_page(service_id, form, 400)


# The maintainers' routes live on this blueprint too.
from marketplace.socialmap import manage, manage_contacts, manage_new  # noqa: E402, F401
