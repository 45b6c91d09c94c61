"""The sociale kaart: services of the partner organisations, where and when they are offered,
for whom, and the Hulppunt taxonomy of kinds of help. The tables follow Open Referral HSDS 3.0
(``service``, ``location``, ``address``, ``service_at_location``, ``service_area``,
``schedule``, ``taxonomy``, ``taxonomy_term``, ``contact``, ``phone``); each row's ``uuid`` is
its HSDS id. The organisation is :class:`~marketplace.models.organisations.Organisation`.

Only public information lives here (what a directory prints), except the optional e-mail
address of a person who suggests a correction (:class:`Suggestion`), forgotten once the
suggestion is decided.
"""

from __future__ import annotations

import enum
import unicodedata
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.catalogue import Neighbourhood
from marketplace.models.organisations import Organisation, new_uuid
from marketplace.models.types import UTCDateTime, created_at, enum_column, intpk, utcnow


def fold(text: str) -> str:
    """``text`` in lower case without accents ("Café Één" -> "cafe een"), the form in which
    :attr:`Service.search_text` is stored and searched (alike on SQLite and PostgreSQL)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _uuid_column() -> Mapped[str]:
    return mapped_column(sa.String(36), unique=True, default=new_uuid)


def _owner_fk(table: str) -> Mapped[int | None]:
    return mapped_column(sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True)


class ServiceStatus(enum.StrEnum):
    """HSDS ``service.status``."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"
    TEMPORARILY_CLOSED = "temporarily closed"


class SuggestionStatus(enum.StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"


service_taxonomy_terms = sa.Table(
    "service_taxonomy_terms",
    Model.metadata,
    sa.Column("service_id", sa.ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("taxonomy_term_id", sa.ForeignKey("taxonomy_terms.id", ondelete="CASCADE"),
              primary_key=True),
)


class Taxonomy(Model):
    """HSDS ``taxonomy``: a list of terms (Hulppunt's own kinds of help, or an import's)."""

    __tablename__ = "taxonomies"

    id: Mapped[intpk]
    uuid: Mapped[str] = _uuid_column()
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    uri: Mapped[str] = mapped_column(sa.String(300), default="")
    version: Mapped[str] = mapped_column(sa.String(40), default="")
    terms: Mapped[list[TaxonomyTerm]] = relationship(
        back_populates="taxonomy", order_by="TaxonomyTerm.position"
    )


class TaxonomyTerm(Model):
    """HSDS ``taxonomy_term``: one kind of help. ``name`` is Dutch, ``name_en`` English."""

    __tablename__ = "taxonomy_terms"

    id: Mapped[intpk]
    uuid: Mapped[str] = _uuid_column()
    taxonomy_id: Mapped[int] = mapped_column(
        sa.ForeignKey("taxonomies.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("taxonomy_terms.id", ondelete="SET NULL")
    )
    code: Mapped[str] = mapped_column(sa.String(60), default="")
    name: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(10), default="nl")
    position: Mapped[int] = mapped_column(default=0)

    taxonomy: Mapped[Taxonomy] = relationship(back_populates="terms")
    parent: Mapped[TaxonomyTerm | None] = relationship(remote_side="TaxonomyTerm.id")

    def label(self, locale: str = "nl") -> str:
        return self.name_en if locale == "en" and self.name_en else self.name


class Service(Model):
    """HSDS ``service``: help an organisation offers. ``last_checked_on`` is HSDS
    ``assured_date`` (the owner confirmed the entry); ``search_text`` is the name and
    description in lower case without accents, for a search that works alike everywhere."""

    __tablename__ = "services"

    id: Mapped[intpk]
    uuid: Mapped[str] = _uuid_column()
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(160))
    alternate_name: Mapped[str] = mapped_column(sa.String(160), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(300), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    status: Mapped[ServiceStatus] = enum_column(ServiceStatus, default=ServiceStatus.ACTIVE)
    eligibility_description: Mapped[str] = mapped_column(sa.Text, default="")
    fees_description: Mapped[str] = mapped_column(sa.Text, default="")
    application_process: Mapped[str] = mapped_column(sa.Text, default="")
    minimum_age: Mapped[int | None] = mapped_column()
    maximum_age: Mapped[int | None] = mapped_column()
    last_checked_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )

    organisation: Mapped[Organisation] = relationship()
    terms: Mapped[list[TaxonomyTerm]] = relationship(
        secondary=service_taxonomy_terms, order_by="TaxonomyTerm.position"
    )
    areas: Mapped[list[ServiceArea]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="ServiceArea.name"
    )
    at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="ServiceAtLocation.id"
    )
    schedules: Mapped[list[Schedule]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="Schedule.id"
    )
    contacts: Mapped[list[Contact]] = relationship(
        cascade="all, delete-orphan", order_by="Contact.id"
    )
    phones: Mapped[list[Phone]] = relationship(
        cascade="all, delete-orphan", order_by="Phone.id"
    )

    def refresh_search_text(self) -> None:
        """Fold the words a visitor may search for into :attr:`search_text`."""
        organisation = self.organisation.name if self.organisation is not None else ""
        parts = (self.name, self.alternate_name, self.description, organisation)
        self.search_text = fold(" ".join(part for part in parts if part))

    def __repr__(self) -> str:
        return f"<Service {self.name}>"


