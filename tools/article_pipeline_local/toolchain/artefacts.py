"""Build the Lambda artefacts without SAM (``make layers``), and run code on them as Lambda would.

``python -m article_pipeline_local.toolchain.artefacts [--python-version 3.11]`` runs the
makefile build method of every function and layer of template.yaml (``make
build-<LogicalId>`` with ``ARTIFACTS_DIR``, as ``sam build`` does) into
``build/layers/python<version>/<LogicalId>``. :func:`run_isolated` runs code in a fresh
interpreter that sees a function's code and layers and the runtime's own packages, nothing
else (the layer tests and the bench's cold start use it).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..emulation.template import ROOT, Template

BUILD_ROOT = ROOT / "build" / "layers"
LAMBDA_PYTHON = "3.13"
LOCAL_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


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


#: ExtractFunction's environment, as the template sets it, for a process outside Lambda.
EXTRACT_ENV = {
    "AWS_LAMBDA_FUNCTION_NAME": "ExtractFunction",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "ArticlePipeline",
    "POWERTOOLS_SERVICE_NAME": "extract",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "AWS_DEFAULT_REGION": "us-east-1",
    "ARTICLES_BUCKET": "bench",
    "EXTRACTED_QUEUE_URL": "bench",
}


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


def run_isolated(code: str, path: list[Path], env: dict[str, str] | None = None) -> str:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m article_pipeline_local.toolchain.artefacts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--python-version", default=LAMBDA_PYTHON)
    parser.add_argument("--out", type=Path, default=None, help="default: build/layers/python<version>")
    args = parser.parse_args(argv)
    print(build(args.python_version, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
