# Insigne — the two commands: `make run` (demo on SQLite) and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast faults lint bench install migrate messages clean corpus

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.lock
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py demo

# In parallel, one process per core (pytest-xdist; each worker gets its own test
# database). PYTEST_ARGS adds options; PYTEST_ARGS="-n 0" runs in one process.
test: $(STAMP)
	$(PY) -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

# Real workers, a real relay and a throwaway PostgreSQL cluster under faults (a few minutes).
faults: $(STAMP)
	timeout 600 $(PY) -m pytest -m faults tests/faults -s $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy insigne
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) -m bench

# Extract the French source strings of the package into the English catalogue,
# give French the plural forms of its own messages, then compile both (translate the
# new entries of en/django.po in between).
messages: $(STAMP)
	cd insigne && ../$(PY) ../manage.py makemessages -l en
	$(PY) -m tests.i18n.french_plurals
	cd insigne && ../$(PY) ../manage.py compilemessages

# The verifier's foreign corpus, made by third-party libraries (Node, npm ci from the
# lockfile): regenerates tests/verifier/corpus/*.json and the vendored JSON-LD contexts
# those libraries define. The output is committed: `make test` needs no Node.
CORPUS_GEN := tests/verifier/corpus/generator
corpus:
	cd $(CORPUS_GEN) && npm ci --no-audit --no-fund && node vendor-contexts.mjs && node generate.mjs

clean:
	rm -rf $(VENV) data/test.sqlite3*
