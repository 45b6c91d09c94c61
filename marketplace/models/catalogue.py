"""Data the administrator edits: categories of help and neighbourhoods (in Dutch: wijken)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import Model
from marketplace.models.types import intpk


class Category(Model):
    """A kind of help. ``escalate`` marks help that is never for volunteers (Sociaal Plein)."""

    __tablename__ = "categories"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name_nl: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(80))
    description_nl: Mapped[str] = mapped_column(sa.String(300), default="")
    description_en: Mapped[str] = mapped_column(sa.String(300), default="")
    requires_vog: Mapped[bool] = mapped_column(default=False)
    requires_training: Mapped[bool] = mapped_column(default=False)
    escalate: Mapped[bool] = mapped_column(default=False)
    recurring: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    def name(self, locale: str = "nl") -> str:
        return self.name_en if locale == "en" else self.name_nl

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class Neighbourhood(Model):
    __tablename__ = "neighbourhoods"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    # The CBS wijk code ("WK040201"): the figures compare with the municipality's monitors
    # and the map finds its polygon. Residents living there (for "share volunteering").
    cbs_code: Mapped[str | None] = mapped_column(sa.String(10))
    population: Mapped[int | None]
    postcodes: Mapped[list[NeighbourhoodPostcode]] = relationship(
        back_populates="neighbourhood",
        cascade="all, delete-orphan",
        lazy="select",  # only the admin pages read them (they load them themselves)
        order_by="NeighbourhoodPostcode.pc4",
    )

    @property
    def postcode_list(self) -> list[str]:
        return [row.pc4 for row in self.postcodes]

    def __repr__(self) -> str:
        return f"<Neighbourhood {self.name}>"


class NeighbourhoodPostcode(Model):
    """A four-digit postcode belongs to at most one neighbourhood."""

    __tablename__ = "neighbourhood_postcodes"

    pc4: Mapped[str] = mapped_column(sa.String(4), primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(
        sa.ForeignKey("neighbourhoods.id", ondelete="CASCADE"), index=True
    )
    neighbourhood: Mapped[Neighbourhood] = relationship(back_populates="postcodes")
