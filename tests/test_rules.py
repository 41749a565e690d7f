"""The rule registry: every heuristic is a named, documented rule of its stage, and a test names it.

A rule's name, kebab-case, with ``-`` read as ``_``, must be a run of whole words of some test
function's name (``paragraph-gap`` -> ``test_paragraph_gap_...``, ``test_..._paragraph_gap``).
The test files are read with ``ast``, not imported. Adding a rule without a test fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from reflow import rules
from reflow.pipeline import registered_rules

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src" / "reflow"
KEBAB = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

# The modules a stage's rules may live in (the layers of docs/architecture.md).
FAMILY = {
    "reader": ("reflow.readers.",),
    "text-layer": ("reflow.safety",),
    "furniture": ("reflow.layout.",),
    "blocks": ("reflow.layout.",),
    "heal": ("reflow.structure.",),
    "roles": ("reflow.structure.",),
    "header": ("reflow.structure.",),
    "article": ("reflow.structure.",),
    "figures": ("reflow.structure.",),
    "metadata": ("reflow.structure.",),
    "links": ("reflow.structure.",),
    "output": ("reflow.safety", "reflow.accounting"),
}


def test_names() -> set[str]:
    """Names of the test functions (and methods) in every file under tests/, read with ast."""
    names: set[str] = set()
    for path in sorted(TESTS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test_"
            ):
                names.add(node.name)
    return names


test_names.__test__ = False  # a helper, not a test


def named(rule_name: str, name: str) -> bool:
    """Whether the test function ``name`` names the rule: its words, in order, as whole words."""
    return f"_{rule_name.replace('-', '_')}_" in f"_{name}_"


def unnamed(rule_names, names: set[str]) -> list[str]:
    """The rules that no test function names."""
    return sorted(r for r in rule_names if not any(named(r, t) for t in names))


def source_rule_names() -> set[str]:
    """Every ``@rule("name", ...)`` in the package's source (ast, nothing imported)."""
    out = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for dec in node.decorator_list:
                if (
                    isinstance(dec, ast.Call)
                    and getattr(dec.func, "id", None) == "rule"
                    and dec.args
                    and isinstance(dec.args[0], ast.Constant)
                ):
                    out.add(dec.args[0].value)
    return out


def test_the_registry_holds_every_rule_the_source_declares():
    # a rule in a module that registered_rules() does not import would escape the checks below
    assert set(registered_rules()) == source_rule_names()


def test_rule_names_are_unique_kebab_case_with_a_docstring():
    reg = registered_rules()
    assert len(reg) >= 80
    for name, r in reg.items():
        assert r.name == name
        assert KEBAB.match(name), name
        assert len(r.doc.split()) >= 8, f"{name}: the docstring must give the motivating case"
    # unique: one function per name (the registry refuses a second function under a name)
    funcs = [(r.func.__module__, r.func.__qualname__) for r in reg.values()]
    assert len(set(funcs)) == len(funcs)


def test_each_rule_belongs_to_a_stage_and_lives_in_its_stage_family():
    assert set(FAMILY) == set(rules.STAGES)
    wrong = [
        (r.name, r.stage, r.module)
        for r in registered_rules().values()
        if r.stage not in rules.STAGES or not r.module.startswith(FAMILY[r.stage])
    ]
    assert not wrong


def test_every_registered_rule_is_named_by_a_test():
    missing = unnamed(registered_rules(), test_names())
    assert not missing, "rules that no test function names: " + ", ".join(missing)


def test_a_rule_without_a_test_is_reported():
    """The check above can fail: a new rule no test names is listed, a named one is not, and a
    name must be whole words (``title`` is not named by ``test_subtitles``)."""
    names = {"test_paragraph_gap_splits", "test_subtitles_stay", "test_the_page_number_goes"}
    assert unnamed(["paragraph-gap", "made-up-rule", "title", "page-number"], names) == [
        "made-up-rule",
        "title",
    ]
    assert named("heading", "test_heading") and not named("heading", "test_headings_x")
