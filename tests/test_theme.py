"""The look: NL Design System CSS served from this site, and the theme chosen by configuration."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from marketplace.config import ConfigError
from marketplace.models import User
from scripts import vendor_static
from tests import factories
from tests.conftest import app_with_routes, make_app

ROOT = Path(__file__).resolve().parents[1]
ASSET = re.compile(r"<(?:link|script)\b[^>]*?\b(?:href|src)=\"([^\"]+)\"")
PUBLIC_PAGES = ["/", "/auth/login", "/auth/register", "/hulp-bij-nood", "/privacy"]


def _assets(html: str) -> list[str]:
    return ASSET.findall(html)


@pytest.fixture
def themed_client(monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    """A client of an app started with HULPPUNT_THEME=gemeente-voorbeeld."""
    monkeypatch.setenv("HULPPUNT_THEME", "gemeente-voorbeeld")
    with app_with_routes({}) as application:  # its own pool, closed after
        yield application.test_client()


def test_every_stylesheet_and_script_comes_from_this_site(
    client: FlaskClient, login: Callable[[User], FlaskClient]
) -> None:
    """No CDN: pages load only files under /static/, and each of them is there."""
    pages = {path: client.get(path).get_data(as_text=True) for path in PUBLIC_PAGES}
    login(factories.user("resident"))
    pages["/requests/new"] = client.get("/requests/new").get_data(as_text=True)
    for path, html in pages.items():
        assets = _assets(html)
        assert "/static/vendor/utrecht/components.css" in assets, path
        for asset in assets:
            assert asset.startswith("/static/"), f"{path} loads {asset}"
            response = client.get(asset)
            assert response.status_code == 200, asset
            response.close()


def test_the_default_theme_is_hulppunt(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "/static/themes/hulppunt.css" in _assets(html)
    assert "gemeente-voorbeeld" not in html
    assert '<meta name="theme-color" content="#0b5d63">' in html


def test_another_theme_is_a_setting(themed_client: FlaskClient) -> None:
    """HULPPUNT_THEME swaps the tokens file, and nothing else: the same components and CSS."""
    html = themed_client.get("/").get_data(as_text=True)
    assets = _assets(html)
    assert "/static/themes/gemeente-voorbeeld.css" in assets
    assert "/static/themes/hulppunt.css" not in assets
    assert {"/static/vendor/utrecht/components.css", "/static/css/hulppunt.css"} <= set(assets)
    assert '<meta name="theme-color" content="#c8102e">' in html
    response = themed_client.get("/static/themes/gemeente-voorbeeld.css")
    assert "--basis-color-action-1-bg-default" in response.get_data(as_text=True)
    response.close()


@pytest.mark.parametrize("name", ["paars", "../css/hulppunt", "Hulppunt"])
def test_an_unknown_theme_stops_the_start(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("HULPPUNT_THEME", name)
    with pytest.raises(ConfigError, match="Choose one of: gemeente-voorbeeld, hulppunt"):
        make_app()


def test_forms_are_built_from_the_nl_design_system_components(client: FlaskClient) -> None:
    """The form macros put the Utrecht component classes on fields, errors and buttons."""
    html = client.post("/auth/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert 'class="error-summary utrecht-alert utrecht-alert--error"' in html
    assert "field utrecht-form-field field-error utrecht-form-field--invalid" in html
    assert re.search(r'<label class="label utrecht-form-label" for="email">', html)
    assert re.search(r'class="utrecht-textbox utrecht-textbox--html-input utrecht-textbox--invalid"'
                     r'[^>]*id="email"', html)
    assert "utrecht-checkbox utrecht-checkbox--html-input" in html
    assert 'class="button utrecht-button utrecht-button--primary-action"' in html


def test_the_vendored_css_is_what_package_lock_pins() -> None:
    """static/vendor/ holds the components of the pinned package (make vendor-static)."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    bundle = (ROOT / "static" / "vendor" / "utrecht" / "components.css").read_text(
        encoding="utf-8"
    )
    library = packages[f"node_modules/{vendor_static.LIBRARY}"]["version"]
    assert f"{vendor_static.LIBRARY} {library}," in bundle
    for name in vendor_static.COMPONENTS:
        package = f"@utrecht/{name}-css"
        version = packages[f"node_modules/{package}"]["version"]
        assert f"/* {package} {version} (EUPL-1.2) */" in bundle
    assert (ROOT / "static" / "vendor" / "utrecht" / "LICENSE.md").read_text(
        encoding="utf-8"
    ).startswith("# EUROPEAN UNION PUBLIC LICENCE v. 1.2")


def test_every_vendored_component_is_used_by_a_template() -> None:
    """Only what the templates use is copied (scripts/vendor_static.py): a component no
    template names is CSS every page downloads for nothing. The form macro names some
    components in quotes (``control_class``)."""
    templates = "".join(path.read_text(encoding="utf-8")
                        for path in (ROOT / "templates").rglob("*.html"))
    unused = [name for name in vendor_static.COMPONENTS
              if f"utrecht-{name}" not in templates and f"'{name}'" not in templates]
    assert not unused


def test_the_app_fixture_theme_is_the_default(app: Flask) -> None:
    assert app.config["THEME"] == "hulppunt"


def test_no_template_loads_a_stylesheet_or_script_from_elsewhere() -> None:
    """Every page, also those the test above does not open: no <link>/<script> to http(s)."""
    for template in (ROOT / "templates").rglob("*.html"):
        if "email" in template.parts:  # mail is read elsewhere; it links to the site itself
            continue
        for asset in _assets(template.read_text(encoding="utf-8")):
            assert not re.match(r"(https?:)?//", asset), f"{template}: {asset}"
