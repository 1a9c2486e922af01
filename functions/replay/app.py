"""ReplayFunction: re-enqueues articles into IngestQueue (schedule, manual or ReplayQueue)."""

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from article_pipeline.aws import client
from article_pipeline.replay_planning import Continuation, ContinuationRecordModel, ReplaySettings
from article_pipeline.stages.replay import replay_step

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS, model=ContinuationRecordModel)


@tracer.capture_method
def run(job: Continuation, context: LambdaContext) -> dict:
    logger.set_correlation_id(job.summary.replay_id)
    result = replay_step(job, s3=client("s3"), dynamodb=client("dynamodb"), sqs=client("sqs"),
                         settings=ReplaySettings.from_env(), time_left_ms=context.get_remaining_time_in_millis)
    summary = result.job.summary.model_dump(mode="json")
    logger.info("replay done" if result.done else "replay continues", extra={"summary": summary})
    metrics.add_metric(name="ObjectsScanned", unit=MetricUnit.Count, value=result.scanned)
    metrics.add_metric(name="ArticlesReplayed", unit=MetricUnit.Count, value=result.enqueued)
    return summary


def record_handler(record: ContinuationRecordModel, lambda_context: LambdaContext) -> None:
    run(record.body, lambda_context)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    if "Records" in event:  # the rest of a replay, from ReplayQueue (BatchSize 1)
        return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    # The schedule's Input or a manual invocation (the request itself, no envelope), or a
    # continuation's body, e.g. one from ReplayDLQ, resumed by hand.
    return run(Continuation.model_validate(event), context)
