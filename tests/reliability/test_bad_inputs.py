"""The bad input catalogue: whatever lands in the bucket ends as a record (or a DLQ message
where no article can be named), with a clear reason, and nothing crashes or loops."""

from __future__ import annotations

import gzip
import io
import json
import zipfile

import boto3
import pytest

from support import LEDGER

ARTICLE = (
    "Ferry Service Returns To Island After Storm Repairs\n\n"
    "The ferry between Stord and Bergen resumed on Monday after engineers replaced a damaged ramp, "
    "the operator Fjord Lines said. About 1,200 passengers use the crossing every day.\n\n"
    "Captain Marta Lie said the first departure left at 7 a.m. with 85 cars on board.\n"
)


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", ARTICLE)
    return buffer.getvalue()


def gzip_bomb() -> bytes:
    # 64 MiB of zeros compress to ~64 KiB: over the decompression limit, refused unread.
    return gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


# name -> (key, bytes, expected status, expected error kind or text fragment)
CASES = {
    "empty file": ("incoming/empty.txt", b"", "failed", "empty"),
    "whitespace only": ("incoming/blank.txt", b" \n\t\r\n  ", "failed", "empty"),
    "PNG bytes": ("incoming/photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "failed", "binary"),
    "PDF bytes": ("incoming/report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "failed", "binary"),
    "zip bytes": ("incoming/bundle.txt", zip_bytes(), "failed", "binary"),
    "gzip bomb": ("incoming/bomb.txt.gz", gzip_bomb(), "failed", None),
    "valid gzip text": ("incoming/ferry.txt.gz", gzip.compress(ARTICLE.encode()), "processed", None),
    "UTF-16 without BOM": ("incoming/utf16.txt", ARTICLE.encode("utf-16-le"), "processed", None),
    "invalid UTF-8 bytes": ("incoming/latin.txt", ARTICLE.encode() + b"\xff\xfe\xc3(", "processed", None),
    "NUL bytes": ("incoming/nul.txt", ARTICLE.replace("ferry", "fer\0ry").encode(), "processed", None),
    "1 MB line, no newline": ("incoming/oneline.txt", ("The ferry sails again. " * 45_000).encode(), "processed", None),
    "only boilerplate": (
        "incoming/boiler.txt",
        b"Share this article: Ferry\nMore from Coastal Courier\nCopyright 2026 Coastal Courier. All rights reserved.\n",
        "failed",
        "no_article_text",
    ),
    "HTML with no article": (
        "incoming/menu.html",
        b"<html><head><title>Site</title></head><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav></body></html>",
        "failed",
        "no_article_text",
    ),
    "HTML with only a script": (
        "incoming/script.html",
        b"<html><head><script>var story = 'The ferry runs again on Monday, the operator of the line said.';</script></head><body></body></html>",
        "failed",
        "no_article_text",
    ),
    "XHTML with an XML declaration": (
        "incoming/ferry.xhtml",
        ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Ferry</title>'
         "</head><body><article>" + "".join(f"<p>{line}</p>" for line in ARTICLE.splitlines()[2:] if line)
         + "</article></body></html>").encode(),
        "processed",
        None,
    ),
    "Japanese article": (
        "incoming/nhk.html",
        "<html lang='ja'><body><div><p>子どもへの虐待をなくすための法律ができて、体罰を禁止することになりました。</p>"
        "<p>法律では児童相談所の力を強くしました。医者や保健師が意見を言うようにしました。</p></div></body></html>".encode(),
        "processed",
        None,
    ),
    "page inside a <header>": (
        "incoming/header.html",
        ("<html><body><header><nav><ul><li><a href='/'>Home</a></li><li><main><article>"
         + "".join(f"<p>{line}</p>" for line in ARTICLE.splitlines()[2:] if line)
         + "</article></main></li></ul></nav></header></body></html>").encode(),
        "processed",
        None,
    ),
    "malformed JSON": ("incoming/broken.json", b'{"title": "Ferry", "text": ', "failed", "malformed_json"),
    "JSON of unknown shape": ("incoming/odd.json", b'{"foo": 1, "bar": [2, 3]}', "failed", "bar, foo"),
    "key with spaces": ("incoming/ferry news today.txt", ARTICLE.encode(), "processed", None),
    "key with +": ("incoming/ferry+islands.txt", ARTICLE.encode(), "processed", None),
    "key with %": ("incoming/ferry 100%.txt", ARTICLE.encode(), "processed", None),
    "key with unicode": ("incoming/fjærgått-ø.txt", ARTICLE.encode(), "processed", None),
    "key with ../": ("incoming/../escape.txt", ARTICLE.encode(), "processed", None),
    "non-English article": (
        "incoming/fransk.txt",
        "Le ferry reprend du service\n\nLe ferry entre Stord et Bergen a repris lundi après le remplacement "
        "d'une rampe endommagée, a indiqué l'opérateur. Environ mille passagers traversent chaque jour.\n".encode(),
        "processed",
        None,
    ),
    "article with no entities": (
        "incoming/quiet.txt",
        b"A quiet morning\n\nnothing much happened here today, and everyone stayed indoors reading quietly by the fire.\n",
        "processed",
        None,
    ),
}


#: cases whose size is the point, a long run of spaCy each: `make check` plays them
LONG_CASES = {"1 MB line, no newline"}


@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.check) if name in LONG_CASES else name for name in sorted(CASES)])
def test_bad_input_ends_as_an_explained_record(chain, name):
    key, data, status, detail = CASES[name]
    chain.drop(key, data)
    chain.settle()
    record = chain.record(key)
    assert record is not None, f"{name}: no record"
    assert record.status == status, (name, record.error)
    assert record.source.key == key
    if status == "failed":
        assert record.error.stage == "clean" and record.error.message
        if detail:
            assert detail in (record.error.kind, record.error.message) or detail in record.error.message
    else:
        assert (record.text or record.text_uri) and record.pipeline.model
    if name == "non-English article":
        assert record.language == "fr" and record.entities == []
        # one warning says the language is skipped, not one from each stage
        assert len([warning for warning in record.warnings if "language" in warning]) == 1, record.warnings
    if name == "article with no entities":
        assert record.entities == []
    LEDGER.bad_inputs.add(name)


