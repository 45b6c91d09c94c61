"""The dependency set can be checked and reproduced: every package Hulppunt installs (runtime
and the test extra, with everything they pull in) is pinned in requirements/constraints.txt,
the pins satisfy pyproject.toml, this venv has exactly them, and make installs from them."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in CONSTRAINTS.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.+!_-]+)", line)
        assert match, f"not an exact pin: {line!r}"
        name = canonicalize_name(match.group(1))
        assert name not in found, f"{name} is pinned twice"
        found[name] = match.group(2)
    return found


def project_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    return [Requirement(text) for text in listed]


def closure(requirements: list[Requirement]) -> set[str]:
    """Every distribution these requirements install here (markers evaluated, extras too)."""
    seen: set[str] = set()
    todo = [(requirement, "") for requirement in requirements]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate(
            {**default_environment(), "extra": extra}
        ):
            continue
        name = canonicalize_name(requirement.name)
        extras = sorted(requirement.extras)
        key = name + "[" + ",".join(extras) + "]"
        if key in seen:
            continue
        seen.add(key)
        for text in metadata.requires(requirement.name) or []:
            child = Requirement(text)
            for wanted in ["", *extras]:
                todo.append((child, wanted))
    return {key.split("[")[0] for key in seen}


def test_every_installed_dependency_is_pinned() -> None:
    missing = sorted(closure(project_requirements()) - set(pins()))
    assert not missing, f"pin these in requirements/constraints.txt: {missing}"


def test_pins_satisfy_pyproject_and_are_what_this_venv_runs() -> None:
    pinned = pins()
    for requirement in project_requirements():
        version = pinned[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{requirement.name}=={version} is outside pyproject.toml's {requirement}"
        )
    differ = {
        name: (version, metadata.version(name))
        for name, version in pinned.items()
        if metadata.version(name) != version
    }
    assert not differ, f"the venv differs from the pins (pinned, installed): {differ}"


def test_make_installs_from_the_constraints() -> None:
    makefile = (ROOT / "Makefile").read_text()
    installs = [line for line in makefile.splitlines() if "pip install" in line and " -e " in line]
    assert len(installs) == 2, installs
    for line in installs:
        assert "-c $(CONSTRAINTS)" in line, line
    assert "CONSTRAINTS := requirements/constraints.txt" in makefile
