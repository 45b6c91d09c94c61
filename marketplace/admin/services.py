"""Administration: the catalogue of help and the neighbourhoods."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.catalogue_data import CATEGORIES, NEIGHBOURHOODS
from marketplace.extensions import db
from marketplace.models import Category, Neighbourhood, NeighbourhoodPostcode


def seed_catalogue() -> int:
    """Add the shipped categories and neighbourhoods that are missing; returns rows added."""
    added = 0
    existing = set(db.session.scalars(sa.select(Category.slug)))
    for position, row in enumerate(CATEGORIES):
        slug, name_nl, name_en, vog, training, escalate, recurring = row
        if slug in existing:
            continue
        db.session.add(Category(
            slug=slug, name_nl=name_nl, name_en=name_en, requires_vog=vog,
            requires_training=training, escalate=escalate, recurring=recurring,
            position=position,
        ))
        added += 1
    names = set(db.session.scalars(sa.select(Neighbourhood.name)))
    taken = set(db.session.scalars(sa.select(NeighbourhoodPostcode.pc4)))
    for name, postcodes in NEIGHBOURHOODS.items():
        if name in names:
            continue
        neighbourhood = Neighbourhood(name=name)
        neighbourhood.postcodes = [
            NeighbourhoodPostcode(pc4=pc4) for pc4 in postcodes if pc4 not in taken
        ]
        db.session.add(neighbourhood)
        added += 1
    db.session.flush()
    return added


def neighbourhood_for_pc4(pc4: str) -> Neighbourhood | None:
    row = db.session.get(NeighbourhoodPostcode, pc4)
    return row.neighbourhood if row is not None else None
