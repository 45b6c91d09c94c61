"""The palette in hulppunt.css meets WCAG 2.1 AA contrast (text 4.5:1, UI parts 3:1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "hulppunt.css").read_text()
VARIABLES = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def _colour(name_or_hex: str) -> str:
    return name_or_hex if name_or_hex.startswith("#") else VARIABLES[name_or_hex]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted(
        (_luminance(_colour(foreground)), _luminance(_colour(background))), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


TEXT_PAIRS = [
    ("ink", "surface"), ("ink", "paper"), ("ink-soft", "surface"), ("ink-soft", "paper"),
    ("brand", "surface"), ("brand", "paper"), ("brand", "brand-tint"), ("#ffffff", "brand"),
    ("#ffffff", "brand-dark"), ("brand-dark", "brand-tint"), ("accent", "surface"),
    ("success-ink", "success-bg"), ("error-ink", "error-bg"), ("error-ink", "surface"),
    ("warning-ink", "warning-bg"), ("info-ink", "info-bg"), ("ink-soft", "#e8ece9"),
    ("#074f54", "#e8ece9"), ("#ffffff", "error-ink"), ("#4b2e83", "surface"),
    # Badges: text colour on its own background.
    ("#5c3b00", "#fff3d1"), ("#7a2e00", "#ffe6d5"), ("#0b3d75", "#e3eefc"),
    ("#47228f", "#eee8fb"), ("#0f5130", "#dcf3e4"), ("#26303a", "#e4e8ec"),
    ("#4a4a4a", "#f1f1f1"), ("#8a1414", "#fde4e4"), ("#7a1450", "#fbe4f1"),
    ("#2d3640", "#eef0f2"), ("#5a2600", "#fbeee4"), ("ink", "#eef2f0"),
]

UI_PAIRS = [
    ("line", "surface"), ("focus", "surface"), ("focus", "paper"), ("brand", "surface"),
    ("error-line", "surface"), ("focus", "#e8ece9"), ("line", "success-bg"),
]


@pytest.mark.parametrize(("foreground", "background"), TEXT_PAIRS)
def test_text_contrast_is_at_least_4_5(foreground: str, background: str) -> None:
    assert contrast(foreground, background) >= 4.5


@pytest.mark.parametrize(("foreground", "background"), UI_PAIRS)
def test_component_contrast_is_at_least_3(foreground: str, background: str) -> None:
    assert contrast(foreground, background) >= 3.0


def test_body_text_is_18px_with_line_height_1_5() -> None:
    body = re.search(r"\nbody \{(.*?)\}", CSS, re.S)
    assert body is not None
    assert "font-size: 1.125rem" in body.group(1)
    assert "line-height: 1.5" in body.group(1)


def test_focus_ring_is_3px() -> None:
    assert re.search(r":focus-visible \{\s*outline: 3px solid", CSS)
