"""Installing only what you run, and tests that pass in any checkout: the server (`pip install .`) brings
neither the desktop client nor the test tools, and the tests' `barker` processes run this checkout's code
whatever its folder is called (CI runs the suite in a clone named `barker`: .ci/run)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests import servers
from tests.installed import DESKTOP, TEST_TOOLS, requirement_closure

REPO = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def names(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in requirements}


def test_the_server_requires_neither_pyside6_nor_test_tools() -> None:
    assert not names(PROJECT["dependencies"]) & (DESKTOP | TEST_TOOLS), "pyproject.toml's dependencies"
    # What this venv's Barker really pulls in, transitively (a dependency's own requirements included).
    assert not requirement_closure("barker") & (DESKTOP | TEST_TOOLS), "the installed Barker's requirements"


def test_the_extras_the_makefile_installs_are_lists_of_packages() -> None:
    """`make test` / `make client` / `make bench` pip-install an extra's list as it is (not `pip install -e
    ".[test]"`, which rebuilds Barker): a `barker[...]` entry there would fetch some other Barker from PyPI."""
    for extra, requirements in PROJECT["optional-dependencies"].items():
        assert "barker" not in names(requirements), extra
    assert {"test", "client", "bench"} <= PROJECT["optional-dependencies"].keys()


def test_barker_processes_start_in_this_checkout_and_import_its_code() -> None:
    """The live and Qt tests start `python -m backend.cli` from servers.REPO. From the checkout's parent,
    Python imported the checkout folder itself as the package `barker` whenever it had that name (a
    clone's default): every server failed on `from barker import __version__`."""
    assert servers.REPO == REPO
    imported = subprocess.run([sys.executable, "-c", "import barker; print(barker.__file__)"], cwd=servers.REPO,
                              capture_output=True, text=True, check=True).stdout.strip()
    assert Path(imported) == REPO / "barker" / "__init__.py"
