"""StoreFunction: messages from ExtractedQueue -> the article record in ArticlesTable."""

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from article_pipeline.aws import client
from article_pipeline.batch import PipelineBatchProcessor
from article_pipeline.events import StageRecordModel
from article_pipeline.settings import Settings
from article_pipeline.stages.store import give_up, store_message
from article_pipeline.watchdog import Deadline

logger = Logger()
tracer = Tracer()
metrics = Metrics()
invocation: dict[str, Deadline | None] = {}  # this invocation's deadline, for waits on the table


def record_failed(record: StageRecordModel, error: BaseException) -> None:
    settings, deadline = Settings.from_env(), invocation.get("deadline")
    give_up(record.body, error, s3=client("s3"), dynamodb=client("dynamodb"), settings=settings, deadline=deadline)


processor = PipelineBatchProcessor(model=StageRecordModel, on_give_up=record_failed)


@tracer.capture_method
def record_handler(record: StageRecordModel) -> None:
    logger.set_correlation_id(record.body.article_id)
    stored, written = store_message(
        record.body, s3=client("s3"), dynamodb=client("dynamodb"), settings=Settings.from_env(),
        deadline=invocation.get("deadline"),
    )
    # One INFO line a batch (CloudWatch bills log bytes); an article only when it failed.
    log = logger.info if stored.status == "failed" else logger.debug
    log("stored", extra={"status": stored.status, "written": written})
    metrics.add_metric(name="RecordsWritten" if written else "DuplicatesSkipped", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    invocation["deadline"] = Deadline.from_context(context, reserve_ms=processor.reserve_ms)
    response = process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    logger.info("stored", extra={"records": len(event["Records"]), "failed": len(response["batchItemFailures"])})
    return response
