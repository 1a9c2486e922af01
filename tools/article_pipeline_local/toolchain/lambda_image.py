"""The python3.13 Lambda base image that `sam local` runs the functions on, built here.

No image registry can be reached, so ``sam local ... --skip-pull-image`` must find
``public.ecr.aws/lambda/python:3.13-x86_64`` in the local Docker daemon. This module makes
it once: a minimal Debian trixie root filesystem (its python3 is 3.13, the runtime's
version), the runtime interface client and the SDK the Lambda runtime ships installed in
/var/runtime from wheels this machine's pip downloaded and checked against a hash lock
(``--no-index``: nothing inside the image reaches a network), and /var/runtime/bootstrap, which SAM's Runtime Interface
Emulator starts. The image carries a label with a digest of this recipe; a later run with
the same recipe reuses it.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..emulation.template import ROOT

IMAGE = "public.ecr.aws/lambda/python:3.13-x86_64"
SUITE = "trixie"  # Debian 13: python3 is 3.13
PYTHON_VERSION = "3.13"
PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_28_x86_64")
#: What the python3.13 runtime carries besides the standard library (its runtime interface
#: client, and the SDK the layers leave out), hash-locked by `make lock` from the .in beside it.
RUNTIME_LOCK = ROOT / "requirements" / "lambda-runtime.txt"
RECIPE_LABEL = "org.article-pipeline.lambda-image-recipe"

# As the Lambda runtime orders sys.path: the function's code, its layers, then the runtime's
# own packages (the SDK); a layer's newer package wins over the runtime's.
BOOTSTRAP = """#!/bin/sh
export PYTHONPATH="${LAMBDA_TASK_ROOT:-/var/task}:/opt/python/lib/python3.13/site-packages:/opt/python:/var/runtime"
exec python3 -m awslambdaric "$_HANDLER"
"""

# One line in the function's log at init: which Python the function runs on.
SITECUSTOMIZE = """import platform, sys
print(f"python {platform.python_version()} ({sys.executable})", file=sys.stderr, flush=True)
"""

ENVIRONMENT = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
    "TZ": ":/etc/localtime",
    "LAMBDA_TASK_ROOT": "/var/task",
    "LAMBDA_RUNTIME_DIR": "/var/runtime",
}


def recipe_digest() -> str:
    recipe = "\n".join([SUITE, RUNTIME_LOCK.read_text(), *PLATFORMS, BOOTSTRAP, SITECUSTOMIZE, repr(sorted(ENVIRONMENT.items()))])
    return hashlib.sha256(recipe.encode()).hexdigest()[:16]


def built_recipe() -> str | None:
    """The recipe digest of the image under IMAGE, or None when there is none."""
    result = subprocess.run(
        ["docker", "image", "inspect", "--format", f'{{{{ index .Config.Labels "{RECIPE_LABEL}" }}}}', IMAGE],
        capture_output=True, text=True,
    )
    return result.stdout.strip() if result.returncode == 0 else None


def ensure_image(log=print) -> bool:
    """Build IMAGE unless one from this recipe exists; True when it was built now."""
    digest = recipe_digest()
    if built_recipe() == digest:
        log(f"base image {IMAGE}: cached (recipe {digest})")
        return False
    with tempfile.TemporaryDirectory(prefix="lambda-image-") as scratch:
        build_image(Path(scratch), digest, log)
    return True


def _run(command: list[str], **kwargs) -> None:
    subprocess.run(command, check=True, **kwargs)


def build_image(scratch: Path, digest: str, log=print) -> None:
    rootfs, wheels = scratch / "rootfs", scratch / "wheels"
    log(f"base image {IMAGE}: debootstrap {SUITE} (a few minutes, once)")
    # debootstrap's default mirror and the machine's keyring; minbase keeps it small.
    _run(["debootstrap", "--variant=minbase", "--include=python3", SUITE, str(rootfs)], stdout=subprocess.DEVNULL)
    pip_target = [
        "--only-binary=:all:", "--implementation", "cp", "--python-version", PYTHON_VERSION,
        *[arg for platform in PLATFORMS for arg in ("--platform", platform)],
    ]
    log(f"base image {IMAGE}: {RUNTIME_LOCK.name} into /var/runtime")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    locked = ["--no-deps", "--require-hashes", "-r", str(RUNTIME_LOCK)]  # every file checked against the lock
    _run([*pip, "download", "--dest", str(wheels), *pip_target, *locked])
    runtime = rootfs / "var" / "runtime"
    _run([*pip, "install", "--no-index", "--find-links", str(wheels), "--no-compile", "--target", str(runtime),
          *pip_target, *locked])
    (runtime / "bootstrap").write_text(BOOTSTRAP)
    (runtime / "bootstrap").chmod(0o755)
    (runtime / "sitecustomize.py").write_text(SITECUSTOMIZE)
    # Byte-compiled by the image's own python3, as the runtime's packages are on Lambda.
    _run(["chroot", str(rootfs), "python3", "-m", "compileall", "-q", "/var/runtime"], stdout=subprocess.DEVNULL)
    for folder in ("var/task", "opt"):
        (rootfs / folder).mkdir(parents=True, exist_ok=True)
    for leftover in ("var/cache/apt/archives", "var/lib/apt/lists"):
        shutil.rmtree(rootfs / leftover, ignore_errors=True)
    changes = [f"ENV {key}={value}" for key, value in ENVIRONMENT.items()]
    changes += ["WORKDIR /var/task", f"LABEL {RECIPE_LABEL}={digest}"]
    log(f"base image {IMAGE}: docker import")
    tar = subprocess.Popen(["tar", "-C", str(rootfs), "--numeric-owner", "-c", "."], stdout=subprocess.PIPE)
    try:
        _run(["docker", "import", *[arg for change in changes for arg in ("--change", change)], "-", IMAGE],
             stdin=tar.stdout, stdout=subprocess.DEVNULL)
    finally:
        tar.stdout.close()
        if tar.wait() != 0:
            raise subprocess.CalledProcessError(tar.returncode, "tar")
