"""article-pipeline: run the functions of template.yaml locally, on moto.

    article-pipeline run FILE|DIR...          the whole chain; one JSON record per file on stdout
    article-pipeline invoke FUNCTION -e EVENT what `sam local invoke` does, without Docker
    article-pipeline eval-clean DIR           cleaning against a labelled benchmark
    article-pipeline eval-entities FILE       entities against CoNLL-2003 or OntoNotes news, beside the raw model
    article-pipeline eval-figures FILE        figures against OntoNotes news, beside the raw model
    article-pipeline eval-search FILE         search by entity against AIDA CoNLL-YAGO (names linked to Wikidata)
    article-pipeline serve [--host H] [--port N]  a local endpoint: drop files in S3, get records
    article-pipeline replay [--mode M] ...    ReplayFunction with its schedule's input
    article-pipeline redrive STAGE            a stage's DLQ back to its queue
    article-pipeline show ARTICLE_ID          one record (--endpoint-url or --stack)
    article-pipeline search --entity NAME     articles that mention NAME
    article-pipeline hostile                  known hostile inputs through the chain: time, outcome, memory
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from .commands.files import expand

# Subcommands whose code lives in its own module: name -> (module, help).
MODULE_COMMANDS = {
    "eval-clean": ("article_pipeline_local.evaluation.eval_clean", "score cleaning against a benchmark folder"),
    "eval-entities": ("article_pipeline_local.evaluation.eval_entities", "score entities against CoNLL-2003 or OntoNotes news"),
    "eval-figures": ("article_pipeline_local.evaluation.eval_figures", "score figures against OntoNotes news"),
    "eval-search": ("article_pipeline_local.evaluation.eval_search", "score search by entity against AIDA CoNLL-YAGO"),
    "serve": ("article_pipeline_local.emulation.serve", "a local S3/SQS/DynamoDB endpoint running the pipeline"),
    "replay": ("article_pipeline_local.commands.replay", "invoke ReplayFunction as its schedule does"),
    "redrive": ("article_pipeline_local.commands.redrive", "move a stage's DLQ messages back to its queue"),
    "show": ("article_pipeline_local.commands.queries", "print an article's record"),
    "search": ("article_pipeline_local.commands.queries", "articles that mention an entity"),
    "hostile": ("article_pipeline_local.measurement.hostile", "time known hostile inputs through the chain, one process each"),
}


#: The function whose batches count articles done: every article, failed or not, ends there.
LAST_STAGE = "StoreFunction"


@contextlib.contextmanager
def _progress(total: int, verbose: bool) -> Iterator:
    """The ``progress`` callback for a run: a bar of articles stored, on a terminal only.

    tqdm draws nothing when stderr is not a terminal (``disable=None``), so piped or
    redirected output stays the records and the closing line. ``-v`` prints each batch.
    """
    from tqdm import tqdm

    # mininterval=0: a batch takes far longer than a redraw, so each one is drawn.
    with tqdm(total=total, unit="article", desc="stored", file=sys.stderr, disable=None, leave=False, dynamic_ncols=True, mininterval=0) as bar:

        def progress(function: str, size: int, failed: int) -> None:
            if verbose:
                bar.write(f"{function}: batch of {size}" + (f", {failed} failed" if failed else ""), file=sys.stderr)
            if function == LAST_STAGE:  # a failed delivery comes back: count it when it lands
                bar.update(min(size - failed, bar.total - bar.n))

        yield progress


def run(args: argparse.Namespace) -> int:
    from .emulation.chain import local_pipeline

    paths = expand(args.files)
    missing = [path for path in args.files if not path.exists()]
    for path in missing:
        print(f"not a file: {path}", file=sys.stderr)
    with _progress(len(paths), args.verbose) as progress, local_pipeline(
        progress=progress, log_level=args.log_level, concurrency=args.concurrency
    ) as pipeline:
        outcomes = pipeline.run_files(paths)
    failed = 0
    for path, outcome in zip(paths, outcomes):
        if outcome.record is not None:
            print(outcome.record.model_dump_json(exclude_none=True))
        if outcome.reason:
            failed += 1
            print(f"FAILED {path}: {outcome.reason}", file=sys.stderr)
    print(f"{len(outcomes) - failed} processed, {failed} failed", file=sys.stderr)
    return 1 if failed or missing else 0


def invoke(args: argparse.Namespace) -> int:
    from .emulation.invoke import invoke_function

    response = invoke_function(args.function, json.loads(args.event.read_text()), log_level=args.log_level)
    print(json.dumps(response, indent=2))
    return 0


def concurrency(value: str) -> int:
    """``--concurrency``: a count of instances, or ``template`` (0: the template's figures)."""
    if value == "template":
        return 0
    count = int(value)
    if count < 1:
        raise argparse.ArgumentTypeError("at least 1 instance")
    return count


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the chosen ``command``'s module is imported (they load heavy libraries)."""
    parser = argparse.ArgumentParser(prog="article-pipeline", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    run_parser = commands.add_parser("run", help="send files through the whole chain on moto")
    run_parser.add_argument("files", nargs="+", type=Path, metavar="FILE|DIR")
    run_parser.add_argument("-v", "--verbose", action="store_true", help="print each batch on stderr")
    run_parser.add_argument("--log-level", default="WARNING", help="the functions' log level (default WARNING)")
    run_parser.add_argument(
        "--concurrency", type=concurrency, default=1, metavar="N|template",
        help="instances per queue mapping, each its own process (default 1: quick, in process; "
        "'template': each mapping's MaximumConcurrency)",
    )
    run_parser.set_defaults(handler=run)

    invoke_parser = commands.add_parser("invoke", help="invoke one function with an event file")
    invoke_parser.add_argument("function", help="logical id in template.yaml, e.g. CleanFunction")
    invoke_parser.add_argument("-e", "--event", type=Path, required=True)
    invoke_parser.add_argument("--log-level", default="INFO")
    invoke_parser.set_defaults(handler=invoke)

    for name, (module_name, help_text) in MODULE_COMMANDS.items():
        sub = commands.add_parser(name, help=help_text)
        if name == command:
            module = importlib.import_module(module_name)
            module.add_arguments(sub)
            sub.set_defaults(handler=module.run)
    return parser


#: The exit status of a process that SIGPIPE ended, as a shell reports it.
CLOSED_PIPE = 128 + 13


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    try:
        status = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the try, not at exit
    except BrokenPipeError:
        # The reader went away (`show ... | head`): stop quietly, as the Python docs advise,
        # pointing stdout at devnull so the flush at interpreter exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return CLOSED_PIPE
    return status


if __name__ == "__main__":
    sys.exit(main())
