"""Every lock is hash-checked, compiled from the .in beside it by `make lock`, and installed
with --require-hashes: the project's venvs by the Makefile, the Lambda artefacts by the
makefiles `sam build` runs.

The installs are read from make's own dry run (`make -n -B`), so what is checked is each
command as make would run it, variables expanded.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from article_pipeline_local.emulation.template import ROOT
from article_pipeline_local.toolchain import artefacts

LOCKS = sorted(
    path.relative_to(ROOT).as_posix()
    for pattern in ("requirements/*.txt", "functions/*/*.txt", "layers/*/*.txt")
    for path in ROOT.glob(pattern)
)
LAMBDA_LOCKS = {"functions/clean/requirements.txt", "functions/extract/requirements.txt",
                "layers/shared/requirements.txt", "layers/spacy/requirements.txt",
                "layers/spacy/model.txt", "functions/extract/names.txt",
                "requirements/lambda-runtime.txt"}  # the local stand-in of the runtime's own packages
ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


def entries(lock: str) -> dict[str, list[str]]:
    """Each pinned package of a lock -> its hashes."""
    found: dict[str, list[str]] = {}
    current = None
    for line in (ROOT / lock).read_text().splitlines():
        if match := ENTRY.match(line):
            current = f"{canonicalize_name(match['name'])}=={match['version']}"
            found[current] = []
        elif current and (hash_ := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            found[current].append(hash_.group(1))
        elif line and not line[0].isspace():
            current = None
    return found


def requirements_in(path: Path) -> list[Requirement]:
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return [Requirement(line) for line in lines if line]


def dry_run(*args: str) -> list[str]:
    """The commands make would run (every target rebuilt), one shell line each."""
    # Under `make test`, the outer make's flags would reach this one.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTHON")}
    result = subprocess.run(["make", "--no-print-directory", "-n", "-B", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    return result.stdout.replace("\\\n", " ").splitlines()


def pip_installs(commands: list[str]) -> list[str]:
    return [part for command in commands for part in re.split(r"&&|;", command) if "pip install" in part]


def test_the_locks_are_found():
    assert {"requirements/pip.txt", "requirements/dev.txt", "requirements/scan.txt", "requirements/sam.txt"} <= set(LOCKS)
    assert LAMBDA_LOCKS <= set(LOCKS)


@pytest.mark.parametrize("lock", LOCKS)
def test_every_lock_pins_every_package_with_its_hashes_and_comes_from_its_in(lock):
    pins = entries(lock)
    assert pins, lock
    assert [name for name, hashes in pins.items() if not hashes] == []
    assert (ROOT / lock).with_suffix(".in").is_file(), f"{lock} has no .in beside it"
    assert "#    make lock" in (ROOT / lock).read_text().splitlines()[1]


@pytest.mark.parametrize("lock", LOCKS)
def test_every_lock_holds_what_its_in_asks_and_nothing_it_excludes(lock):
    """Up to date with its .in: each package the .in pins, at that version; none that the
    .exclude beside it names (what the Lambda runtime or another layer provides)."""
    pinned = {name.split("==")[0]: name.split("==")[1] for name in entries(lock)}
    for requirement in requirements_in((ROOT / lock).with_suffix(".in")):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{lock}: {name} is in its .in but not locked: make lock"
        assert requirement.specifier.contains(pinned[name], prereleases=True), f"{lock}: {name} {pinned[name]}: make lock"
    exclude = (ROOT / lock).with_suffix(".exclude")
    if exclude.exists():
        assert {canonicalize_name(r.name) for r in requirements_in(exclude)} & set(pinned) == set()


def test_make_lock_compiles_each_lock_for_where_it_is_installed():
    commands = [c for c in dry_run("lock", "STAMP=") if "uv pip compile" in c]
    compiled = {re.search(r"-o (\S+)", c).group(1): c for c in commands}
    assert sorted(compiled) == LOCKS
    for lock, command in compiled.items():
        assert "--generate-hashes" in command and f" {lock[:-4]}.in " in command
        if lock in LAMBDA_LOCKS:
            assert "--python-version 3.13 --python-platform x86_64-manylinux_2_28" in command, lock
        else:
            assert "--universal --python-version 3.11" in command, lock
        exclude = ROOT / lock.replace(".txt", ".exclude")
        assert (f"--excludes {exclude.relative_to(ROOT)}" in command) == exclude.exists()


def test_the_venvs_install_pip_first_and_everything_by_hash():
    installs = pip_installs(dry_run(".venv/.installed", ".venv-sam/.installed", ".venv-scan/.installed"))
    assert len(installs) >= 8
    for venv in (".venv/", ".venv-sam/", ".venv-scan/"):
        mine = [i for i in installs if i.strip().startswith(venv)]
        assert "-r requirements/pip.txt" in mine[0], venv
    for install in installs:
        # the project itself is the one install from no index: editable, from this checkout
        if install.rstrip().endswith("-e ."):
            assert "--no-deps" in install and "--no-build-isolation" in install
        else:
            assert "--require-hashes" in install, install


@pytest.mark.parametrize("build_python", ["this", "bare"])
@pytest.mark.parametrize("name", sorted(artefacts.artefact_sources()))
def test_every_artefact_is_built_from_hash_checked_locks(name, build_python, tmp_path):
    """As `make layers` runs the makefiles (this Python) and as a plain `sam build` may (a
    python3 without a new pip: the build venv and the gazetteer's spaCy get installed too)."""
    source = artefacts.artefact_sources()[name]
    python = sys.executable if build_python == "this" else "false"
    commands = dry_run("-f", str(source / "Makefile"), f"build-{name}", f"ARTIFACTS_DIR={tmp_path}",
                       f"PYTHON={python}", f"BUILD_VENV={tmp_path / 'venv'}")
    installs = pip_installs(commands)
    for install in installs:
        assert "--require-hashes" in install, install
        assert re.search(r"-r \S*\.txt|-r \"\S*\.txt\"|-r \"\$lock\"", install), install
    if build_python == "this":  # the project's venv builds as it is
        assert not any("requirements/pip.txt" in i for i in installs), name
    elif installs:
        assert any("requirements/pip.txt" in i for i in installs), name
