"""The read-only HSDS 3.0 API (``/api/hsds/``): what the sociale kaart publishes for other
municipal sites and the library's directory. JSON only, no login, no cookies needed, open to
every origin (CORS); paged as the HSDS OpenAPI says (``page``, ``per_page``; answers carry
``total_items``, ``total_pages``, ``page_number``, ``size``, ``first_page``, ``last_page``,
``empty`` and ``contents``).

A query parameter that does not fit (``page=x``, ``per_page=0``, a date that is none) is
ignored, as everywhere on the site: its default applies; ``per_page`` is at most
:data:`MAX_PER_PAGE`. An unknown id answers 404 with ``{"error": ...}``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from marketplace.extensions import csrf, db
from marketplace.hsds import serialise
from marketplace.models import (
    Organisation,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from marketplace.models.socialmap import fold, service_taxonomy_terms
from marketplace.socialmap.services import filtered, published_services

blueprint = Blueprint("hsds", __name__, url_prefix="/api/hsds")
csrf.exempt(blueprint)

HSDS_VERSION = "3.0"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 100_000


@blueprint.after_request
def _open_to_every_site(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@blueprint.errorhandler(HTTPException)
def _json_error(error: HTTPException) -> tuple[Response, int]:
    return jsonify({"error": error.description}), error.code or 500


def _int_arg(name: str, default: int, high: int) -> int:
    """``?name=`` as a whole number in 1..``high`` (more: ``high``); else ``default``."""
    raw = request.args.get(name, "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        return default
    return min(int(raw), high)


def _page(query: sa.Select[Any], to_json: Callable[[Any], serialise.Json]) -> Response:
    per_page = _int_arg("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    number = _int_arg("page", 1, MAX_PAGE)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    rows = list(db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return jsonify({
        "total_items": total, "total_pages": pages, "page_number": number, "size": len(rows),
        "first_page": number == 1, "last_page": number >= pages, "empty": not rows,
        "contents": [to_json(row) for row in rows],
    })


def _flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "true", "yes")


def _modified_after() -> datetime | None:
    """``?modified_after=`` as an ISO date-time (UTC when no zone is given); else None."""
    raw = request.args.get("modified_after", "")[:40]
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _services_query() -> sa.Select[Service]:
    query = filtered(published_services(), request.args.get("search", "")[:100])
    if term := request.args.get("taxonomy_term_id"):
        query = query.where(Service.id.in_(
            sa.select(service_taxonomy_terms.c.service_id).join(TaxonomyTerm)
            .where(TaxonomyTerm.uuid == term)))
    if taxonomy := request.args.get("taxonomy_id"):
        query = query.where(Service.id.in_(
            sa.select(service_taxonomy_terms.c.service_id).join(TaxonomyTerm).join(Taxonomy)
            .where(Taxonomy.uuid == taxonomy)))
    if organisation := request.args.get("organization_id"):
        query = query.where(Organisation.uuid == organisation)
    if (moment := _modified_after()) is not None:
        query = query.where(Service.updated_at >= moment)
    return query.options(selectinload(Service.organisation), selectinload(Service.terms))


@blueprint.get("/")
def index() -> Response:
    """The API's version (HSDS ``/``)."""
    return jsonify({"version": HSDS_VERSION,
                    "profile": "https://docs.openreferral.org/en/v3.0/",
                    "openapi_url": url_for("hsds.openapi", _external=True)})


@blueprint.get("/openapi.json")
def openapi() -> Response:
    """The HSDS OpenAPI description this API follows (Open Referral, CC BY-SA 4.0)."""
    from marketplace.hsds.schemas import OPENAPI, SCHEMA_DIR

    response = Response((SCHEMA_DIR / OPENAPI).read_bytes(), mimetype="application/json")
    return response


@blueprint.get("/services")
def list_services() -> Response:
    full = _flag("full")
    return _page(_services_query(), lambda row: serialise.service(row, full=full))


@blueprint.get("/services/<string:service_id>")
def show_service(service_id: str) -> Response:
    row = db.session.scalar(published_services().where(Service.uuid == service_id))
    if row is None:
        abort(404, description="No such service")
    return jsonify(serialise.service(row))


def _organisations() -> sa.Select[Organisation]:
    query = sa.select(Organisation).where(Organisation.active.is_(True)).order_by(
        Organisation.name)
    for word in fold(request.args.get("search", "")[:100]).split():
        query = query.where(sa.func.lower(Organisation.name).contains(word, autoescape=True))
    return query


def _services_of(organisation: Organisation) -> list[Service]:
    return list(db.session.scalars(
        published_services().where(Service.organisation_id == organisation.id)))


@blueprint.get("/organizations")
def list_organizations() -> Response:
    full = _flag("full") or _flag("full_service")
    return _page(_organisations(), lambda row: serialise.organization(
        row, _services_of(row) if full else None))


@blueprint.get("/organizations/<string:organization_id>")
def show_organization(organization_id: str) -> Response:
    row = db.session.scalar(_organisations().where(Organisation.uuid == organization_id))
    if row is None:
        abort(404, description="No such organization")
    return jsonify(serialise.organization(row, _services_of(row)))


def _service_at_locations() -> sa.Select[ServiceAtLocation]:
    services = _services_query().with_only_columns(Service.id).order_by(None)
    return (sa.select(ServiceAtLocation).where(ServiceAtLocation.service_id.in_(services))
            .order_by(ServiceAtLocation.id))


@blueprint.get("/service_at_locations")
def list_service_at_locations() -> Response:
    return _page(_service_at_locations(), serialise.service_at_location)


@blueprint.get("/service_at_locations/<string:item_id>")
def show_service_at_location(item_id: str) -> Response:
    row = db.session.scalar(_service_at_locations().where(ServiceAtLocation.uuid == item_id))
    if row is None:
        abort(404, description="No such service_at_location")
    return jsonify(serialise.service_at_location(row))


@blueprint.get("/taxonomies")
def list_taxonomies() -> Response:
    return _page(sa.select(Taxonomy).order_by(Taxonomy.name), serialise.taxonomy)


@blueprint.get("/taxonomies/<string:taxonomy_id>")
def show_taxonomy(taxonomy_id: str) -> Response:
    row = db.session.scalar(sa.select(Taxonomy).where(Taxonomy.uuid == taxonomy_id))
    if row is None:
        abort(404, description="No such taxonomy")
    return jsonify(serialise.taxonomy(row))


@blueprint.get("/taxonomy_terms")
def list_taxonomy_terms() -> Response:
    query = sa.select(TaxonomyTerm).join(Taxonomy).order_by(Taxonomy.name, TaxonomyTerm.position,
                                                             TaxonomyTerm.name)
    if taxonomy := request.args.get("taxonomy_id"):
        query = query.where(Taxonomy.uuid == taxonomy)
    if _flag("top_only"):
        query = query.where(TaxonomyTerm.parent_id.is_(None))
    for word in fold(request.args.get("search", "")[:100]).split():
        query = query.where(sa.func.lower(TaxonomyTerm.name).contains(word, autoescape=True))
    return _page(query, serialise.taxonomy_term)


@blueprint.get("/taxonomy_terms/<string:term_id>")
def show_taxonomy_term(term_id: str) -> Response:
    row = db.session.scalar(sa.select(TaxonomyTerm).where(TaxonomyTerm.uuid == term_id))
    if row is None:
        abort(404, description="No such taxonomy term")
    return jsonify(serialise.taxonomy_term(row))
