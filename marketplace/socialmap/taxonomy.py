"""The Hulppunt taxonomy of kinds of help (HSDS ``taxonomy`` and ``taxonomy_term``).

The ids are fixed (UUID 5 of the code), so every Hulppunt installation publishes the same
term ids and another site can rely on them.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Taxonomy, TaxonomyTerm

NAMESPACE = uuid.UUID("5b0c8f6e-2f4e-4c1b-9a57-3d1e8c2a7f10")
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "hulppunt-soorten-hulp"))
TAXONOMY_NAME = "Hulppunt soorten hulp"

# code, Dutch name, English name, Dutch description
TERMS: list[tuple[str, str, str, str]] = [
    ("informatie-advies", "Informatie en advies", "Information and advice",
     "Vragen over zorg, welzijn, geld, wonen of werk."),
    ("boodschappen-maaltijden", "Boodschappen en maaltijden", "Shopping and meals",
     "Hulp bij boodschappen, samen eten of een maaltijd aan huis."),
    ("voedsel-kleding", "Voedsel en kleding", "Food and clothing",
     "Voedselpakketten, kledingbank en andere steun bij weinig geld."),
    ("vervoer", "Vervoer", "Transport", "Een lift naar een afspraak of een uitje."),
    ("klussen-reparatie", "Klussen en reparaties", "Odd jobs and repairs",
     "Kleine klussen in huis, tuinhulp en spullen repareren."),
    ("digitale-hulp", "Computer- en telefoonhulp", "Help with computer or phone",
     "Uitleg over de computer, de telefoon, DigiD en internet."),
    ("administratie-geld", "Administratie en geldzaken", "Paperwork and money matters",
     "Hulp bij brieven, formulieren, belastingaangifte en schulden."),
    ("gezelschap", "Gezelschap en bezoek", "Company and visits",
     "Bezoek aan huis, een maatje of samen wandelen."),
    ("mantelzorg", "Steun voor mantelzorgers", "Support for informal carers",
     "Advies, een luisterend oor en even vrij van de zorg."),
    ("taal", "Taal en inburgering", "Language and integration",
     "Nederlands oefenen, taalcafés en hulp bij inburgering."),
    ("ontmoeting", "Ontmoeting en activiteiten", "Meeting people and activities",
     "Koffieochtenden, uitjes en activiteiten in de wijk."),
    ("wonen-huishouden", "Wonen en huishouden", "Home and household",
     "Hulp in het huishouden en aanpassingen in huis."),
]


def term_id(code: str) -> str:
    """The fixed HSDS id of the Hulppunt term ``code``."""
    return str(uuid.uuid5(NAMESPACE, f"term:{code}"))


def ensure_taxonomy() -> Taxonomy:
    """Add the Hulppunt taxonomy and those of its terms that are missing (by id); flushes.
    Returns the taxonomy. Names of existing terms are left as an editor made them."""
    taxonomy = db.session.scalar(sa.select(Taxonomy).where(Taxonomy.uuid == TAXONOMY_ID))
    if taxonomy is None:
        taxonomy = Taxonomy(
            uuid=TAXONOMY_ID, name=TAXONOMY_NAME, version="1",
            description="Soorten hulp op de sociale kaart van Hulppunt.",
        )
        db.session.add(taxonomy)
        db.session.flush()
    existing = set(db.session.scalars(sa.select(TaxonomyTerm.uuid)))
    for position, (code, name, name_en, description) in enumerate(TERMS):
        if term_id(code) not in existing:
            db.session.add(TaxonomyTerm(
                uuid=term_id(code), taxonomy_id=taxonomy.id, code=code, name=name,
                name_en=name_en, description=description, position=position,
            ))
    db.session.flush()
    return taxonomy


def term_by_code(code: str) -> TaxonomyTerm:
    """The Hulppunt term ``code`` (after :func:`ensure_taxonomy`); raises LookupError."""
    term = db.session.scalar(sa.select(TaxonomyTerm).where(TaxonomyTerm.uuid == term_id(code)))
    if term is None:
        raise LookupError(code)
    return term
