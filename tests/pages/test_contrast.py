"""Every theme's palette meets WCAG 2.1 AA contrast (text 4.5:1, UI parts 3:1).

A theme (static/themes/<name>.css) sets basis tokens; static/css/tokens.css builds the
--hulppunt-* and --utrecht-* tokens from them. The pairs below are the colours the pages put
on each other, named by token and resolved per theme, so a new theme is checked by adding
its file. axe checks the rendered pages too (tests/browser/test_accessibility.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static"
THEMES = sorted(path.stem for path in (STATIC / "themes").glob("*.css"))
DECLARATION = re.compile(r"(--[a-z0-9-]+):\s*([^;]+);")


def tokens(theme: str) -> dict[str, str]:
    """Every custom property of tokens.css and the theme (the theme wins), unresolved."""
    found: dict[str, str] = {}
    for path in (STATIC / "css" / "tokens.css", STATIC / "themes" / f"{theme}.css"):
        found.update(DECLARATION.findall(path.read_text(encoding="utf-8")))
    return found


def resolve(theme: str, name_or_hex: str) -> str:
    """A token name (without the leading --) or a hex colour -> the hex colour."""
    values = tokens(theme)
    value = name_or_hex if name_or_hex.startswith("#") else f"var(--{name_or_hex})"
    while (reference := re.fullmatch(r"var\((--[a-z0-9-]+)\)", value.strip())) is not None:
        value = values[reference.group(1)]
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", value), f"{theme}: {name_or_hex} is {value}"
    return value


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(theme: str, foreground: str, background: str) -> float:
    lighter, darker = sorted(
        (_luminance(resolve(theme, foreground)), _luminance(resolve(theme, background))),
        reverse=True,
    )
    return (lighter + 0.05) / (darker + 0.05)


H = "hulppunt-"
TEXT_PAIRS = [
    (f"{H}ink", f"{H}surface"), (f"{H}ink", f"{H}paper"), (f"{H}ink", f"{H}surface-subtle"),
    (f"{H}ink-soft", f"{H}surface"), (f"{H}ink-soft", f"{H}paper"),
    (f"{H}ink", f"{H}brand-tint"), (f"{H}brand-ink", f"{H}surface"),
    (f"{H}brand-ink", f"{H}paper"), (f"{H}brand-ink-hover", f"{H}brand-tint"),
    (f"{H}brand-ink", f"{H}brand-tint"), (f"{H}on-brand", f"{H}brand"),
    (f"{H}link", f"{H}surface"), (f"{H}link", f"{H}paper"), (f"{H}link", f"{H}brand-tint"),
    (f"{H}link-hover", f"{H}surface"), (f"{H}link-visited", f"{H}surface"),
    (f"{H}link-visited", f"{H}paper"), (f"{H}accent", f"{H}surface"),
    (f"{H}accent-strong", f"{H}accent-tint"), (f"{H}footer-ink", f"{H}footer-bg"),
    ("utrecht-button-primary-action-color", "utrecht-button-primary-action-background-color"),
    ("utrecht-button-primary-action-hover-color",
     "utrecht-button-primary-action-hover-background-color"),
    ("utrecht-button-secondary-action-color", "utrecht-button-secondary-action-background-color"),
    ("utrecht-button-secondary-action-hover-color",
     "utrecht-button-secondary-action-hover-background-color"),
    ("utrecht-button-primary-action-danger-color",
     "utrecht-button-primary-action-danger-background-color"),
    ("utrecht-button-primary-action-danger-color",
     "utrecht-button-primary-action-danger-hover-background-color"),
    ("utrecht-skip-link-color", "utrecht-skip-link-background-color"),
    (f"{H}success-ink", f"{H}success-bg"), (f"{H}error-ink", f"{H}error-bg"),
    (f"{H}error-ink", f"{H}surface"), (f"{H}warning-ink", f"{H}warning-bg"),
    (f"{H}info-ink", f"{H}info-bg"),
    *[
        (f"{H}badge-{kind}-ink", f"{H}badge-{kind}-bg")
        for kind in ("neutral", "waiting", "question", "open", "proposed", "good", "done",
                     "stopped", "bad", "escalated")
    ],
]

UI_PAIRS = [
    (f"{H}line", f"{H}surface"), (f"{H}line", f"{H}paper"), (f"{H}focus", f"{H}surface"),
    (f"{H}focus", f"{H}paper"), (f"{H}focus", f"{H}brand-tint"), (f"{H}brand", f"{H}surface"),
    (f"{H}brand", f"{H}paper"), (f"{H}error-line", f"{H}surface"), (f"{H}line", f"{H}success-bg"),
    (f"{H}focus-halo", f"{H}footer-bg"),
]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("foreground", "background"), TEXT_PAIRS)
def test_text_contrast_is_at_least_4_5(theme: str, foreground: str, background: str) -> None:
    assert contrast(theme, foreground, background) >= 4.5


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("foreground", "background"), UI_PAIRS)
def test_component_contrast_is_at_least_3(theme: str, foreground: str, background: str) -> None:
    assert contrast(theme, foreground, background) >= 3.0


def test_there_are_two_themes_at_least() -> None:
    assert {"hulppunt", "gemeente-voorbeeld"} <= set(THEMES)


@pytest.mark.parametrize("theme", THEMES)
def test_body_text_is_18px_with_line_height_1_5(theme: str) -> None:
    values = tokens(theme)
    assert float(values["--basis-text-font-size-md"].removesuffix("rem")) >= 1.125
    assert float(values["--basis-text-line-height-md"]) >= 1.5


def test_body_uses_the_theme_type_and_a_3px_focus_ring() -> None:
    css = (STATIC / "css" / "hulppunt.css").read_text(encoding="utf-8")
    body = re.search(r"\nbody \{(.*?)\}", css, re.S)
    assert body is not None
    assert "font-size: var(--hulppunt-font-size)" in body.group(1)
    assert "line-height: var(--hulppunt-line-height)" in body.group(1)
    assert re.search(r":focus-visible \{\s*outline: 3px solid", css)


def test_no_colour_is_written_in_the_layout_css() -> None:
    """Colours come from the theme: hulppunt.css names tokens, never a hex colour."""
    css = (STATIC / "css" / "hulppunt.css").read_text(encoding="utf-8")
    assert re.findall(r"#[0-9a-fA-F]{3,8}\b", css) == []
