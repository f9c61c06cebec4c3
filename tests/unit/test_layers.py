"""The layering of design §7, read from the source with `ast` (no import runs, so a lazy import inside a
function or under TYPE_CHECKING counts as much as one at the top: it is still a dependency).

    backend/ (HTTP, websocket, the `barker` command)  and  client_qt/ (the desktop client)
        └── barker/services/          what Barker does; knows the store only by its ports (barker/ports/)
              └── runtime: barker/{gateway,writer,bus,streams,stream_session,fanout,pools,health}.py
                    └── barker/store/ (the adapters sqlite*, arango*, implementing barker/ports/)
    ports: barker/ports/ — the store contract, one protocol per concern, and the data it passes
    domain: barker/{errors,ids,validation,...}.py — used by every layer, imports nothing of ours but itself

Each rule below names the layer, what it may not import, and why.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = ("barker", "backend", "client_qt")

# The domain: input rules, identifiers, errors, the privacy grid, the API's shapes. Pure rules and values
# that every layer uses, so they import nothing of ours but each other: a rule can then be read and
# unit-tested with no store, no settings and no runtime. Left out on purpose: settings.py (configuration,
# read from the environment), security.py (hashing, configured by settings), rate_limits.py (its window
# arithmetic is pure, but it also applies the limits through the store contract).
DOMAIN = frozenset({
    "barker",  # the package itself: only __version__
    "barker.addresses",
    "barker.common_passwords",
    "barker.discoverability",
    "barker.errors",
    "barker.geo",
    "barker.ids",
    "barker.invisible",
    "barker.log_redaction",
    "barker.models",
    "barker.policies",
    "barker.reserved_handles",
    "barker.text_entities",
    "barker.validation",
})
# The runtime that runs services' work (threads, the writer, the bus, the stream hub, the fan-out worker):
# services call it, so it must not call them back; what it needs from them is passed in by whoever builds
# it (backend/app.py), e.g. StreamHub(tokens_gone=...).
RUNTIME = frozenset({"barker.bus", "barker.fanout", "barker.gateway", "barker.health", "barker.pools",
                     "barker.runtime", "barker.runtime.announcer", "barker.runtime.executors",
                     "barker.runtime.leases",
                     "barker.stream_session", "barker.streams", "barker.writer"})


def is_adapter(module: str) -> bool:
    """A store adapter (or the package that picks one, barker.store.open_store), as opposed to the
    contract (barker/ports/) that services are written against."""
    return module == "barker.store" or module.startswith(("barker.store.sqlite", "barker.store.arango"))


def is_store_type(module: str) -> bool:
    """Anything of barker.store: an adapter, or a store type that should have been a port's."""
    return within(module, "barker.store")


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@dataclass(frozen=True)
class Rule:
    name: str
    applies_to: Callable[[str], bool]
    forbidden: Callable[[str], bool]


