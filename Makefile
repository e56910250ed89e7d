# Anju — one command to run it, one to test it (GNU make).
#   make run    install what is missing, migrate, load the demo district once, collect static files, serve on
#               http://127.0.0.1:8000 as production would (DEBUG off: no /media/, no debug pages)
#   make test   install what is missing, run the whole pytest suite (options in pyproject.toml)
# Everything installs into the repository: .venv/ (Python) and node_modules/ (front-end assets).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV       := .venv
PY         := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed
NPM_STAMP  := node_modules/.installed
DEMO_STAMP := var/.demo-loaded
STATIC_STAMP := var/static/.collected
ADDRESS    := 127.0.0.1:8000
# Extra pytest options, e.g. `make test PYTEST_ARGS="-n 2 -m 'not browser'"`.
PYTEST_ARGS ?=
# Set by .ci/run: a suite that collects no test at all (pytest's exit code 5) is not a failure.
ALLOW_NO_TESTS ?=

# Python 3.11: python3.11, or python3 when that is 3.11.
PYTHON311 := $(shell command -v python3.11 2>/dev/null || { python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null && command -v python3; })

.PHONY: help venv fonts assets chromium run test lint lock clean

help:
	@echo "make run      install, migrate, load the demo district (first time only), serve on http://$(ADDRESS) (DEBUG off)"
	@echo "make test     install, then run the test suite (pytest; browser tests use Debian's chromium)"
	@echo "make lint     ruff check, then lint-imports (apps import only downward: pyproject.toml)"
	@echo "make venv     create .venv and install requirements.lock (again only when the lock changes)"
	@echo "make assets   npm ci (again only when package-lock.json changes)"
	@echo "make chromium install Debian's chromium and CJK fonts when missing (root with apt-get only)"
	@echo "make fonts    install Debian's CJK fonts for the bulletins' charts when missing (make venv runs it)"
	@echo "make lock     regenerate requirements.lock from requirements.in (UPGRADE=1 to take newer versions)"
	@echo "make clean    remove .venv, node_modules, caches and collected static files (keeps var/ data)"

# --- Python ---------------------------------------------------------------------------------------
venv: $(VENV_STAMP)

$(PY):
	@if [ -z "$(PYTHON311)" ]; then echo "Anju needs Python 3.11 (python3.11, or python3 at version 3.11)." >&2; exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON311)"
	@$(PYTHON311) -m venv $(VENV) || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "venv failed: installing Debian's python3-venv"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv && \
	    $(PYTHON311) -m venv $(VENV); \
	  else exit 1; fi; }

# Reinstall only when requirements.lock is newer than the stamp (order-only on the interpreter).
$(VENV_STAMP): requirements.lock | $(PY)
	$(PY) -m pip install -r requirements.lock
	@$(MAKE) --no-print-directory fonts
	@touch $@

# Chinese fonts for the bulletins' charts (matplotlib draws them into the Word file) and LibreOffice/browser
# rendering: Debian's fonts-noto-cjk. Never fails: without root or apt-get it only prints a note (the bulletin
# then says its charts could not be drawn).
fonts:
	@if command -v dpkg >/dev/null 2>&1 && ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing fonts-noto-cjk from Debian for the bulletins' charts"; \
	    { DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-cjk; } \
	      || echo "note: could not install fonts-noto-cjk; bulletins will have no charts."; \
	  else echo "note: fonts-noto-cjk is not installed; install it for the bulletins' charts."; fi; \
	fi

# --- Front-end assets (served from node_modules by Django; no build step) ----------------------------
assets: $(NPM_STAMP)

$(NPM_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

# --- Browser for the Playwright tests ------------------------------------------------------------------
# Debian's chromium (no browser download) and Noto CJK fonts so Chinese renders in screenshots; GNU gettext
# for the test that every marked string is translated. Never fails: without root or apt-get it only prints a note.
chromium:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing=" chromium"; \
	command -v msgmerge >/dev/null 2>&1 || missing="$$missing gettext"; \
	if command -v dpkg >/dev/null 2>&1 && ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then missing="$$missing fonts-noto-cjk"; fi; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing$$missing from Debian for the browser tests"; \
	  { DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; } \
	    || echo "note: could not install$$missing; browser tests may be skipped or fail."; \
	else \
	  echo "note:$$missing not installed and apt-get is not available as root;"; \
	  echo "      install Debian's chromium, fonts-noto-cjk and gettext for the browser and translation tests."; \
	fi

# --- Run -----------------------------------------------------------------------------------------------
# The demo district is loaded once per database: var/.demo-loaded for the default SQLite file,
# var/.demo-loaded-<hash of DATABASE_URL> for another database.
DEMO_STAMP_SH = stamp=$(DEMO_STAMP); if [ -n "$$DATABASE_URL" ]; then \
  stamp="$$stamp-$$(printf %s "$$DATABASE_URL" | sha1sum | cut -c1-12)"; fi

# Static files for DEBUG off (WhiteNoise serves var/static): collected again only when a source changed.
$(STATIC_STAMP): $(VENV_STAMP) $(NPM_STAMP) $(shell find static -type f 2>/dev/null)
	DEBUG=0 $(PY) manage.py collectstatic --noinput -v 0
	@touch $@

run: venv assets $(STATIC_STAMP)
	@mkdir -p var
	@# A stamp left from a deleted SQLite database would skip the demo load; forget it.
	@$(DEMO_STAMP_SH); if [ -z "$$DATABASE_URL" ] && [ ! -f var/anju.sqlite3 ]; then rm -f "$$stamp"; fi
	DEBUG=0 $(PY) manage.py migrate --noinput
	@$(DEMO_STAMP_SH); \
	if [ ! -f "$$stamp" ]; then \
	  echo "$(PY) manage.py seed_demo"; \
	  DEBUG=0 $(PY) manage.py seed_demo && touch "$$stamp"; \
	else echo "Demo district already loaded ($$stamp); seed_demo skipped."; fi
	@echo
	@echo "Anju 安居: http://$(ADDRESS)"
	@echo
	@$(PY) manage.py demo_logins
	@echo
	@# Served as production would: DEBUG off (no debug page for an error, 500.html instead; stored files only
	@# through the scoped download views), static files collected ($(STATIC_STAMP)) and served by WhiteNoise.
	DEBUG=0 $(PY) manage.py runserver $(ADDRESS)

# --- Test and lint -------------------------------------------------------------------------------------
test: venv assets chromium
	@rc=0; $(PY) -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ] && [ -n "$(ALLOW_NO_TESTS)" ]; then echo "make test: pytest collected no tests (allowed here)."; exit 0; fi; \
	exit $$rc

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

# --- Lock ------------------------------------------------------------------------------------------------
# pip-compile in a throwaway venv; existing pins are kept unless UPGRADE=1.
LOCK_VENV := var/lock-venv
lock:
	@if [ -z "$(PYTHON311)" ]; then echo "Anju needs Python 3.11 to lock its requirements." >&2; exit 1; fi
	rm -rf $(LOCK_VENV)
	$(PYTHON311) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install -q pip-tools
	$(LOCK_VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
	  $(if $(UPGRADE),--upgrade) --output-file requirements.lock requirements.in
	rm -rf $(LOCK_VENV)

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache test-results var/static var/lock-venv
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
