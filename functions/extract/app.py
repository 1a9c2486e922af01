"""ExtractFunction: messages from CleanedQueue -> extracted/<id>.json -> ExtractedQueue.

The model loads once per container, at init; the batch runs through one ``nlp.pipe``,
then the BatchProcessor reports each message's own outcome.
"""

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from article_pipeline.aws import client
from article_pipeline.batch import PipelineBatchProcessor
from article_pipeline.events import StageRecordModel, stage_messages
from article_pipeline.extraction import load_nlp
from article_pipeline.settings import Settings
from article_pipeline.stages.extract import extract_batch, give_up
from article_pipeline.watchdog import Deadline

logger = Logger()
tracer = Tracer()
metrics = Metrics()
nlp = load_nlp(Settings.from_env().spacy_models)
outcomes: dict[str, Exception | None] = {}


def record_failed(record: StageRecordModel, error: BaseException) -> None:
    give_up(record.body, error, sqs=client("sqs"), settings=Settings.from_env())


processor = PipelineBatchProcessor(model=StageRecordModel, on_give_up=record_failed)


def record_handler(record: StageRecordModel) -> None:
    logger.set_correlation_id(record.body.article_id)
    if error := outcomes.get(record.messageId):
        raise error
    metrics.add_metric(name="ArticlesExtracted", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    batch = stage_messages(event["Records"])
    outcomes.clear()
    deadline = Deadline.from_context(context, reserve_ms=processor.reserve_ms)  # each article gets a budget
    outcomes.update(
        extract_batch(batch, nlp=nlp, s3=client("s3"), sqs=client("sqs"), settings=Settings.from_env(), deadline=deadline)
    )
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
