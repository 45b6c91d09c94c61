"""Copy the NL Design System CSS Hulppunt uses from node_modules into static/vendor/.

Run ``npm ci`` first (package.json pins ``@utrecht/component-library-css``), then
``make vendor-static`` (or ``python -m scripts.vendor_static``). The result is committed, so
the app never needs node_modules or a CDN at run time:

    static/vendor/utrecht/components.css   the built CSS of the components below, in this order
    static/vendor/utrecht/LICENSE.md       their licence (EUPL-1.2)

Only the components Hulppunt's templates use are copied (about 90 kB instead of 400 kB for
the whole library). Add a name to ``COMPONENTS`` when a template starts using another one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
TARGET = ROOT / "static" / "vendor" / "utrecht"
LIBRARY = "@utrecht/component-library-css"

#: Utrecht component packages (``@utrecht/<name>-css``), copied in this order.
COMPONENTS = [
    "document",
    "skip-link",
    "page-header",
    "page-footer",
    "link",
    "button",
    "form-fieldset",
    "form-field",
    "form-label",
    "form-field-description",
    "form-field-error-message",
    "textbox",
    "textarea",
    "select",
    "checkbox",
    "radio-button",
    "alert",
]


def _package(name: str) -> tuple[Path, dict[str, str]]:
    folder = NODE_MODULES / "@utrecht" / f"{name}-css"
    manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    return folder, manifest


def build() -> str:
    """Return the bundled CSS; raises ``FileNotFoundError`` when ``npm ci`` has not run."""
    library = json.loads(
        (NODE_MODULES / LIBRARY / "package.json").read_text(encoding="utf-8")
    )
    parts = [
        '@charset "UTF-8";\n'
        "/*\n"
        f" * NL Design System components from {LIBRARY} {library['version']},\n"
        " * copied by scripts/vendor_static.py (do not edit by hand).\n"
        " * Copyright (c) Gemeente Utrecht, Frameless B.V. and the NL Design System community.\n"
        " * @license EUPL-1.2 (see LICENSE.md next to this file)\n"
        " */\n"
    ]
    for name in COMPONENTS:
        folder, manifest = _package(name)
        css = (folder / "dist" / "index.min.css").read_text(encoding="utf-8")
        css = css.replace('@charset "UTF-8";', "")  # allowed only at the very start
        parts.append(f"/* {manifest['name']} {manifest['version']} ({manifest['license']}) */\n")
        parts.append(css.strip() + "\n")
    return "".join(parts)


def main() -> int:
    try:
        bundle = build()
    except FileNotFoundError as missing:
        print(f"{missing.filename} is missing: run 'npm ci' first.", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    (TARGET / "components.css").write_text(bundle, encoding="utf-8")
    licence = (NODE_MODULES / LIBRARY / "LICENSE.md").read_text(encoding="utf-8")
    (TARGET / "LICENSE.md").write_text(licence, encoding="utf-8")
    print(f"Wrote {TARGET.relative_to(ROOT)}/components.css ({len(bundle) // 1024} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
