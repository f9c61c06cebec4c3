"""The deployment files hold together (nothing here can start a container): the compose files and the CI
workflow parse, name the services and settings Barker reads, and the Dockerfile copies files that exist
and runs commands the CLI has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from backend.cli import main
from barker.settings import Settings
from barker.store.arango_support import parse_store_url

REPO = Path(__file__).resolve().parents[2]


def compose(name: str) -> dict:
    return yaml.safe_load((REPO / name).read_text())


def expand(value: str) -> str:
    """${VAR:-default} as compose substitutes it with VAR unset."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)


@pytest.mark.parametrize("name", ["docker-compose.yml", "docker-compose.cluster.yml"])
def test_compose_file_runs_barker_on_arangodb(name: str) -> None:
    services = compose(name)["services"]
    assert {"backend", "worker", "redis"} <= set(services)
    arangods = [s for s in services.values() if s.get("image") == "arangodb:3.12"]
    assert arangods and any("/_admin/server/availability" in str(s.get("healthcheck")) for s in arangods)
    for role in ("backend", "worker"):
        env = {k: expand(str(v)) for k, v in services[role]["environment"].items()}
        settings = Settings(**{k.removeprefix("BARKER_").lower(): v for k, v in env.items()})
        config = parse_store_url(settings.store_url)
        assert config.database == "barker"
        assert settings.bus_url.startswith("redis://redis:") and settings.inprocess_worker is False
        for host in config.hosts:
            assert host.removeprefix("http://").split(":")[0] in services
        for dependency in services[role]["depends_on"]:
            assert dependency in services
    assert services["worker"]["command"] == ["barker", "worker"]
    assert services["backend"]["command"][:2] == ["barker", "serve"] and "8000:8000" in services["backend"]["ports"]
    # uploaded media outlive the container, in the data dir the image sets (its media/ exists in the image)
    data_dir = re.search(r"BARKER_DATA_DIR=(\S+)", (REPO / "Dockerfile").read_text()).group(1)
    assert any(v.endswith(f":{data_dir}/media") for v in services["backend"]["volumes"])
    assert f"mkdir -p {data_dir}/media" in (REPO / "Dockerfile").read_text()


def test_single_server_password_comes_from_the_environment() -> None:
    services = compose("docker-compose.yml")["services"]
    assert services["arangodb"]["environment"]["ARANGO_ROOT_PASSWORD"].startswith("${ARANGO_ROOT_PASSWORD")
    assert "${ARANGO_ROOT_PASSWORD" in services["backend"]["environment"]["BARKER_STORE_URL"]
    assert any(v.endswith(":/var/lib/arangodb3") for v in services["arangodb"]["volumes"])


def test_cluster_has_agents_dbservers_and_coordinators() -> None:
    services = compose("docker-compose.cluster.yml")["services"]
    roles = {name: s["command"] for name, s in services.items() if str(s.get("command", "")).startswith("arangod ")}
    assert sum("--agency.activate true" in c for c in roles.values()) == 3
    assert sum("--cluster.my-role DBSERVER" in c for c in roles.values()) == 3
    assert sum("--cluster.my-role COORDINATOR" in c for c in roles.values()) == 2
    for name, command in roles.items():
        assert f"tcp://{name}:8529" in command  # each node announces its own address


def test_dockerfile_copies_existing_files_runs_as_non_root_and_uses_cli_commands() -> None:
    lines = [line.strip() for line in (REPO / "Dockerfile").read_text().splitlines()]
    copies = [shlex.split(line)[1:-1] for line in lines if line.startswith("COPY ")]
    assert copies
    for sources in copies:
        for source in sources:
            assert (REPO / source).exists(), f"Dockerfile copies {source}, which does not exist"
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    [cmd] = [line for line in lines if line.startswith("CMD [")]  # (the HEALTHCHECK has a CMD too)
    command = yaml.safe_load(cmd.removeprefix("CMD "))
    assert command[0] == "barker"
    with pytest.raises(SystemExit) as done:
        main([*command[1:], "--help"])
    assert done.value.code == 0
    with pytest.raises(SystemExit) as done:
        main(["worker", "--help"])
    assert done.value.code == 0


def test_ci_workflow_runs_the_contract_suite_against_arangodb() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "arango.yml").read_text())
    [job] = workflow["jobs"].values()
    assert job["services"]["arangodb"]["image"] == "arangodb:3.12"
    assert job["env"]["BARKER_ARANGO_URL"].startswith("arangodb://")
    runs = " ".join(step.get("run", "") for step in job["steps"])
    assert "tests/contract" in runs


def test_ci_steps_that_pipe_fail_when_the_first_command_fails() -> None:
    """GitHub's default shell is `bash -e {0}`, without pipefail: `pytest ... | tee log` takes tee's status
    and a failing suite passes. A step with a pipe must say `shell: bash` (`bash -eo pipefail`)."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "arango.yml").read_text())
    [job] = workflow["jobs"].values()
    piping = [step for step in job["steps"] if re.search(r"(?<![|])\|(?![|])", step.get("run", ""))]
    assert piping  # the contract step tees its log
    for step in piping:
        shell = step.get("shell") or job.get("defaults", {}).get("run", {}).get("shell")
        assert shell == "bash" or "pipefail" in str(shell), step["name"]


def test_cluster_requires_authentication_with_one_jwt_secret_file() -> None:
    spec = compose("docker-compose.cluster.yml")
    services = spec["services"]
    for name, service in services.items():
        assert "ARANGO_NO_AUTH" not in service.get("environment", {}), name
    [secret] = [name for name, s in spec["secrets"].items() if s["file"].startswith("./secrets/")]
    assert "/secrets/" in (REPO / ".gitignore").read_text().splitlines()  # never committed
    keyfile = f"--server.jwt-secret-keyfile /run/secrets/{secret}"
    nodes = {name: s for name, s in services.items() if str(s.get("command", "")).startswith("arangod ")}
    assert len(nodes) == 8
    for name, node in nodes.items():
        assert keyfile in node["command"] and secret in node["secrets"], name
        assert "--server.authentication false" not in node["command"], name
    # a new cluster's root has no password: cluster-init sets it, with the secret, before Barker starts
    init = services["cluster-init"]
    assert keyfile in init["command"][0] and "ARANGO_ROOT_PASSWORD" in init["command"][0]
    for role in ("backend", "worker"):
        assert services[role]["depends_on"]["cluster-init"]["condition"] == "service_completed_successfully"
        assert parse_store_url(expand(services[role]["environment"]["BARKER_STORE_URL"])).password


def test_cluster_publishes_only_on_this_machine_by_default() -> None:
    services = compose("docker-compose.cluster.yml")["services"]
    for name, service in services.items():
        for port in service.get("ports", []):
            if port.endswith(":8529"):
                assert expand(port).startswith("127.0.0.1:"), name


def test_barker_waits_for_the_whole_cluster_not_one_coordinator() -> None:
    """Coordinator 1 answering /_admin/server/availability came before the DB-Servers registered: Barker
    waits for a healthcheck that asks the cluster's health for every DB-Server and Coordinator."""
    services = compose("docker-compose.cluster.yml")["services"]
    for role in ("backend", "worker", "cluster-init"):
        waited = [name for name, d in services[role]["depends_on"].items() if d["condition"] == "service_healthy"]
        assert waited and all("/_admin/cluster/health" in str(services[name]["healthcheck"]) for name in waited)
    check = str(services["coordinator1"]["healthcheck"]["test"])
    assert 'good("DBServer") < 3' in check and "--server.jwt-secret-keyfile" in check
