"""Rules: every heuristic reflow applies is a named, registered object.

A rule is a function registered with ``@rule(name, stage=...)``. Its docstring tells the case that
motivated it; the numbers it reads are fields of its stage's settings (``reflow.settings``), so
they can be fitted and reported; a test whose name carries the rule's name checks it
(``tests/test_rules.py`` fails for a rule without one). A stage applies its rules from a list in
its own module, so the order is visible where the stage is::

    @rule("paragraph-gap", stage="blocks")
    def paragraph_gap(ctx, prev, line):
        "More white space between two lines than the line spacing starts a new block."
        ...

    BREAK_RULES = [column_jump, tagged_blocks, paragraph_gap, ...]

The registry is for inspection (``reflow.pipeline.registered_rules()`` imports every stage and
returns it; tests check it); calling a rule is calling its function.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

F = TypeVar("F", bound=Callable)

STAGES = (
    "reader",
    "text-layer",
    "furniture",
    "blocks",
    "heal",
    "roles",
    "header",
    "article",
    "figures",
    "metadata",
    "links",
    "output",
)


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: its name, stage, function, docstring and module."""

    name: str
    stage: str
    func: Callable
    doc: str
    module: str


RULES: dict[str, Rule] = {}


def rule(name: str, *, stage: str) -> Callable[[F], F]:
    """Register ``func`` as the rule ``name`` of ``stage`` (names are unique, kebab-case)."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r} for rule {name!r}")
    if not name or name != name.lower() or " " in name or "_" in name:
        raise ValueError(f"rule names are kebab-case: {name!r}")

    def register(func: F) -> F:
        if name in RULES and RULES[name].func.__qualname__ != func.__qualname__:
            raise ValueError(f"rule {name!r} is registered twice")
        doc = inspect.getdoc(func) or ""
        if not doc:
            raise ValueError(f"rule {name!r} needs a docstring with the case that motivated it")
        RULES[name] = Rule(name, stage, func, doc, func.__module__)
        func.rule_name = name  # type: ignore[attr-defined]
        return func

    return register


def rules_of(stage: str) -> list[Rule]:
    """The registered rules of one stage (import the stage's module first)."""
    return [r for r in RULES.values() if r.stage == stage]