RULES = (
    Rule("barker imports nothing from backend or client_qt",
         lambda m: within(m, "barker"), lambda i: within(i, "backend") or within(i, "client_qt")),
    Rule("services import no store adapter, only the contract",
         lambda m: within(m, "barker.services"), is_adapter),
    # Narrower than the rule above: not even a type from barker.store, so a service's dependencies on the
    # store are all written as ports (each a protocol a small fake can implement).
    Rule("services import store types only from the ports",
         lambda m: within(m, "barker.services"), lambda i: is_store_type(i) and not is_adapter(i)),
    # The ports are the contract: nothing of an adapter, the runtime or the services leaks into it.
    Rule("the ports import nothing of ours but the domain and the ports",
         lambda m: within(m, "barker.ports"), lambda i: within(i, "barker") and i not in DOMAIN
         and not within(i, "barker.ports")),
    Rule("the runtime imports no service",
         lambda m: m in RUNTIME, lambda i: within(i, "barker.services")),
    Rule("the domain imports nothing of ours but the domain",
         lambda m: m in DOMAIN, lambda i: within(i, OURS[0]) and i not in DOMAIN),
)


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str, root: Path) -> bool:
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(path: Path, root: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every import of ours in the file. `from barker import validation` is the module
    barker.validation; `from barker.ids import MAX_ID` is barker.ids."""
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, `level - 1` packages up
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found = [f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}", root) else base
                     for alias in node.names]
        else:
            continue
        yield from ((node.lineno, name) for name in found if name.split(".")[0] in OURS)


def violations(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "barker").rglob("*.py")):
        module = module_name(path, root)
        for line, imported in imports(path, root):
            for rule in RULES:
                if rule.applies_to(module) and rule.forbidden(imported):
                    found.append(f"{path.relative_to(root)}:{line} imports {imported}: {rule.name}")
    return found


def test_the_layers_hold() -> None:
    assert violations(ROOT) == []


def test_every_listed_module_exists() -> None:
    """A renamed module would silently drop out of its rule."""
    assert [m for m in DOMAIN | RUNTIME if not is_module(m, ROOT)] == []


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("files", "rule"), [
    ({"barker/cli.py": "def main():\n    from client_qt.app import main\n"}, RULES[0]),
    ({"barker/models.py": "import backend.app\n"}, RULES[0]),
    ({"barker/services/x.py": "from barker.store.sqlite import SqliteStore\n"}, RULES[1]),
    ({"barker/services/x.py": "from barker.store import arango_views\n"}, RULES[1]),
    ({"barker/services/x.py": "from barker.store import open_store\n"}, RULES[1]),
    ({"barker/services/x.py": "from ..store import sqlite_backup\n"}, RULES[1]),
    ({"barker/services/x.py": "from barker.store.base import Store\n"}, RULES[2]),
    ({"barker/services/x.py": "from barker.store import base\n"}, RULES[2]),
    ({"barker/ports/x.py": "from barker.store.sqlite import SqliteStore\n"}, RULES[3]),
    ({"barker/ports/x.py": "from barker.settings import Settings\n"}, RULES[3]),
    ({"barker/ports/x.py": "from barker.services import authenticate\n"}, RULES[3]),
    ({"barker/streams.py": "from barker.services.streams import tokens_gone\n"}, RULES[4]),
    ({"barker/models.py": "from barker.ports.types import NewUser\n"}, RULES[5]),
    ({"barker/errors.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from barker import settings\n"},
     RULES[5]),
])
def test_each_rule_catches_what_it_forbids(tmp_path: Path, files: dict[str, str], rule: Rule) -> None:
    """The checker against a small tree that breaks one rule (the violations this test was written
    against, among them): it names the file and the rule."""
    for package in ("barker", "barker/services", "barker/store", "barker/ports"):
        write(tmp_path, {f"{package}/__init__.py": ""})
    write(tmp_path, {"barker/store/sqlite.py": "", "barker/store/arango_views.py": "", "barker/settings.py": "",
                     "barker/store/sqlite_backup.py": "", "barker/store/base.py": "",
                     "barker/ports/types.py": "",
                     "barker/services/streams.py": "", "backend/__init__.py": "", "backend/app.py": "",
                     "client_qt/__init__.py": "", "client_qt/app.py": ""})
    write(tmp_path, files)
    found = violations(tmp_path)
    assert len(found) == 1, found
    assert found[0].startswith(next(iter(files))) and found[0].endswith(rule.name)


def test_what_the_layers_allow_passes(tmp_path: Path) -> None:
    """The other side: the ports, the domain and the runtime are fine where the layers allow them."""
    write(tmp_path, {"barker/__init__.py": "", "barker/services/__init__.py": "", "barker/store/__init__.py": "",
                     "barker/ports/__init__.py": "", "barker/ports/types.py": "from barker.geo import Cell\n",
                     "barker/ports/store.py": "from barker.ports.types import NewUser\nfrom barker import errors\n",
                     "barker/store/sqlite.py": "from barker.ports.store import Store\n", "barker/geo.py": "",
                     "barker/errors.py": "", "barker/gateway.py": "",
                     "barker/ids.py": "from barker.errors import Invalid\n",
                     "barker/services/x.py": "from barker.ports.store import Store\nfrom barker.ports import types\n"
                                             "from barker import gateway, ids\n",
                     "backend/__init__.py": "", "backend/cli.py": "from client_qt import app\nfrom barker import x\n"})
    assert violations(tmp_path) == []
