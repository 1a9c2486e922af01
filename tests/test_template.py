"""template.yaml lints clean, transforms, and says what the architecture promises."""

from __future__ import annotations

import json

import pytest
from cfnlint.api import lint_all
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

from article_pipeline_local.emulation.cloud import use_local_credentials
from article_pipeline_local.emulation.template import NO_VALUE, TEMPLATE, Resolver, Template

MANAGED_POLICIES = {
    name: f"arn:aws:iam::aws:policy/{path}{name}"
    for name, path in {
        "AWSLambdaBasicExecutionRole": "service-role/",
        "AWSLambdaSQSQueueExecutionRole": "service-role/",
        "AWSXrayWriteOnlyAccess": "",
    }.items()
}


@pytest.fixture(scope="module")
def transformed() -> dict:
    use_local_credentials()  # the translator asks boto3 for a region
    class Loader:
        def load(self):
            return MANAGED_POLICIES

    template = yaml_parse(TEMPLATE.read_text())
    # As `sam package` does: local code folders become S3 locations before the transform.
    for resource in template["Resources"].values():
        for key in ("CodeUri", "ContentUri"):
            if key in resource.get("Properties", {}):
                resource["Properties"][key] = f"s3://artifacts/{resource['Properties'][key]}.zip"
    return transform(template, {}, Loader())


def of_type(template: dict, kind: str) -> dict[str, dict]:
    return {name: res for name, res in template["Resources"].items() if res["Type"] == kind}


def test_cfn_lint_reports_nothing():
    matches = lint_all(TEMPLATE.read_text())
    # Informational rules (I...) are advice; errors and warnings fail the build.
    assert [str(match) for match in matches if match.rule.id[0] in "EW"] == []


def test_functions_run_python313_on_x86(transformed):
    functions = of_type(transformed, "AWS::Lambda::Function")
    assert set(functions) == {"CleanFunction", "ExtractFunction", "StoreFunction", "ReplayFunction"}
    for function in functions.values():
        assert function["Properties"]["Runtime"] == "python3.13"
        assert function["Properties"]["Architectures"] == ["x86_64"]


def test_every_mapping_reports_partial_failures_with_explicit_batching(transformed):
    mappings = of_type(transformed, "AWS::Lambda::EventSourceMapping")
    assert len(mappings) == 4  # the three stages, and ReplayFunction's continuations
    for mapping in mappings.values():
        props = mapping["Properties"]
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert props["BatchSize"] >= 1 and "MaximumBatchingWindowInSeconds" in props


def test_queues_outlast_their_consumer_and_have_a_dlq():
    template = Template()
    queues = template.of_type("AWS::SQS::Queue")
    for function in template.functions().values():
        for mapping in function.mappings:
            props = queues[mapping.queue]["Properties"]
            assert props["VisibilityTimeout"] >= 6 * function.timeout, mapping.queue
            assert 3 <= int(Resolver(template, {}).resolve(props["RedrivePolicy"]["maxReceiveCount"])) <= 5
            assert props["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0] in queues


def test_data_is_encrypted_and_private(transformed):
    for bucket in of_type(transformed, "AWS::S3::Bucket").values():  # the articles and their access logs
        assert bucket["Properties"]["BucketEncryption"]
        assert all(bucket["Properties"]["PublicAccessBlockConfiguration"].values())
        assert bucket["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
    for queue in of_type(transformed, "AWS::SQS::Queue").values():
        assert queue["Properties"]["SqsManagedSseEnabled"] is True
    (table,) = of_type(transformed, "AWS::DynamoDB::Table").values()
    assert table["Properties"]["SSESpecification"] == {"SSEEnabled": True}
    assert table["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_no_wildcard_where_aws_allows_narrower(transformed):
    """Least privilege over the transformed template: no '*' action or resource in any Allow."""
    statements = []
    for role in of_type(transformed, "AWS::IAM::Role").values():
        for policy in role["Properties"].get("Policies", []):
            statements += policy["PolicyDocument"]["Statement"]
    assert statements, "the functions' own policies should be inline"
    for statement in statements:
        if statement["Effect"] != "Allow":
            continue
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        assert not [a for a in actions if a == "*" or a.endswith(":*")], statement
        assert "*" not in resources, statement
        # Object ARNs name the stage's own prefix, never the whole bucket.
        for resource in map(json.dumps, resources):
            if "/*" in resource:
                assert any(f"/{prefix}/*" in resource for prefix in ("incoming", "cleaned", "extracted")), resource


def test_only_extract_carries_the_spacy_layer(transformed):
    functions = of_type(transformed, "AWS::Lambda::Function")
    for name, function in functions.items():
        layers = json.dumps(function["Properties"]["Layers"])
        assert ("SpacyLayer" in layers) == (name == "ExtractFunction")
        assert "SharedLayer" in layers


def test_the_table_is_provisioned_with_auto_scaling_on_every_capacity():
    template = Template()
    resolver = Resolver(template, {})
    (table,) = template.of_type("AWS::DynamoDB::Table").values()
    assert resolver.resolve(table["Properties"]["BillingMode"]) == "PROVISIONED"
    targets = template.of_type("AWS::ApplicationAutoScaling::ScalableTarget")
    dimensions = {resolver.resolve(t["Properties"]["ScalableDimension"]) for t in targets.values()}
    assert dimensions == {f"dynamodb:{kind}:{unit}CapacityUnits" for kind in ("table", "index") for unit in ("Read", "Write")}
    policies = template.of_type("AWS::ApplicationAutoScaling::ScalingPolicy")
    tracked = {p["Properties"]["ScalingTargetId"]["Ref"]: p["Properties"]["TargetTrackingScalingPolicyConfiguration"] for p in policies.values()}
    assert set(tracked) == set(targets)
    assert {config["TargetValue"] for config in tracked.values()} == {70}
    assert all(t.get("Condition") == "TableIsProvisioned" for t in [*targets.values(), *policies.values()])


def test_on_demand_is_one_parameter_away():
    template = Template(parameters={"TableCapacityMode": "PAY_PER_REQUEST"})
    resolver = Resolver(template, {})
    (table,) = template.of_type("AWS::DynamoDB::Table").values()
    assert resolver.resolve(table["Properties"]["BillingMode"]) == "PAY_PER_REQUEST"
    assert not resolver.condition("TableIsProvisioned")
    (index,) = table["Properties"]["GlobalSecondaryIndexes"]
    assert resolver.resolve(table["Properties"]["ProvisionedThroughput"]) is NO_VALUE
    assert resolver.resolve(index["ProvisionedThroughput"]) is NO_VALUE


def test_a_backlog_is_kept_two_weeks_and_alarmed_after_a_day():
    template = Template()
    queues = template.of_type("AWS::SQS::Queue")
    stage_queues = {m.queue for f in template.functions().values() for m in f.mappings} - {"ReplayQueue"}
    assert stage_queues == {"IngestQueue", "CleanedQueue", "ExtractedQueue"}
    for name in stage_queues:
        assert queues[name]["Properties"]["MessageRetentionPeriod"] == 14 * 86_400, name
    alarm = template.resources["StageBacklogAlarm"]["Properties"]
    watched = {m["MetricStat"]["Metric"]["Dimensions"][0]["Value"]["Fn::GetAtt"][0] for m in alarm["Metrics"] if "MetricStat" in m}
    assert watched == stage_queues and alarm["Threshold"] == 86_400
