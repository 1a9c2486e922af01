"""The folder that plays the Lambda runtime's own packages for the artefact tests."""

from pathlib import Path

import boto3

from article_pipeline_local.toolchain.artefacts import runtime_dir


def test_a_dangling_link_left_by_a_removed_environment_is_replaced(tmp_path):
    folder = runtime_dir()
    link = folder / "boto3"
    link.unlink()
    link.symlink_to(tmp_path / "gone" / "boto3")  # a checkout deleted since
    assert runtime_dir() == folder
    assert (folder / "boto3").resolve() == Path(boto3.__file__).parent.resolve()