@pytest.mark.slow
def test_fifty_megabyte_object_is_refused_unread(chain):
    chain.drop("incoming/huge.txt", b"x" * (50 * 1024 * 1024))
    chain.settle()
    record = chain.record("incoming/huge.txt")
    assert (record.status, record.error.kind) == ("failed", "too_large")
    assert "52428800 bytes" in record.error.message
    LEDGER.bad_inputs.add("50 MB object")


def test_object_deleted_before_clean_reads_it(chain):
    key = "incoming/gone.txt"
    chain.drop(key, ARTICLE.encode())
    s3 = boto3.client("s3")
    bucket = chain.pipeline.stack.bucket
    for version in s3.list_object_versions(Bucket=bucket, Prefix=key).get("Versions", []):
        s3.delete_object(Bucket=bucket, Key=key, VersionId=version["VersionId"])
    chain.settle()
    # Clean finds nothing to read (a failed record, missing_object), and the deletes' own
    # events, newer, make it a retraction whatever the order: the record says where it went.
    record = chain.record(key)
    assert record.status == "deleted" and record.error is None
    LEDGER.bad_inputs.add("object deleted before Clean reads it")


def test_object_overwritten_between_event_and_read(chain):
    key = "incoming/rewritten.txt"
    chain.drop(key, ARTICLE.encode())
    chain.drop(key, ARTICLE.replace("Monday", "Tuesday").encode())
    chain.settle()
    record = chain.record(key)
    assert record.status == "processed" and "Tuesday" in record.text
    # Each event names its version and Clean reads exactly that one, so the first event's
    # record is Monday's; the second, newer by sequencer, replaces it, never the reverse.
    assert chain.watcher.doubles == 0 and sum(chain.watcher.writes.values()) in (1, 2)
    LEDGER.bad_inputs.add("object overwritten between the event and the read")


def test_s3_test_event_is_skipped_without_a_record(chain):
    chain.settle()  # the stack's creation sent one, as S3 does
    assert not any(chain.dead_letters().values())
    assert sum(chain.watcher.writes.values()) == 0
    LEDGER.bad_inputs.add("s3:TestEvent")


def test_malformed_sqs_body_ends_in_the_dlq(chain):
    sqs = boto3.client("sqs")
    sqs.send_message(QueueUrl=chain.pipeline.stack.queue_url("IngestQueue"), MessageBody="{not json")
    chain.settle()
    assert chain.dead_letters()["IngestDLQ"] == ["{not json"]
    LEDGER.bad_inputs.add("malformed SQS body")


def test_unknown_message_version_ends_in_the_dlq(chain):
    body = json.dumps({"version": 2, "article_id": "x", "source": {"bucket": "b", "key": "k"}})
    boto3.client("sqs").send_message(QueueUrl=chain.pipeline.stack.queue_url("CleanedQueue"), MessageBody=body)
    chain.settle()
    assert chain.dead_letters()["CleanedDLQ"] == [body]
    LEDGER.bad_inputs.add("unknown message version")


