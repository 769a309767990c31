# Two commands on a fresh Debian machine with Python 3.11:
#   make run    set up and run the app (http://localhost:8501)
#   make test   set up and run every test, the real-browser journey included
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: run test check setup setup-dev chromium nginx bench load scale-test clean

run: setup
	@echo "Open http://localhost:8501 (Ctrl+C to stop)"
	$(PY) -m streamlit run serve.py

test: setup-dev chromium nginx
	$(PY) -m pytest

check: setup
	$(PY) -m plan check

bench: setup
	$(PY) -m benchmarks.plan_speed

# Not part of `make test`: they take minutes and print figures (see README, "Many families at once").
load: setup-dev chromium
	$(PY) -m benchmarks.load --app-pdfs 1000 --browsers 2

scale-test: setup-dev chromium nginx
	$(PY) -m deploy.scale_test

setup: $(VENV)/.app-installed
setup-dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }

$(VENV)/.app-installed: $(VENV)/bin/python requirements.txt constraints.txt
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.app-installed requirements-dev.txt
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@

# Debian's Chromium, driven by Playwright in tests/test_browser.py.
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }

# Debian's nginx, for deploy/scale_test.py (tests/test_scale_out.py and make scale-test): it runs
# its own copy on loopback ports, never the system service.
nginx:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update && $(SUDO) apt-get install -y nginx; }

clean:
	rm -rf $(VENV) .pytest_cache
