"""Fixtures shared by the whole suite: a fresh moto account and the template's stack on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from moto import mock_aws

from article_pipeline import aws
from article_pipeline_local.chain import local_pipeline
from article_pipeline_local.cloud import create_stack, use_local_credentials

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file of the team's shared folder, or a skip that says why it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{Path('shared', *parts)} is not beside the checkout; this test reads real data from it")
    return path


@pytest.fixture
def moto_account():
    use_local_credentials()
    with mock_aws():
        aws.reset_clients()
        yield
    aws.reset_clients()


@pytest.fixture
def stack(moto_account):
    return create_stack()


@pytest.fixture
def pipeline():
    with local_pipeline(log_level="WARNING") as running:
        yield running
