# Included by every function's and layer's Makefile (SAM's makefile build method runs
# `make build-<LogicalId>` with ARTIFACTS_DIR set). Installs the locked wheels for the
# Lambda platform with this machine's pip, each checked against its lock's sha256 hashes
# (--require-hashes): no Docker and no local Python 3.13 needed.
# `make layers PYTHON_VERSION=3.11` at the top builds the same artefacts for this machine.
PYTHON ?= python3
PYTHON_VERSION ?= 3.13
LAMBDA_PLATFORMS ?= manylinux2014_x86_64 manylinux_2_28_x86_64
REPO_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)

# pip before 24 ignores --python-version when it checks a wheel's Requires-Python (numpy 2.5
# "requires a different Python: 3.11 not in >=3.12"), and python3 on today's distributions
# still has such a pip. A PYTHON whose pip is new enough and that has setuptools (to build
# the one sdist without fetching unhashed build tools), such as the project's .venv (`make
# build`), serves as it is; any other, such as the python3 a plain `sam build` finds, gets
# a build venv made from it once, with the locked pip and setuptools (requirements/pip.txt,
# by hash), in BUILD_VENV (git ignores .venv-*).
BUILD_VENV ?= $(REPO_ROOT)/.venv-build
BUILD_PIP := --require-hashes -r "$(REPO_ROOT)/requirements/pip.txt"
ifeq ($(shell $(PYTHON) -c 'import importlib.util as u, pip, sys; sys.exit(int(pip.__version__.split(".")[0]) < 24 or not u.find_spec("setuptools"))' 2>/dev/null && echo ok),ok)
BUILD_PYTHON := $(PYTHON)
BUILD_TOOLS :=
else
BUILD_PYTHON := $(BUILD_VENV)/bin/python
BUILD_TOOLS := $(BUILD_VENV)/.pip-installed
endif

# One build at a time makes it: `make layers` and `sam build --parallel` run several builds
# at once (flock where there is one; macOS has none).
LOCKED := $(if $(shell command -v flock),flock "$(BUILD_VENV)/.lock")
$(BUILD_VENV)/.pip-installed:
	mkdir -p "$(BUILD_VENV)"
	$(LOCKED) sh -c 'test -f "$@" || { \
		$(PYTHON) -m venv "$(BUILD_VENV)" && \
		"$(BUILD_VENV)/bin/python" -m pip install --quiet --disable-pip-version-check $(BUILD_PIP) && touch "$@"; }'

# --no-deps: each requirements file is a complete lock, so nothing the runtime already has
# (boto3, botocore) or another layer carries is installed twice.
PIP_INSTALL = $(BUILD_PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps \
	--require-hashes --no-compile --implementation cp --python-version $(PYTHON_VERSION) --only-binary=:all: \
	$(addprefix --platform ,$(LAMBDA_PLATFORMS))

# Built for this machine's Python instead (`make layers PYTHON_VERSION=3.11`), a lock can pin
# a wheel that does not exist for it (numpy 2.5 needs Python >= 3.12): the packages named in
# LOCAL_PINS that the lock has then take the version, and the hashes, that the project's
# own lock pins (requirements/dev.txt); everything else is as locked. A lock's entry is its
# `name==` line and the indented hash and comment lines under it.
LAMBDA_PYTHON_VERSION := 3.13
LOCAL_PINS ?= numpy
DEV_LOCK := $(REPO_ROOT)/requirements/dev.txt
ifeq ($(PYTHON_VERSION),$(LAMBDA_PYTHON_VERSION))
LOCK_FILTER = cat "$(1)"
else
empty :=
space := $(empty) $(empty)
LOCK_FILTER = awk -v pins='^($(subst $(space),|,$(strip $(LOCAL_PINS))))$$' \
	'FNR == 1 { file++; keep = 0 } \
	/^[^ \t\#]/ { name = tolower($$0); sub(/[=;[ ].*/, "", name); \
		if (file == 1) { local = name ~ pins; if (local) swapped[name] = 1; keep = !local } else keep = name in swapped } \
	keep' "$(1)" "$(DEV_LOCK)"
endif

# $(call install_lock,TARGET,LOCK): the lock's wheels into TARGET.
define install_lock
	lock=$$(mktemp); $(call LOCK_FILTER,$(2)) > "$$lock"; \
	$(PIP_INSTALL) --target "$(1)" -r "$$lock"; status=$$?; rm -f "$$lock"; exit $$status
endef

# Drop what the runtime never reads: tests, caches, type stubs, Cython and C sources,
# headers and static libraries, numpy's f2py and SIMD self-test module; strip extension
# modules down to the symbols they export (`--strip-unneeded`). The libraries auditwheel
# vendors into <package>.libs/ are left alone: patchelf rewrote their program headers, and
# strip would leave them unloadable ("ELF load command address/offset not page-aligned").
define prune
	find "$(1)" -depth -type d \( -name __pycache__ -o -name tests -o -name test \) -exec rm -rf {} +
	find "$(1)" -type f \( -name '*.pyi' -o -name '*.pxd' -o -name '*.pyx' -o -name '*.c' -o -name '*.cpp' -o -name '*.h' -o -name '*.hpp' -o -name '*.a' -o -name '*.pyc' \) -delete
	rm -rf "$(1)/numpy/f2py" "$(1)/numpy/_pyinstaller" "$(1)/numpy/_core/include" "$(1)/numpy/random/lib" "$(1)/bin"
	rm -f "$(1)"/numpy/_core/_simd.*.so
	find "$(1)" -name '*.so*' -type f ! -path '*.libs/*' -exec strip --strip-unneeded {} + 2>/dev/null || true
	$(if $(filter 1,$(LAMBDA_BYTECODE)),$(call bytecode,$(1)))
endef

# LAMBDA_BYTECODE=1 ships bytecode for the runtime's Python: Lambda's /var/task and /opt are
# read-only, so without it every cold start compiles what it imports. Measured under
# `make sam-local` (docs/deploying.md): ExtractFunction's init 4.9 s -> 2.4 s, but +27 MB unzipped, past
# the size targets, hence off by default. unchecked-hash: the .pyc is used whatever file
# times the zip keeps. Needs python$(PYTHON_VERSION) on PATH, or pyenv's.
BYTECODE_PYTHON ?= $(shell { python$(PYTHON_VERSION) -c '' && echo python$(PYTHON_VERSION); } 2>/dev/null || \
	{ v=$$(pyenv versions --bare 2>/dev/null | grep -E '^$(subst .,\.,$(PYTHON_VERSION))(\.|$$)' | tail -n1); \
	  test -n "$$v" && echo "env PYENV_VERSION=$$v python$(PYTHON_VERSION)"; })
define bytecode
	$(if $(BYTECODE_PYTHON),,$(error LAMBDA_BYTECODE=1 needs python$(PYTHON_VERSION)))
	$(BYTECODE_PYTHON) -m compileall -q -j 0 --invalidation-mode unchecked-hash "$(1)" > /dev/null
endef
