"""What `pip install .` installs, read from the installed packages' metadata: Barker's runtime requirements
and, transitively, theirs (extras only where a requirement asks for them, as pip does)."""

from __future__ import annotations

from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# The desktop client's Qt binding and the test runner's tools: none of them belongs in a server.
DESKTOP = {"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6"}
TEST_TOOLS = {"pytest", "pytest-timeout", "pytest-qt", "hypothesis", "ruff", "geopy"}


def requirement_closure(distribution: str = "barker") -> set[str]:
    """Canonical names of `distribution` and of every distribution it needs on this machine."""
    closure: set[str] = set()
    seen: set[tuple[str, frozenset[str]]] = set()
    todo: list[tuple[str, frozenset[str]]] = [(distribution, frozenset())]
    while todo:
        name, extras = todo.pop()
        if (canonicalize_name(name), extras) in seen:
            continue
        seen.add((canonicalize_name(name), extras))
        closure.add(canonicalize_name(name))
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            # "" stands for no extra: `extra == "test"` is false for it, platform markers are evaluated here.
            if requirement.marker is None or any(requirement.marker.evaluate({"extra": extra})
                                                 for extra in extras | {""}):
                todo.append((requirement.name, frozenset(requirement.extras)))
    return closure


def distributions_of(modules: set[str]) -> dict[str, set[str]]:
    """The installed distributions (canonical names) that provide each top-level module; none for the
    standard library."""
    providers = metadata.packages_distributions()
    return {module: {canonicalize_name(d) for d in providers.get(module, [])} for module in modules}
