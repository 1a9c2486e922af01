"""Fixtures shared by the whole suite: a fresh moto account and the template's stack on it."""

from __future__ import annotations

import pytest
from moto import mock_aws

from article_pipeline import aws
from article_pipeline_local.chain import local_pipeline
from article_pipeline_local.cloud import create_stack, use_local_credentials

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


def pytest_terminal_summary(terminalreporter):
    from support import LEDGER

    if LEDGER.bad_inputs or LEDGER.fault_kinds:
        terminalreporter.write_line(LEDGER.summary())
