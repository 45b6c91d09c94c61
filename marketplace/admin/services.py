"""Administration: the catalogue of help, the neighbourhoods and accounts' roles.

Services flush and audit; the view commits."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace import audit, outbox
from marketplace.catalogue_data import CATEGORIES, NEIGHBOURHOODS
from marketplace.errors import DomainError, FieldError, NotFound
from marketplace.extensions import db
from marketplace.geo import PostcodeError, locate, normalise_postcode
from marketplace.i18n import lazy_gettext as _l
from marketplace.models import (
    Category,
    Neighbourhood,
    NeighbourhoodPostcode,
    OutboxMessage,
    OutboxStatus,
    Role,
    User,
)


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


@dataclass(frozen=True)
class CategoryData:
    slug: str
    name_nl: str
    name_en: str
    description_nl: str = ""
    description_en: str = ""
    requires_vog: bool = False
    requires_training: bool = False
    escalate: bool = False
    recurring: bool = False
    active: bool = True
    position: int = 0


def save_category(actor: User, category: Category | None, data: CategoryData) -> Category:
    """Create (``category`` None) or change a category.

    Raises :class:`FieldError` on the slug when another category already uses it.
    """
    clash = db.session.scalar(sa.select(Category).where(Category.slug == data.slug))
    if clash is not None and clash is not category:
        raise FieldError("slug", _l("Deze code is al in gebruik."))
    action = "category.updated"
    if category is None:
        category = Category()
        db.session.add(category)
        action = "category.created"
    for name, value in asdict(data).items():
        setattr(category, name, value)
    db.session.flush()
    audit.record(actor, action, category, data.slug)
    return category


def parse_postcodes(text: str) -> list[str]:
    """Four-digit postcodes from "1211, 1212 1213" (duplicates dropped, order kept).

    Raises :class:`FieldError` naming the first code that is malformed or unknown.
    """
    codes: list[str] = []
    for piece in re.split(r"[,;\s]+", text or ""):
        if not piece:
            continue
        try:
            pc4 = normalise_postcode(piece)[1]
            locate(pc4)
        except PostcodeError:
            raise FieldError(
                "postcodes", _l("Postcode %(code)s bestaat niet.", code=piece)
            ) from None
        if pc4 not in codes:
            codes.append(pc4)
    return codes


def save_neighbourhood(
    actor: User, neighbourhood: Neighbourhood | None, name: str, postcodes_text: str
) -> Neighbourhood:
    """Create or change a neighbourhood and the postcodes it covers.

    Raises :class:`FieldError` when the name is taken, a postcode does not exist or a
    postcode already belongs to another neighbourhood (the message names the code and it).
    """
    name = name.strip()
    clash = db.session.scalar(sa.select(Neighbourhood).where(Neighbourhood.name == name))
    if clash is not None and clash is not neighbourhood:
        raise FieldError("name", _l("Er is al een wijk met deze naam."))
    codes = parse_postcodes(postcodes_text)
    own_id = neighbourhood.id if neighbourhood is not None else None
    for row in db.session.scalars(
        sa.select(NeighbourhoodPostcode).where(NeighbourhoodPostcode.pc4.in_(codes))
    ):
        if row.neighbourhood_id != own_id:
            raise FieldError("postcodes", _l(
                "Postcode %(code)s hoort al bij wijk %(neighbourhood)s.",
                code=row.pc4, neighbourhood=row.neighbourhood.name,
            ))
    action = "neighbourhood.updated"
    if neighbourhood is None:
        neighbourhood = Neighbourhood(name=name)
        db.session.add(neighbourhood)
        action = "neighbourhood.created"
    neighbourhood.name = name
    # Remove and add by difference: deleting and re-inserting the same key in one flush
    # could collide on the primary key.
    neighbourhood.postcodes = [row for row in neighbourhood.postcodes if row.pc4 in codes]
    kept = {row.pc4 for row in neighbourhood.postcodes}
    neighbourhood.postcodes.extend(
        NeighbourhoodPostcode(pc4=pc4) for pc4 in codes if pc4 not in kept
    )
    db.session.flush()
    audit.record(actor, action, neighbourhood, ", ".join(codes))
    return neighbourhood


def list_users(search: str = "", limit: int = 200) -> list[User]:
    """Accounts by name, optionally filtered on name or e-mail."""
    query = sa.select(User).options(selectinload(User.role_rows)).where(
        User.anonymised_at.is_(None))
    if search:
        # autoescape: a % or _ in the search is a character, not a wildcard.
        text = search.lower()
        query = query.where(sa.or_(sa.func.lower(User.name).contains(text, autoescape=True),
                                   sa.func.lower(User.email).contains(text, autoescape=True)))
    return list(db.session.scalars(query.order_by(User.name, User.id).limit(limit)))


def set_roles(
    actor: User, user: User, roles: set[Role], neighbourhood_id: int | None
) -> User:
    """Give ``user`` exactly ``roles`` and a home neighbourhood (a coordinator's own).

    Raises :class:`DomainError` when no role is left, when an admin would remove their own
    admin role, or the neighbourhood does not exist.
    """
    if not roles:
        raise DomainError(_l("Kies minstens één rol."))
    if user.id == actor.id and Role.ADMIN not in roles:
        raise DomainError(_l("U kunt uw eigen beheerdersrol niet weghalen."))
    if neighbourhood_id is not None and db.session.get(Neighbourhood, neighbourhood_id) is None:
        raise DomainError(_l("Deze wijk bestaat niet."))
    for role in set(user.roles) - roles:
        user.remove_role(role)
    for role in sorted(roles - set(user.roles)):
        user.add_role(role)
    user.neighbourhood_id = neighbourhood_id
    db.session.flush()
    audit.record(actor, "account.roles_set", user,
                 f"roles={','.join(sorted(roles))} wijk={neighbourhood_id or ''}")
    return user


#: What each kind of outbox message is, in words (the admin's "Uitgaande berichten").
OUTBOX_KIND_LABELS = {
    "email": _l("E-mail"),
    "notification": _l("Melding (e-mail)"),
    "matching_round": _l("Matchingsronde"),
    "notifications_tick": _l("Tijdgebonden werk (herinneringen, digest)"),
    "calendar_invite": _l("Agenda-uitnodiging"),
}
#: The outbox's statuses, in words.
OUTBOX_STATUS_LABELS = {
    OutboxStatus.PENDING: _l("Wacht op verzending"),
    OutboxStatus.QUEUED: _l("In de wachtrij"),
    OutboxStatus.RUNNING: _l("Wordt nu verwerkt"),
    OutboxStatus.DONE: _l("Gedaan"),
    OutboxStatus.FAILED: _l("Mislukt, na alle pogingen"),
}


def retry_messages(actor: User, message_ids: list[int] | None) -> int:
    """Offer failed outbox messages again (every failed one with ``None``); audited as
    ``outbox.retried``. Raises NotFound for a message that does not exist, DomainError when
    none of them is failed (any more)."""
    if message_ids is not None and any(
            db.session.get(OutboxMessage, message_id) is None for message_id in message_ids):
        raise NotFound(_l("Dit bericht bestaat niet (meer)."))
    offered = outbox.retry_failed(message_ids)
    if not offered:
        raise DomainError(_l("Er is geen mislukt bericht (meer) om opnieuw te versturen."))
    audit.record(actor, "outbox.retried", None,
                 detail=", ".join(f"#{message_id}" for message_id in offered))
    return len(offered)
