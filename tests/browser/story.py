"""The main journey as a story in steps, told through the pages by the people in it.

A :class:`Story` remembers who took part and where things are; ``tell(story, until)`` plays
the steps that have not been played yet, so every journey test can run on its own (it plays
the earlier steps first) and the tests in a file share one story without repeating it.
Each story uses its own kind of help and neighbourhood, so stories never meet in a
matching round.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import expect

from marketplace.vocabulary import local_today
from tests.browser import helpers
from tests.browser.conftest import PASSWORD, Account, LiveServer
from tests.browser.driver import Driver


@dataclass
class Story:
    key: str                       # used in names and e-mail addresses
    category: str                  # the kind of help, as labelled in the forms
    postcode: str
    neighbourhood: str
    server: LiveServer
    open_page: Callable[..., Any]  # a fresh browser page (new person, no cookies)
    keyboard: bool = False
    viewport: dict[str, int] | None = None
    screenshots: bool = False
    resident: Account | None = None
    volunteer: Account | None = None
    request_url: str = ""
    match_url: str = ""
    round_url: str = ""
    profile_url: str = ""
    played: set[int] = field(default_factory=set)

    @property
    def title(self) -> str:
        return f"{self.category}: hulp gezocht ({self.key})"

    def driver(self) -> Driver:
        return Driver(self.open_page(self.viewport), keyboard=self.keyboard)

    def shot(self, driver: Driver, name: str, full_page: bool = False) -> None:
        if self.screenshots:
            helpers.shot(driver.page, name, full_page)


# -- people ---------------------------------------------------------------------------------


def register(d: Driver, name: str, email: str, postcode: str, volunteer: bool = False) -> Account:
    d.start("/")
    d.nav("Account maken")
    d.expect_h1("Account maken")
    d.fill("Uw naam", name)
    d.fill("E-mailadres", email)
    d.fill("Kies een wachtwoord", PASSWORD)
    d.fill("Herhaal het wachtwoord", PASSWORD)
    d.fill("Postcode", postcode)
    if volunteer:
        d.check("Ik wil ook helpen als vrijwilliger")
    d.check("Ik heb de privacyverklaring gelezen en ga akkoord")
    d.button("Account maken", d.page.get_by_role("main"))
    d.expect_status("Uw account is gemaakt")
    return Account(email, PASSWORD, name)


def log_in(d: Driver, account: Account) -> None:
    d.start("/")
    d.nav("Inloggen")
    d.fill("E-mailadres", account.email)
    d.fill("Wachtwoord", account.password, exact=True)
    d.button("Inloggen", d.page.get_by_role("main"))
    expect(d.page.get_by_role("status")).to_contain_text(re.compile("U bent ingelogd|logged in"))
    if d.page.locator("html").get_attribute("lang") != "nl":
        d.button("Nederlands")  # the account remembers a language chosen earlier


# -- the steps ------------------------------------------------------------------------------


def resident_posts_request(story: Story) -> None:
    """1. A resident registers, asks for help and sees it waiting for approval."""
    d = story.driver()
    story.resident = register(
        d, f"Annie de Vries ({story.key})", helpers.unique_email(f"annie.{story.key}."),
        story.postcode,
    )
    d.start("/")
    story.shot(d, "home")
    d.link("Hulp vragen", d.page.get_by_role("main"))
    d.expect_h1("Hulp vragen")
    story.shot(d, "new-request")
    d.select("Soort hulp", story.category)
    d.fill("Korte omschrijving", story.title)
    d.fill("Wat heeft u nodig?", "Ik kan slecht lopen. Wie helpt mij op vrijdag? Graag!")
    d.check("Elke week")
    d.select("Dag van de week", "vrijdag")
    d.fill("Straat en huisnummer", "Kerkstraat 12")
    d.button("Aanvraag versturen")
    d.expect_status("Uw aanvraag is verstuurd")
    d.expect_h1(story.title)
    expect(d.page.locator(".badge-submitted")).to_have_text("Wacht op goedkeuring")
    story.request_url = d.page.url
    d.nav("Mijn aanvragen")
    card = d.page.locator(".request-card", has_text=story.title)
    expect(card).to_contain_text("Wacht op goedkeuring")
    story.shot(d, "my-requests")


def volunteer_signs_up(story: Story) -> None:
    """A volunteer registers and fills in what, when and how far."""
    d = story.driver()
    story.volunteer = register(
        d, f"Vera Vrijwilliger ({story.key})", helpers.unique_email(f"vera.{story.key}."),
        story.postcode, volunteer=True,
    )
    d.expect_h1("Ik wil helpen als vrijwilliger")
    d.check(story.category, exact=True)
    for slot in ("vrijdag ochtend", "vrijdag middag", "zaterdag ochtend"):
        d.check(slot, exact=True)
    story.shot(d, "volunteer-profile")
    d.button("Profiel opslaan")
    d.expect_status("Uw vrijwilligersprofiel is opgeslagen")


def coordinator_matches(story: Story) -> None:
    """2. The coordinator approves the request, runs a round, reads why, approves it."""
    assert story.volunteer is not None
    d = story.driver()
    log_in(d, story.server.coordinator)
    d.nav("Back office")
    d.expect_h1("Back office")
    d.link("Vrijwilligers controleren")
    d.select("Wijk", story.neighbourhood, exact=True)
    d.button("Filteren")
    d.link(story.volunteer.name)
    story.profile_url = d.page.url
    d.button("Vrijwilliger is gecontroleerd")
    d.expect_status("")
    d.nav("Back office")
    d.link("Nieuwe aanvragen beoordelen")
    d.select("Wijk", story.neighbourhood, exact=True)
    d.button("Filteren")
    story.shot(d, "staff-queue")
    d.link(story.title)
    d.expect_h1(story.title)
    d.button("Goedkeuren")
    expect(d.page.locator(".badge-open")).to_be_visible()
    d.nav("Koppelrondes")
    d.expect_h1("Koppelrondes")
    d.select("Wijk", story.neighbourhood, exact=True)
    d.button("Ronde starten")
    story.round_url = d.page.url
    card = d.page.locator(".card", has_text=story.title)
    expect(card).to_contain_text(story.volunteer.name)
    expect(card).to_contain_text("Waarom deze vrijwilliger")
    expect(card).to_contain_text("km")
    story.shot(d, "round", full_page=True)
    d.check("Dit voorstel goedkeuren", card)
    d.button("Gekozen voorstellen goedkeuren")
    d.expect_status("naar de vrijwilligers gestuurd")
    expect(d.page.locator(".card", has_text=story.title)).to_contain_text("wacht op antwoord")


def volunteer_accepts(story: Story) -> None:
    """3. The volunteer sees the proposal, accepts, and then sees the contact details."""
    assert story.volunteer is not None
    assert story.resident is not None
    d = story.driver()
    log_in(d, story.volunteer)
    d.nav("Mijn hulp")
    proposals = d.page.get_by_role("region", name="Vragen aan u")
    card = proposals.locator(".card", has_text=story.title)
    expect(card).to_be_visible()
    story.shot(d, "volunteer-proposals")
    d.link("Meer lezen", card)
    d.expect_h1(story.title)
    expect(d.page.get_by_text("Kerkstraat 12")).to_have_count(0)
    expect(d.page.get_by_text(story.resident.name)).to_have_count(0)
    d.button("Ja, ik help")
    d.expect_status("U ziet nu de gegevens")
    contact = d.page.get_by_role("region", name="Contactgegevens")
    expect(contact).to_contain_text(story.resident.name)
    expect(contact).to_contain_text("Kerkstraat 12")
    story.match_url = d.page.url
    story.shot(d, "match-accepted")


def both_confirm_and_review(story: Story) -> None:
    """4. Weekly help: the volunteer notes a visit, the resident later stops the help, and
    both leave feedback."""
    assert story.volunteer is not None
    assert story.resident is not None
    d = story.driver()
    log_in(d, story.volunteer)
    d.nav("Mijn hulp")
    helping = d.page.get_by_role("region", name="Waar u bij helpt")
    d.link(story.title, helping)
    expect(d.page.get_by_label("Op welke dag heeft u geholpen?")).to_have_value(
        local_today().isoformat())
    d.fill("Hoeveel uur? (niet verplicht)", "1,5")
    d.button("Melden dat ik heb geholpen")
    d.expect_status("Genoteerd")
    visits = d.page.get_by_role("region", name="Wanneer is er geholpen?")
    expect(visits).to_contain_text("1,5 uur")
    d.check("5", exact=True)
    d.fill("Wat wilt u nog kwijt? (niet verplicht)", "Fijne ochtend gehad.")
    d.button("Beoordeling versturen")
    d.expect_status("Bedankt voor uw beoordeling")

    d = story.driver()
    log_in(d, story.resident)
    d.nav("Mijn aanvragen")
    d.link(story.title)
    volunteer_section = d.page.get_by_role("region", name="Uw vrijwilliger")
    expect(volunteer_section).to_contain_text(story.volunteer.name)
    d.link("Hulp gegeven melden of beoordelen", volunteer_section)
    expect(d.page.get_by_role("region", name="Wanneer is er geholpen?")).to_contain_text(
        "1,5 uur")
    d.fill("Waarom stopt de hulp? (niet verplicht)", "Ik loop weer goed.")
    d.button("Stoppen met deze hulp")
    d.expect_status("De hulp is gestopt")
    d.check("4", exact=True)
    d.button("Beoordeling versturen")
    d.expect_status("Bedankt voor uw beoordeling")
    d.nav("Mijn aanvragen")
    expect(d.page.locator(".request-card", has_text=story.title)).to_contain_text("Klaar")


STEPS = [
    resident_posts_request,
    volunteer_signs_up,
    coordinator_matches,
    volunteer_accepts,
    both_confirm_and_review,
]


def tell(story: Story, until: Callable[[Story], None]) -> None:
    """Play every step up to and including ``until`` that has not been played yet."""
    for number, step in enumerate(STEPS[: STEPS.index(until) + 1]):
        if number not in story.played:
            step(story)
            story.played.add(number)
