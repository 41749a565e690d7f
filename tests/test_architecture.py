"""The shape of the package, read from the source (ast; nothing is imported): layers import
downward only, so the import graph of src/reflow has no cycle, and no module is so long that it
holds more than one concern."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "reflow"
MAX_LINES = 600


# The one cycle allowed while the lead decides whether it stays (issue 11): the model renders
# itself (Document.markdown, .chunks()) and the renderers read the model, so a cycle made only
# of reflow.model and reflow.render.* modules passes. Nothing else may be added here.
def known_cycle(cycle: frozenset[str]) -> bool:
    return "reflow.model" in cycle and all(
        m == "reflow.model" or m.startswith("reflow.render.") for m in cycle
    )


# Modules over MAX_LINES that are being split right now (issue 11: the lead's first pass over
# layout/ and structure/; the PDF reader belongs to the real-world work of issue 13). Remove a
# name as soon as its module is split: the test fails when a listed module is short enough.
KNOWN_LONG = {
    "reflow/readers/pdf.py",
}


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(SRC).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The reflow modules ``name`` imports anywhere in its body (also inside functions: a lazy
    import is still a dependency). ``from reflow.x import y`` is the module ``reflow.x.y`` when
    there is one, else ``reflow.x``; importing a module does not count as importing its parent
    packages' ``__init__`` (every module would then depend on ``reflow``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_pkg = path.name == "__init__.py"
    deps: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    deps.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_pkg else 0)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("reflow"):
                continue
            for alias in node.names:
                sub = f"{mod}.{alias.name}"
                if sub in known:
                    deps.add(sub)
                elif mod in known:
                    deps.add(mod)
    deps.discard(name)
    return deps


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Every elementary cycle's module set, found as the strongly connected components and, in
    each, the shortest cycle through each edge (so that two small cycles in one component are
    reported separately)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    comps: list[set[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(comp)

    for v in sorted(graph):
        if v not in index:
            strong(v)
    found: set[frozenset[str]] = set()
    for comp in comps:
        for a in comp:
            for b in graph[a] & comp:
                # shortest path b -> a inside the component closes the cycle through a -> b
                prev = {b: None}
                queue = [b]
                while queue and a not in prev:
                    nxt = []
                    for u in queue:
                        for w in sorted(graph[u] & comp):
                            if w not in prev:
                                prev[w] = u
                                nxt.append(w)
                    queue = nxt
                path, u = [], a
                while u is not None:
                    path.append(u)
                    u = prev[u]
                found.add(frozenset(path))
    return sorted(found, key=sorted)


def test_the_graph_sees_the_imports_it_should():
    """The reader of the graph is itself right: a known downward edge, a lazy one inside a
    function, a ``from package import module`` one, and a cycle made on purpose."""
    g = import_graph()
    assert "reflow.model" in g["reflow.pipeline"]
    assert "reflow.readers.pdf" in g["reflow.pipeline"]  # imported inside convert()
    assert "reflow.batch" in g["reflow.cli"] or "reflow.batch.sinks" in g["reflow.cli"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset("abc")]
    assert cycles({"a": {"b", "c"}, "b": {"a"}, "c": {"a"}}) == [frozenset("ab"), frozenset("ac")]


def test_no_import_cycles():
    found = cycles(import_graph())
    new = [sorted(c) for c in found if not known_cycle(c)]
    assert not new, f"import cycles (layers must import downward only): {new}"


def test_known_cycles_are_still_there():
    """When the model no longer imports the renderers, known_cycle must go, so the allowance
    only shrinks."""
    assert any(known_cycle(c) for c in cycles(import_graph())), "remove known_cycle: it is gone"


def test_no_module_over_600_lines():
    long = {}
    for path in PACKAGE.rglob("*.py"):
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            long[str(path.relative_to(SRC))] = n
    new = {k: v for k, v in long.items() if k not in KNOWN_LONG}
    assert not new, f"modules over {MAX_LINES} lines (split them by concern): {new}"
    done = sorted(KNOWN_LONG - set(long))
    assert not done, f"remove from KNOWN_LONG, these are short enough now: {done}"
