"""What a security review runs: checkov on template.yaml, bandit on the code that ships.

Both scanners live in .venv-scan (requirements/scan.txt, hash-locked), which `make test`
installs before the suite. Each check that does not apply is skipped in its resource's own
Metadata with the reason; docs/security.md lists them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from article_pipeline_local.emulation.template import TEMPLATE, Template

ROOT = TEMPLATE.parent
SCAN_BIN = ROOT / ".venv-scan" / "bin"
#: The code that ships: the functions and the layers (bandit skips what is not Python).
SHIPPED = ["functions", "layers"]
#: A suppression names the bandit test it silences and says why, e.g. `# nosec B311 - not a secret`.
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)")
REASONED_NOSEC = re.compile(r"\s+B\d{3}(,\s*B\d{3})*\s+-\s+\S")


def scanner(name: str) -> Path:
    path = SCAN_BIN / name
    if not path.exists():
        message = f"{name} is not installed: `make .venv-scan/.installed` (make test does it first)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def checkov() -> dict:
    # --skip-download: the checks ship in the package; nothing is fetched at run time.
    result = subprocess.run(
        [scanner("checkov"), "-f", TEMPLATE.name, "--framework", "cloudformation", "--skip-download", "-o", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.stdout, result.stderr
    return json.loads(result.stdout)


def test_checkov_finds_no_failed_check(checkov):
    failed = [f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in checkov["results"]["failed_checks"]]
    assert failed == [], "decide each: meet it, or skip it in the resource's Metadata with the reason"
    assert checkov["summary"]["parsing_errors"] == 0


def test_checkov_read_every_resource(checkov):
    """A template checkov cannot read has no failed check either: make sure it read them all."""
    assert checkov["summary"]["resource_count"] == len(Template().resources)
    assert checkov["summary"]["passed"] > 0


def test_every_checkov_skip_says_why(checkov):
    skipped = checkov["results"]["skipped_checks"]
    assert skipped, "the template skips checks in its resources' Metadata"
    for check in skipped:
        comment = check["check_result"].get("suppress_comment", "")
        assert len(comment.split()) >= 8, f"{check['check_id']} on {check['resource']} needs its reason: {comment!r}"


def test_bandit_finds_nothing_at_medium_severity_and_up():
    # -ll: medium and high severity, at any confidence.
    result = subprocess.run(
        [scanner("bandit"), "-r", *SHIPPED, "-ll", "-f", "json", "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    report = json.loads(result.stdout)
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]]
    assert findings == []
    assert report["errors"] == []
    assert report["metrics"]["_totals"]["loc"] > 1000, "bandit read the shipped code"
    assert result.returncode == 0


def test_every_nosec_names_its_test_and_reason():
    bare = []
    for path in sorted(p for folder in SHIPPED for p in (ROOT / folder).rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = NOSEC.search(line)
            if match and not REASONED_NOSEC.match(match["rest"]):
                bare.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert bare == [], "write `# nosec BXXX - why` so a reader sees what is silenced and why"


def test_reserved_concurrency_covers_each_mapping():
    """A function throttled below its mapping's MaximumConcurrency returns messages to the queue,
    each return a spent delivery on the way to its DLQ."""
    template = Template()
    for name, resource in template.of_type("AWS::Serverless::Function").items():
        props = resource["Properties"]
        reserved = props.get("ReservedConcurrentExecutions")
        assert reserved, f"{name} has no ReservedConcurrentExecutions"
        mappings = [e["Properties"] for e in props.get("Events", {}).values() if e["Type"] == "SQS"]
        for mapping in mappings:
            assert mapping["ScalingConfig"]["MaximumConcurrency"] <= reserved, name


def test_an_asynchronously_invoked_function_has_a_dlq():
    """A schedule invokes asynchronously: what fails after Lambda's retries must land somewhere
    that raises an alarm."""
    template = Template()
    for name, resource in template.of_type("AWS::Serverless::Function").items():
        props = resource["Properties"]
        if any(e["Type"] in {"Schedule", "ScheduleV2"} for e in props.get("Events", {}).values()):
            target = props["DeadLetterQueue"]["TargetArn"]["Fn::GetAtt"][0]
            assert template.resources[target]["Type"] == "AWS::SQS::Queue", name
            watched = [
                alarm for alarm in template.of_type("AWS::CloudWatch::Alarm").values()
                if alarm["Properties"].get("Dimensions", [{}])[0].get("Value") == {"Fn::GetAtt": [target, "QueueName"]}
            ]
            assert watched, f"nobody hears of a failed {name} run in {target}"


def test_the_articles_bucket_logs_to_a_bucket_s3_may_write():
    template = Template()
    props = template.resources[template.articles_bucket]["Properties"]
    log_bucket = props["LoggingConfiguration"]["DestinationBucketName"]["Ref"]
    prefix = props["LoggingConfiguration"]["LogFilePrefix"]
    assert template.resources[log_bucket]["Properties"]["LifecycleConfiguration"]["Rules"]
    (policy,) = [
        res["Properties"]["PolicyDocument"]
        for res in template.of_type("AWS::S3::BucketPolicy").values()
        if res["Properties"]["Bucket"] == {"Ref": log_bucket}
    ]
    (grant,) = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    assert grant["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert grant["Action"] == "s3:PutObject"
    assert grant["Resource"] == {"Fn::Sub": f"${{{log_bucket}.Arn}}/{prefix}*"}
    assert grant["Condition"]["ArnLike"]["aws:SourceArn"] == {"Fn::GetAtt": [template.articles_bucket, "Arn"]}