def test_same_upload_delivered_three_times_writes_once(chain):
    key = "incoming/thrice.txt"
    chain.drop(key, ARTICLE.encode())
    chain.settle()
    first = chain.record(key)
    queue = chain.pipeline.stack.queue_url("IngestQueue")
    notification = {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "us-east-1",
                "eventTime": "2026-11-26T05:00:00.000Z",
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "redelivery",
                    "bucket": {"name": chain.pipeline.stack.bucket, "arn": "arn:aws:s3:::x"},
                    "object": {"key": "incoming/thrice.txt", "size": len(ARTICLE)},
                },
            }
        ]
    }
    for _ in range(2):
        boto3.client("sqs").send_message(QueueUrl=queue, MessageBody=json.dumps(notification))
    chain.settle()
    assert chain.record(key).processed_at == first.processed_at
    assert sum(chain.watcher.writes.values()) == 1
    LEDGER.bad_inputs.add("the same upload delivered three times")


def many_names_article(count: int) -> bytes:
    """An article naming ``count`` different people (US Census given names and surnames)."""
    from pathlib import Path

    import names

    folder = Path(names.__file__).parent
    first = [line.split()[0].title() for line in (folder / "dist.male.first").read_text().splitlines()[:100]]
    last = [line.split()[0].title() for line in (folder / "dist.all.last").read_text().splitlines()[:100]]
    people = [f"{given} {family}" for family in last for given in first][:count]
    sentences = [f"{a} met {b} at the harbour on Monday." for a, b in zip(people[::2], people[1::2])]
    paragraphs = [" ".join(sentences[i : i + 10]) for i in range(0, len(sentences), 10)]
    return ("Harbour Meeting Draws A Crowd\n\n" + "\n\n".join(paragraphs)).encode()


@pytest.mark.slow
@pytest.mark.check  # 10,000 entity items, a conditional put each: `make check`
def test_article_with_ten_thousand_entities_is_stored_whole(chain):
    from article_pipeline import aws
    from article_pipeline.documents import parse_name
    from article_pipeline.records import find_by_entity

    key = "incoming/crowd.txt"
    chain.drop(key, many_names_article(10_000))
    chain.settle()
    record = chain.record(key)
    assert record.status == "processed"
    assert record.entities == [] and record.entities_uri.endswith("#extraction.entities")
    ref = parse_name(record.entities_uri.split("#")[0])
    assert ref.version_id  # the very version the record was built from
    document = json.loads(boto3.client("s3").get_object(Bucket=ref.bucket, Key=ref.key, VersionId=ref.version_id)["Body"].read())
    entities = document["extraction"]["entities"]
    assert len(entities) >= 9_000
    hits = find_by_entity(aws.client("dynamodb"), chain.pipeline.stack.table, entities[-1]["name"])
    assert [hit["article_id"] for hit in hits] == [record.article_id]
    LEDGER.bad_inputs.add("an article with 10,000 entities")


@pytest.mark.slow
@pytest.mark.check  # 2 min of spaCy: `make check`
def test_five_megabyte_article_is_processed_whole(chain):
    paragraph = (
        "On day {n} the ferry between Stord and Bergen carried {p} passengers, the operator said, "
        "and Captain Marta Lie reported calm seas near the island of Huglo."
    )
    body = "\n\n".join(paragraph.format(n=n, p=1000 + n) for n in range(33_000))
    data = ("Ferry Log For The Year\n\n" + body).encode()
    assert len(data) > 5 * 1024 * 1024
    extract = chain.pipeline.functions["ExtractFunction"]
    extract.module()
    # about 100 s of Extract's 300 s alone; a loaded test machine must not make it "too_slow"
    extract.environment["ARTICLE_TIME_SHARE"] = "0.95"
    chain.drop("incoming/ferry-log.txt", data)
    chain.settle()
    record = chain.record("incoming/ferry-log.txt")
    assert record.status == "processed" and record.paragraphs == 33_000
    assert record.text is None and record.text_uri.endswith("#article.text")  # claim check, not cut
    LEDGER.bad_inputs.add("a 5 MB article")


@pytest.mark.slow
def test_logs_at_info_never_hold_article_text(tmp_path):
    import subprocess
    import sys

    article = tmp_path / "private.txt"
    article.write_text(ARTICLE)
    command = [sys.executable, "-m", "article_pipeline_local.cli", "run", "--log-level", "INFO", str(article)]
    logs = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    assert '"message":"stored"' in logs  # the functions did log, at INFO
    assert "replaced a damaged ramp" not in logs and "Marta Lie" not in logs
