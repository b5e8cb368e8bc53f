"""deploy/ agrees with itself and with what the deployment test runs (tests/browser/test_deploy.py).

Docker is not available on the test machines, so the image and the compose file are never built here;
these checks make sure that what they would run is what the browser test runs: the Dockerfile's command,
haproxy.cfg with compose's environment, and an image that contains every package the app imports.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from tests.deploy_files import (
    COMPOSE_FILE,
    CONTAINER_PORT,
    DEPLOY,
    DOCKERFILE,
    HAPROXY_CONFIG,
    REPO_ROOT,
    dockerfile_command,
    haproxy_executable,
    proxy_environment,
    proxy_servers,
    replica_command,
)

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def test_the_image_runs_the_app_headless_on_its_exposed_port():
    command = dockerfile_command()
    assert command[:5] == ["python", "-m", "streamlit", "run", "app.py"]
    options = dict(zip(command[5::2], command[6::2]))
    assert options["--server.headless"] == "true" and options["--server.port"] == CONTAINER_PORT
    assert f"EXPOSE {CONTAINER_PORT}" in DOCKERFILE.read_text()
    assert f"127.0.0.1:{CONTAINER_PORT}/_stcore/health" in DOCKERFILE.read_text()
    # The deployment test runs exactly this command, on a loopback address and port of its own.
    expected = [sys.executable, *command[1:]]
    expected[expected.index("--server.address") + 1] = "127.0.0.1"
    expected[expected.index("--server.port") + 1] = "12345"
    assert replica_command("127.0.0.1", 12345) == expected


def test_the_image_holds_every_package_the_app_imports():
    ignored = {line.strip() for line in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    needed = {"app.py", "requirements.txt", ".streamlit", "pages",
              *(path.parent.name for path in REPO_ROOT.glob("*/__init__.py") if path.parent.name != "tests")}
    assert {"ui", "explorer", "figures", "data_sources", "gmm_core"} <= needed
    assert not needed & ignored, needed & ignored
    assert {"tests", "bench", ".git", "test-artifacts"} <= ignored


def test_compose_runs_each_proxied_replica_from_the_image(compose):
    services = compose["services"]
    environment = services["proxy"]["environment"]
    servers = proxy_servers()
    assert len(servers) >= 3
    for name, variable in servers:
        assert environment[variable] == f"{name}:{CONTAINER_PORT}"
        assert services[name]["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert set(services) == {name for name, _ in servers} | {"proxy"}
    published = services["proxy"]["ports"][0].split(":")[-1]
    assert environment["EM_PROXY_BIND"] == f":{published}"
    assert f"./{HAPROXY_CONFIG.name}:/usr/local/etc/haproxy/haproxy.cfg:ro" in services["proxy"]["volumes"]
    assert (COMPOSE_FILE.parent / services["app1"]["build"]["context"]).resolve() == REPO_ROOT


def test_haproxy_accepts_the_configuration_with_compose_and_with_test_addresses(compose):
    haproxy = haproxy_executable()
    if haproxy is None:
        if os.environ.get("CI") == "true":
            pytest.fail("haproxy is missing; .ci/run installs it (`apt-get install -y haproxy`).", pytrace=False)
        pytest.skip("haproxy is not installed (`sudo apt-get install haproxy`).")
    compose_environment = compose["services"]["proxy"]["environment"]
    # Compose's host names (app1, ...) resolve only inside compose's network: check with loopback instead.
    compose_like = proxy_environment(compose_environment["EM_PROXY_BIND"],
                                     [f"127.0.0.1:{CONTAINER_PORT}"] * len(proxy_servers()))
    test_like = proxy_environment("127.0.0.1:18080", [f"127.0.0.1:{18501 + i}" for i in range(len(proxy_servers()))])
    for environment in (compose_like, test_like):
        check = subprocess.run([haproxy, "-c", "-f", str(HAPROXY_CONFIG)], env=dict(os.environ, **environment),
                               capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stdout + check.stderr
