"""Fixtures shared by the whole suite: a fresh moto account and the template's stack on it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from moto import mock_aws

from article_pipeline import aws
from article_pipeline_local.emulation.chain import local_pipeline
from article_pipeline_local.emulation.cloud import create_stack, use_local_credentials

@pytest.fixture
def moto_account():
    use_local_credentials()
    with mock_aws():
        aws.reset_clients()
        yield
    aws.reset_clients()


@pytest.fixture(scope="session")
def nlp():
    """The pipeline as ExtractFunction loads it, once per test process."""
    from article_pipeline.extraction import load_nlp

    return load_nlp()


@pytest.fixture
def stack(moto_account):
    return create_stack()


@pytest.fixture
def pipeline():
    with local_pipeline(log_level="WARNING") as running:
        yield running


@dataclass
class Served:
    process: subprocess.Popen
    endpoint: str
    console: str
    banner: str
    stderr_path: Path

    def stderr(self) -> str:
        return self.stderr_path.read_text()


@pytest.fixture
def server(tmp_path):
    """`article-pipeline serve`, the real command in its own process, on a free port of 127.0.0.1."""
    from article_pipeline_local.emulation.cloud import LOCAL_CREDENTIALS
    from support import ROOT

    env = {**os.environ, **LOCAL_CREDENTIALS}
    env.pop("AWS_ENDPOINT_URL", None)
    stderr_path = tmp_path / "serve.stderr"
    with stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "article_pipeline_local.cli", "serve", "--port", "0"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
        )
    try:
        banner = [process.stdout.readline() for _ in range(10)]
        endpoint = banner[0].split(" on ", 1)[1].split()[0]
        assert endpoint.startswith("http://127.0.0.1:"), banner
        assert banner[1] == f"console: {endpoint}/_console/\n", banner
        yield Served(process, endpoint, banner[1].split(" ", 1)[1].strip(), "".join(banner), stderr_path)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def pytest_collection_modifyitems(config, items):
    """On xdist workers, the slow tests first (stable otherwise), so that the files holding
    them are handed out first and run beside the many short ones, not alone at the end.
    Every worker sorts alike, as xdist requires."""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_sessionfinish(session):
    """On an xdist worker: hand its ledger to the controller, which prints the summary."""
    from support import LEDGER

    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["ledger"] = LEDGER.as_dict()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from support import LEDGER

    LEDGER.merge(getattr(node, "workeroutput", {}).get("ledger"))


def pytest_terminal_summary(terminalreporter):
    from support import LEDGER

    if LEDGER.bad_inputs or LEDGER.fault_kinds:
        terminalreporter.write_line(LEDGER.summary())
