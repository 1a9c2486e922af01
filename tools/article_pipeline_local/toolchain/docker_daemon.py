"""A Docker daemon for `sam local`: the one that runs, or one started here and stopped after.

A daemon started here runs with ``--iptables=false --ip-forward=false``: containers get no
route out of this machine, and reach only the host's own address on the docker bridge
(where the moto server listens).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

START_TIMEOUT = 60


class DockerError(RuntimeError):
    pass


def responds() -> bool:
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def bridge_address() -> str:
    """The host's address on the default bridge network: what containers reach the host at."""
    result = subprocess.run(["docker", "network", "inspect", "bridge"], capture_output=True, text=True, check=True)
    (network,) = json.loads(result.stdout)
    config = network["IPAM"]["Config"][0]
    # Older daemons leave the default bridge's gateway unsaid: it is the subnet's first host.
    return config.get("Gateway") or str(next(ipaddress.ip_network(config["Subnet"]).hosts()))


def containers() -> dict[str, str]:
    """Running containers: id -> image."""
    result = subprocess.run(["docker", "ps", "--no-trunc", "--format", "{{.ID}} {{.Image}}"],
                            capture_output=True, text=True, check=True)
    return dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)


@contextlib.contextmanager
def docker_daemon(log_file: Path, ours: Callable[[str], bool], log=print) -> Iterator[None]:
    """Yield with a daemon answering; stop it afterwards if it was started here, and in any
    case the containers that appeared meanwhile from an image ``ours`` claims (a daemon that
    was already running may run other people's containers too)."""
    process = None
    if responds():
        log("docker: using the daemon that runs")
    else:
        log(f"docker: starting dockerd (no iptables, no forwarding; log in {log_file})")
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(log_file, "ab") as sink:
            process = subprocess.Popen(
                ["dockerd", "--iptables=false", "--ip-forward=false"], stdout=sink, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not responds():
            if process.poll() is not None:
                raise DockerError(f"dockerd exited with {process.returncode}: see {log_file}")
            if time.monotonic() > deadline:
                _stop(process)
                raise DockerError(f"dockerd did not answer within {START_TIMEOUT}s: see {log_file}")
            time.sleep(0.5)
    before = containers()
    try:
        yield
    finally:
        strays = [id_ for id_, image in containers().items() if id_ not in before and ours(image)]
        if strays:
            subprocess.run(["docker", "rm", "-f", *sorted(strays)], capture_output=True)
            log(f"docker: removed {len(strays)} container(s) left running")
        if process is not None:
            _stop(process)
            log("docker: dockerd stopped")


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
