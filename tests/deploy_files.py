"""What the files in deploy/ say, read the way Docker and HAProxy read them, for the tests.

The deployment test runs the replicas with the Dockerfile's own CMD and the proxy with deploy/haproxy.cfg
itself, so what is tested on this machine is what the compose file deploys; only addresses differ.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEPLOY = REPO_ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
COMPOSE_FILE = DEPLOY / "compose.yaml"
HAPROXY_CONFIG = DEPLOY / "haproxy.cfg"
DEFAULT_HAPROXY = "/usr/sbin/haproxy"
CONTAINER_ADDRESS, CONTAINER_PORT = "0.0.0.0", "8501"


def dockerfile_command() -> list[str]:
    """The Dockerfile's CMD (exec form, a JSON array on one line)."""
    lines = [line for line in DOCKERFILE.read_text().splitlines() if line.startswith("CMD ")]
    if len(lines) != 1:
        raise AssertionError(f"{DOCKERFILE} should have exactly one CMD line, found {len(lines)}")
    return json.loads(lines[0][len("CMD "):])


def replica_command(address: str, port: int) -> list[str]:
    """The Dockerfile's CMD with this interpreter, listening on `address`:`port` instead of the container's."""
    command = dockerfile_command()
    if command[0] == "python":
        command[0] = sys.executable
    for option, container_value, value in (("--server.address", CONTAINER_ADDRESS, address),
                                           ("--server.port", CONTAINER_PORT, str(port))):
        at = command.index(option) + 1
        if command[at] != container_value:
            raise AssertionError(f"the Dockerfile's CMD should pass {option} {container_value}, not {command[at]}")
        command[at] = value
    return command


def proxy_servers() -> list[tuple[str, str]]:
    """The backend servers of haproxy.cfg: (name, environment variable holding its address)."""
    return re.findall(r'^\s*server\s+(\S+)\s+"\$\{(\w+)\}"', HAPROXY_CONFIG.read_text(), flags=re.MULTILINE)


def proxy_environment(bind: str, replica_addresses: list[str]) -> dict[str, str]:
    """The environment haproxy.cfg reads: where to listen, and each replica's host:port, in server order."""
    servers = proxy_servers()
    if len(replica_addresses) != len(servers):
        raise AssertionError(f"haproxy.cfg names {len(servers)} replicas, {len(replica_addresses)} addresses given")
    environment = {"EM_PROXY_BIND": bind}
    environment.update({variable: address for (_, variable), address in zip(servers, replica_addresses)})
    return environment


def haproxy_executable() -> str | None:
    """Debian's haproxy (`apt-get install haproxy`), or EM_HAPROXY if set; None when absent."""
    path = os.environ.get("EM_HAPROXY") or shutil.which("haproxy") or DEFAULT_HAPROXY
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None
