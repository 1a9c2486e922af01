"""make sam-local's own logic, without Docker: what it reads of the template, how it judges
an invocation's output, and how it compares records. (`make sam-local` itself runs the
functions in Docker; CI runs it after this suite.)"""

from __future__ import annotations

import json

import pytest

from article_pipeline_local.toolchain import lambda_image
from article_pipeline_local.toolchain.sam_local import (
    EVENTS,
    Invocation,
    StepFailed,
    chain_order,
    compare_records,
    event_file,
    queue_targets,
    writes_table,
)
from article_pipeline_local.emulation.serve import LocalServer
from article_pipeline_local.emulation.template import Template

REPORT = "REPORT RequestId: 1f\tInit Duration: 0.04 ms\tDuration: 2632.04 ms\tBilled Duration: 2633 ms\tMemory Size: 512 MB\tMax Memory Used: 512 MB\t"


@pytest.fixture(scope="module")
def template() -> Template:
    return Template()


def test_the_chain_follows_the_queues_from_the_bucket_notification(template):
    assert [fn.logical_id for fn in chain_order(template)] == ["CleanFunction", "ExtractFunction", "StoreFunction"]


def test_outputs_are_the_queues_a_function_environment_names(template):
    functions = template.functions()
    assert set(queue_targets(functions["CleanFunction"], template).values()) == {"CleanedQueue"}
    assert set(queue_targets(functions["ReplayFunction"], template).values()) == {"IngestQueue", "ReplayQueue"}
    assert queue_targets(functions["StoreFunction"], template) == {}
    assert writes_table(functions["StoreFunction"], template)
    assert not writes_table(functions["CleanFunction"], template)


def test_every_function_has_its_event_file(template):
    for function in template.functions().values():
        assert event_file(function).is_file(), function.logical_id
    assert event_file(template.functions()["CleanFunction"]) == EVENTS / "clean.json"


def test_an_invocation_reads_its_report_and_python():
    invocation = Invocation("CleanFunction", "sam local invoke", {"batchItemFailures": []},
                            f"python 3.13.5 (/usr/bin/python3)\nSTART RequestId: 1f\n{REPORT}\n")
    assert invocation.python == "3.13.5"
    assert invocation.report == REPORT.strip()
    assert invocation.figure("Duration") == 2632.04
    assert invocation.figure("Max Memory Used") == 512
    invocation.check("3.13")


@pytest.mark.parametrize(
    ("response", "log", "reason"),
    [
        ({"errorType": "ValueError", "errorMessage": "bad"}, f"python 3.13.5\n{REPORT}", "raised ValueError"),
        ({"batchItemFailures": [{"itemIdentifier": "m1"}]}, f"python 3.13.5\n{REPORT}", "failed 1 message"),
        ({"batchItemFailures": []}, "python 3.13.5\n", "no REPORT line"),
        ({"batchItemFailures": []}, f"python 3.11.7\n{REPORT}", "Python 3.11.7"),
    ],
)
def test_an_invocation_that_went_wrong_fails_its_step(response, log, reason):
    # sam local invoke exits 0 whatever the handler did: the response and the log decide.
    with pytest.raises(StepFailed, match=reason):
        Invocation("CleanFunction", "sam local invoke", response, log).check("3.13")


def test_records_compare_without_timestamps_and_version_ids():
    record = {"article_id": "a", "processed_at": "2026-11-29T21:00:00Z", "source": {"key": "k", "version_id": "v1"},
              "entities": [{"name": "Sydney"}]}
    later = json.loads(json.dumps(record)) | {"processed_at": "2026-11-29T22:00:00Z", "source": {"key": "k", "version_id": "v2"}}
    compare_records(later, record)
    with pytest.raises(StepFailed, match="Sydney"):
        compare_records(later | {"entities": []}, record)


def test_the_env_vars_file_holds_template_variables_and_the_endpoint(tmp_path):
    server = LocalServer(port=0, log_level=None)
    server.start()
    try:
        from article_pipeline_local.toolchain.sam_local import Endpoint

        endpoint = Endpoint.__new__(Endpoint)
        endpoint.server, endpoint.url = server, server.endpoint_url
        variables = json.loads(endpoint.environment_file(tmp_path / "env.json").read_text())
    finally:
        server.stop()
    template_functions = Template().functions()
    assert set(variables) == set(template_functions)
    for name, values in variables.items():
        # SAM only passes variables the template declares: nothing else belongs in the file.
        assert set(values) <= set(template_functions[name].environment), name
        assert values["AWS_ENDPOINT_URL"] == server.endpoint_url
    assert variables["CleanFunction"]["CLEANED_QUEUE_URL"].endswith("/article-pipeline-CleanedQueue")


def test_the_endpoint_variable_is_left_out_unless_a_value_is_given():
    from article_pipeline_local.emulation.template import NO_VALUE, Resolver

    variable = Template().functions()["CleanFunction"].environment["AWS_ENDPOINT_URL"]
    assert Resolver(Template(), {}).resolve(variable) is NO_VALUE
    given = Template(parameters={"EndpointUrl": "http://127.0.0.1:4566"})
    assert Resolver(given, {}).resolve(variable) == "http://127.0.0.1:4566"


def test_the_image_recipe_digest_changes_with_what_goes_in(monkeypatch, tmp_path):
    before = lambda_image.recipe_digest()
    changed = tmp_path / "lambda-runtime.txt"
    changed.write_text(lambda_image.RUNTIME_LOCK.read_text().replace("botocore==1.40.4", "botocore==1.40.5"))
    monkeypatch.setattr(lambda_image, "RUNTIME_LOCK", changed)
    assert lambda_image.recipe_digest() != before

