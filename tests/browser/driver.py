"""A person at the browser: with mouse and big screen, keyboard only, or on a small phone.

The journeys are written once against :class:`Driver`; the keyboard driver reaches every
control with Tab (and arrow keys inside radio groups and selects) and checks that the focus
ring is visible; the phone driver checks that no page scrolls sideways at 360px.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

MAX_TABS = 200

IS_FOCUSED = "el => el === document.activeElement"
FOCUS_RING = """el => {
  const style = getComputedStyle(el);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 3;
}"""
PAGE_WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"


class Driver:
    """Drive one page. ``keyboard``: no mouse at all. ``phone``: check the 360px layout."""

    def __init__(self, page: Any, keyboard: bool = False) -> None:
        self.page = page
        self.keyboard = keyboard

    # -- navigation ---------------------------------------------------------------------

    def start(self, path: str = "/") -> None:
        """Type an address in the address bar."""
        self.page.goto(path)
        self.check_layout()

    def link(self, name: str, scope: Any = None, exact: bool = False) -> None:
        self._activate((scope or self.page).get_by_role("link", name=name, exact=exact).first)

    def nav(self, name: str) -> None:
        self.link(name, self.page.get_by_role("navigation", name="Hoofdmenu"))

    def button(self, name: str, scope: Any = None, exact: bool = False) -> None:
        self._activate((scope or self.page).get_by_role("button", name=name, exact=exact).first)

    def _activate(self, target: Any) -> None:
        """Follow a link or press a button; every one of them loads a new page."""
        if self.keyboard:
            self.tab_to(target)
            with self.page.expect_navigation():
                self.page.keyboard.press("Enter")
        else:
            with self.page.expect_navigation():
                target.click()
        self.page.wait_for_load_state()
        self.check_layout()

    # -- form controls ------------------------------------------------------------------

    def fill(self, label: str, text: str, scope: Any = None, exact: bool = False) -> None:
        field = (scope or self.page).get_by_label(label, exact=exact)
        if self.keyboard:
            self.tab_to(field)
            self.page.keyboard.press("Control+A")
            self.page.keyboard.press("Delete")
            self.page.keyboard.type(text)
            expect(field).to_have_value(text)
        else:
            field.fill(text)

    def check(self, label: str, scope: Any = None, exact: bool = False) -> None:
        box = (scope or self.page).get_by_label(label, exact=exact)
        if not self.keyboard:
            box.check()
            return
        if box.get_attribute("type") == "radio":
            self._choose_radio(box)
        elif not box.is_checked():
            self.tab_to(box)
            self.page.keyboard.press("Space")
        expect(box).to_be_checked()

    def _choose_radio(self, radio: Any) -> None:
        """Tab into the group (lands on its checked radio), then arrow to the wanted one."""
        name = radio.get_attribute("name")
        group = self.page.locator(f"input[type=radio][name='{name}']")
        self._tab_until(lambda: group.evaluate_all(
            "els => els.includes(document.activeElement)"))
        for _ in range(group.count() + 1):
            if radio.is_checked():
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"Could not reach radio {name} with the arrow keys")

    def select(self, label: str, option: str, scope: Any = None, exact: bool = False) -> None:
        field = (scope or self.page).get_by_label(label, exact=exact)
        if not self.keyboard:
            field.select_option(label=option)
            return
        self.tab_to(field)
        self.page.keyboard.press("Home")
        for _ in range(60):
            if field.evaluate("el => el.selectedOptions[0].label") == option:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"Option {option!r} not reachable with the arrow keys")

    # -- keyboard -----------------------------------------------------------------------

    def tab_to(self, target: Any) -> None:
        """Press Tab until ``target`` has focus; then its focus ring must be visible."""
        expect(target).to_be_visible()
        self._tab_until(lambda: target.evaluate(IS_FOCUSED))
        assert target.evaluate(FOCUS_RING), "no visible focus ring"

    def _tab_until(self, reached: Any) -> None:
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            if reached():
                return
        raise AssertionError("Could not reach the control with the Tab key")

    # -- checks -------------------------------------------------------------------------

    def check_layout(self) -> None:
        """On every page: no sideways scrolling at this width."""
        scroll_width, width = self.page.evaluate(PAGE_WIDTH)
        assert scroll_width <= width, f"{self.page.url} scrolls sideways ({scroll_width}px)"

    def expect_status(self, text: str) -> None:
        expect(self.page.get_by_role("status")).to_contain_text(text)

    def expect_h1(self, text: str) -> None:
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(text)
