"""Audit actions: one naming scheme (``noun.verb``) in the code and in stored rows."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
MIGRATION = ROOT / "migrations" / "versions" / "2026_12_02_6c8f1d2e3b45_audit_action_names.py"
SCHEME = re.compile(r"^[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*$")


def migration_module() -> ModuleType:
    """The audit-names migration as a module (its ``RENAMES``, ``revision``, ...)."""
    spec = importlib.util.spec_from_file_location("audit_action_names", MIGRATION)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _action_arguments(node: ast.AST) -> list[ast.expr]:
    """The expressions at ``node`` that hold an action name, if it is such a place."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
        position = {"record": 1, "_move": 4}.get(name)
        if position is not None and len(node.args) > position:
            return _branches(node.args[position])
    if isinstance(node, ast.Assign) and any(
        isinstance(target, ast.Name) and target.id == "action" for target in node.targets
    ):
        return _branches(node.value)
    return []


def _branches(value: ast.expr) -> list[ast.expr]:
    """Both outcomes of ``a if condition else b``; the value itself otherwise."""
    return [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]


def _written_actions() -> dict[str, str]:
    """Action names the code passes to the audit log: ``{name: where}``.

    Literal second arguments of ``audit.record``, literals given to a helper's ``action``
    (the staff ``_move``: fifth argument) and literals assigned to a variable ``action``.
    """
    found: dict[str, str] = {}
    for path in sorted((ROOT / "marketplace").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for argument in _action_arguments(node):
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found[argument.value] = f"{path.relative_to(ROOT)}:{argument.lineno}"
    return found


def test_every_action_name_is_noun_dot_verb() -> None:
    actions = _written_actions()
    assert len(actions) > 30  # the scan finds the calls (guards against a vacuous pass)
    wrong = {name: where for name, where in actions.items() if not SCHEME.match(name)}
    assert not wrong, wrong


def test_the_migration_renames_what_the_code_no_longer_writes() -> None:
    renames: dict[str, str] = migration_module().RENAMES
    actions = _written_actions()
    assert not set(renames) & set(actions), "old names still written"
    assert len(set(renames.values())) == len(renames), "the renaming must be one to one"
    assert all(SCHEME.match(new) for new in renames.values())
    written_by_code = set(renames.values()) & set(actions)
    assert written_by_code == set(renames.values())
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("marketplace", "templates")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".html", ".txt"}
    )
    for old in renames:
        assert f'"{old}"' not in source
        assert f"'{old}'" not in source


def test_every_action_the_code_writes_has_words() -> None:
    """A new ``audit.record(..., "noun.verb", ...)`` without a row in ``audit.ACTIONS``
    fails here: the log would otherwise show it with a generic sentence only."""
    from marketplace.audit import ACTIONS

    written = _written_actions()
    missing = {name: where for name, where in written.items() if name not in ACTIONS}
    assert not missing, f"add a label and sentence to marketplace/audit.py ACTIONS: {missing}"
    unused = set(ACTIONS) - set(written)
    assert not unused, f"ACTIONS describes codes nothing writes: {unused}"


def test_every_sentence_names_who_or_what_and_every_detail_can_be_read(app) -> None:
    from marketplace.audit import ACTIONS
    from marketplace.models import AuditEntry
    from marketplace.privacy.audit_log import detail_words

    with app.test_request_context():
        for code, words in ACTIONS.items():
            sentence = str(words.sentence)
            assert "%(actor)s" in sentence or "%(target)s" in sentence, code
            assert str(words.label), code
            # Never raises, whatever the stored text (old rows, odd input).
            for detail in ("", "x", "rating 9", "volunteer x: y", "a -> b", "99 x"):
                assert isinstance(detail_words(AuditEntry(action=code, detail=detail)), str)
