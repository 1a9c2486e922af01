"""CleanFunction: S3 notifications from IngestQueue -> cleaned/<id>.json -> CleanedQueue."""

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from article_pipeline.aws import client
from article_pipeline.batch import PipelineBatchProcessor
from article_pipeline.events import IngestRecordModel, removals_of, sources_of
from article_pipeline.settings import Settings
from article_pipeline.stages.clean import announce_removal, clean_source, give_up
from article_pipeline.watchdog import Deadline

logger = Logger()
tracer = Tracer()
metrics = Metrics()


def record_failed(record: IngestRecordModel, error: BaseException) -> None:
    for source in sources_of(record.body):
        give_up(source, error, sqs=client("sqs"), settings=Settings.from_env())


processor = PipelineBatchProcessor(model=IngestRecordModel, on_give_up=record_failed)
invocation: dict[str, Deadline | None] = {}


@tracer.capture_method
def record_handler(record: IngestRecordModel) -> None:
    settings = Settings.from_env()
    for source in sources_of(record.body):  # none for s3:TestEvent
        budget = deadline.budget() if (deadline := invocation.get("deadline")) else None
        message = clean_source(source, s3=client("s3"), sqs=client("sqs"), settings=settings, budget=budget)
        logger.set_correlation_id(message.article_id)
        # One INFO line a batch (CloudWatch bills log bytes); an article only when it failed.
        log = logger.info if message.error else logger.debug
        log("cleaned", extra={"key": source.key, "error": message.error and message.error.kind})
        metrics.add_metric(name="ArticlesFailed" if message.error else "ArticlesCleaned", unit=MetricUnit.Count, value=1)
    for source in removals_of(record.body):  # a retraction, unless the key has an object again
        if announce_removal(source, s3=client("s3"), sqs=client("sqs"), settings=settings):
            metrics.add_metric(name="ArticlesDeleted", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    invocation["deadline"] = Deadline.from_context(context, reserve_ms=processor.reserve_ms)
    response = process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    logger.info("batch cleaned", extra={"records": len(event["Records"]), "failed": len(response["batchItemFailures"])})
    return response
