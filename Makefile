# dlfs — two commands on a fresh machine:  make demo   and   make test
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
# MNIST: the shared copy beside the repo when there is one (CI, the team's machines);
# otherwise grader.data looks in ~/.cache/dlfs and downloads with an md5 check.
SHARED_MNIST := $(abspath ../shared/data/mnist)
ifneq ($(wildcard $(SHARED_MNIST)/train-images-idx3-ubyte.gz),)
export DLFS_DATA ?= $(SHARED_MNIST)
endif
SHARED_WEIGHTS := $(abspath ../shared/data/book/sample_weight.npz)
ifneq ($(wildcard $(SHARED_WEIGHTS)),)
export DLFS_BOOK_WEIGHTS ?= $(SHARED_WEIGHTS)
endif
PYTEST_ARGS ?=
# one BLAS thread per process (see grader/cli.py); pytest -n 2 runs two processes
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

.PHONY: demo test install scaffold clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]' 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -m grader.i18n_commands compile > /dev/null
	$(PY) -c "import grader, numpy, nbgrader, matplotlib, xdist"
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(VENV)/bin/dlfs demo --out demo-out

test: $(VENV)/.installed
	$(PY) -m pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

scaffold: $(VENV)/.installed
	$(VENV)/bin/dlfs scaffold

clean:
	rm -rf $(VENV) demo-out build *.egg-info
