"""The HSDS 3.0 JSON Schemas (copied unchanged from Open Referral into
``marketplace/data/hsds-3.0/``, CC BY-SA 4.0) as a :mod:`referencing` registry, and
validators for one object or one page of the API.

The files carry no ``$id``; each is registered under :data:`BASE` + its file name, so their
relative ``$ref`` ("organization.json") resolve inside the registry, never on the network.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "hsds-3.0"
BASE = "https://hulppunt.invalid/hsds-3.0/"
OPENAPI = "openapi.json"


@cache
def registry() -> Registry:  # type: ignore[type-arg]
    """Every schema file, registered by its URI under :data:`BASE`."""
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        resources.append((BASE + path.name, resource))
    return Registry().with_resources(resources)


def page_schema() -> dict[str, Any]:
    """The OpenAPI ``Page`` schema (total_items, total_pages, page_number, size, ...)."""
    openapi = json.loads((SCHEMA_DIR / OPENAPI).read_text(encoding="utf-8"))
    page: dict[str, Any] = openapi["components"]["schemas"]["Page"]
    return page


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one HSDS object of schema ``name`` ("service", "organization"...)."""
    return Draft202012Validator(
        {"$ref": f"{BASE}{name}.json"}, registry=registry(), format_checker=FormatChecker()
    )


@cache
def page_validator(name: str) -> Draft202012Validator:
    """A validator for a page of the API whose ``contents`` are objects of ``name``."""
    schema = {
        "allOf": [page_schema()],
        "type": "object",
        "required": ["total_items", "total_pages", "page_number", "size", "first_page",
                     "last_page", "empty", "contents"],
        "properties": {"contents": {"type": "array", "items": {"$ref": f"{BASE}{name}.json"}}},
    }
    return Draft202012Validator(schema, registry=registry(), format_checker=FormatChecker())


def errors(name: str, instance: Any) -> list[str]:
    """Every way ``instance`` breaks schema ``name``, as "path: message" lines."""
    found = sorted(validator(name).iter_errors(instance), key=lambda error: list(error.path))
    return [f"{'/'.join(str(part) for part in error.path) or '(top)'}: {error.message}"
            for error in found]
