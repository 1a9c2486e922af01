# Included by every function's and layer's Makefile (SAM's makefile build method runs
# `make build-<LogicalId>` with ARTIFACTS_DIR set). Installs the pinned wheels for the
# Lambda platform with this machine's pip: no Docker and no local Python 3.13 needed.
# `make layers PYTHON_VERSION=3.11` at the top builds the same artefacts for this machine.
PYTHON ?= python3
PYTHON_VERSION ?= 3.13
LAMBDA_PLATFORMS ?= manylinux2014_x86_64 manylinux_2_28_x86_64

# --no-deps: each requirements file is a complete lock, so nothing the runtime already has
# (boto3, botocore) or another layer carries is installed twice.
PIP_INSTALL = $(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps \
	--no-compile --implementation cp --python-version $(PYTHON_VERSION) --only-binary=:all: \
	$(addprefix --platform ,$(LAMBDA_PLATFORMS))

# Drop what the runtime never reads; strip debug symbols from shared libraries.
define prune
	find "$(1)" -depth -type d \( -name __pycache__ -o -name tests -o -name test \) -exec rm -rf {} +
	find "$(1)" -type f \( -name '*.pyi' -o -name '*.pxd' -o -name '*.pyx' -o -name '*.c' -o -name '*.cpp' -o -name '*.h' \) -delete
	find "$(1)" -name '*.so' -exec strip --strip-debug {} + 2>/dev/null || true
endef