class Location(Model):
    """HSDS ``location`` (with its ``accessibility`` folded in: one description per place)."""

    __tablename__ = "locations"

    id: Mapped[intpk]
    uuid: Mapped[str] = _uuid_column()
    organisation_id: Mapped[int | None] = _owner_fk("organisations")
    location_type: Mapped[str] = mapped_column(sa.String(20), default="physical")
    name: Mapped[str] = mapped_column(sa.String(160), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    transportation: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(300), default="")
    latitude: Mapped[float | None] = mapped_column()
    longitude: Mapped[float | None] = mapped_column()
    accessibility: Mapped[str] = mapped_column(sa.Text, default="")
    accessibility_details: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation | None] = relationship()
    addresses: Mapped[list[Address]] = relationship(
        back_populates="location", cascade="all, delete-orphan", order_by="Address.id"
    )


class Address(Model):
    """HSDS ``address`` of a location."""

    __tablename__ = "addresses"

    id: Mapped[intpk]
    uuid: Mapped[str] = _uuid_column()
    location_id: Mapped[int] = mapped_column(
        sa.ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    attention: Mapped[str] = mapped_column(sa.String(160), default="")
    address_1: Mapped[str] = mapped_column(sa.String(160))
    address_2: Mapped[str] = mapped_column(sa.String(160), default="")
    city: Mapped[str] = mapped_column(sa.String(80))
    region: Mapped[str] = mapped_column(sa.String(80), default="")
    state_province: Mapped[str] = mapped_column(sa.String(80), default="Noord-Holland")
    postal_code: Mapped[str] = mapped_column(sa.String(12))
    country: Mapped[str] = mapped_column(sa.String(2), default="NL")
    address_type: Mapped[str] = mapped_column(sa.String(20), default="physical")

    location: Mapped[Location] = relationship(back_populates="addresses")


class ServiceAtLocation(Model):
    """HSDS ``service_at_location``: a service offered at a place."""

    __tablename__ = "service_at_locations"
    __table_args__ = (sa.UniqueConstraint("service_id", "location_id"),)

    id: Mapped[intpk]
    uuid: Mapped[str] = _uuid_column()
    service_id: Mapped[int] = mapped_column(
        sa.ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[int] = mapped_column(
        sa.ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(sa.Text, default="")

    service: Mapped[Service] = relationship(back_populates="at_locations")
    location: Mapped[Location] = relationship()
    schedules: Mapped[list[Schedule]] = relationship(
        back_populates="service_at_location", order_by="Schedule.id"
    )


class ServiceArea(Model):
    """HSDS ``service_area``: a neighbourhood a service serves (``name`` when imported)."""

    __tablename__ = "service_areas"

    id: Mapped[intpk]
    uuid: Mapped[str] = _uuid_column()
    service_id: Mapped[int] = mapped_column(
        sa.ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    neighbourhood_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("neighbourhoods.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")

    service: Mapped[Service] = relationship(back_populates="areas")
    neighbourhood: Mapped[Neighbourhood | None] = relationship()


class Schedule(Model):
    """HSDS ``schedule``: opening hours as an RRULE-like line (``freq`` WEEKLY or MONTHLY,
    ``byday`` "MO,WE" or "2TU", ``bymonthday``), with ``opens_at``/``closes_at``."""

    __tablename__ = "schedules"

    id: Mapped[intpk]
    uuid: Mapped[str] = _uuid_column()
    service_id: Mapped[int | None] = _owner_fk("services")
    service_at_location_id: Mapped[int | None] = _owner_fk("service_at_locations")
    freq: Mapped[str] = mapped_column(sa.String(10), default="WEEKLY")
    interval: Mapped[int] = mapped_column(default=1)
    byday: Mapped[str] = mapped_column(sa.String(40), default="")
    bymonthday: Mapped[str] = mapped_column(sa.String(40), default="")
    opens_at: Mapped[time | None] = mapped_column(sa.Time)
    closes_at: Mapped[time | None] = mapped_column(sa.Time)
    valid_from: Mapped[date | None] = mapped_column(sa.Date)
    valid_to: Mapped[date | None] = mapped_column(sa.Date)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    service: Mapped[Service | None] = relationship(back_populates="schedules")
    service_at_location: Mapped[ServiceAtLocation | None] = relationship(
        back_populates="schedules"
    )


class Contact(Model):
    """HSDS ``contact``: a public contact point (a desk, a role), never a private person."""

    __tablename__ = "contacts"

    id: Mapped[intpk]
    uuid: Mapped[str] = _uuid_column()
    service_id: Mapped[int | None] = _owner_fk("services")
    organisation_id: Mapped[int | None] = _owner_fk("organisations")
    name: Mapped[str] = mapped_column(sa.String(160), default="")
    title: Mapped[str] = mapped_column(sa.String(160), default="")
    department: Mapped[str] = mapped_column(sa.String(160), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")


class Phone(Model):
    """HSDS ``phone`` of a service, location, organisation or contact."""

    __tablename__ = "phones"

    id: Mapped[intpk]
    uuid: Mapped[str] = _uuid_column()
    service_id: Mapped[int | None] = _owner_fk("services")
    location_id: Mapped[int | None] = _owner_fk("locations")
    organisation_id: Mapped[int | None] = _owner_fk("organisations")
    contact_id: Mapped[int | None] = _owner_fk("contacts")
    number: Mapped[str] = mapped_column(sa.String(40))
    extension: Mapped[int | None] = mapped_column()
    type: Mapped[str] = mapped_column(sa.String(20), default="voice")
    description: Mapped[str] = mapped_column(sa.Text, default="")


class Suggestion(Model):
    """A correction to a service suggested by anyone (no login). ``email`` (optional) is the
    only personal data of the sociale kaart: it is forgotten when the suggestion is decided."""

    __tablename__ = "service_suggestions"
    __table_args__ = (sa.Index("ix_service_suggestions_open", "status", "service_id"),)

    id: Mapped[intpk]
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("services.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(sa.Text)
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    status: Mapped[SuggestionStatus] = enum_column(SuggestionStatus,
                                                   default=SuggestionStatus.OPEN)
    created_at: Mapped[created_at]
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    service: Mapped[Service] = relationship()


@sa.event.listens_for(Session, "before_flush")
def _refresh_search_texts(session: Session, _context: Any, _instances: Any) -> None:
    """Every service written keeps its search text in step with its words."""
    for instance in (*session.new, *session.dirty):
        if isinstance(instance, Service):
            instance.refresh_search_text()
