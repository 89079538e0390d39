# The two commands a newcomer needs: `make run` and `make test`.
# Everything they need (the virtual environment, the packages) is set up here.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench bench-scale dist clean catalogue fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/achatsdesk

# Lint and architecture contracts first, so that pytest's summary is the last line printed.
test: $(STAMP)
	$(BIN)/ruff check achatsdesk tests bench scripts
	$(BIN)/lint-imports --no-cache
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# Longer fuzzing of the file readers than CI's 300 examples each (tests/limits/test_fuzz.py).
FUZZ_EXAMPLES ?= 5000
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/limits/test_fuzz.py

lint: $(STAMP)
	$(BIN)/ruff check achatsdesk tests bench scripts
	$(BIN)/lint-imports --no-cache

# The quick set (a few minutes): start-up, documents, search at 300 000 suppliers, dossiers, editor.
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/startup.py
	@for b in bench/documents.py bench/search.py bench/programme.py bench/dossiers.py bench/editor.py; do \
		QT_QPA_PLATFORM=offscreen $(BIN)/python $$b || exit 1; \
	done
	$(BIN)/python bench/team.py --quick

# The scale set (tens of minutes on 2 cores): search at 1 000 000 suppliers, imports of 300 000 and
# 1 000 000 rows against `sqlite3 .import`, then start-up with that catalogue and 2 000 dossiers in place.
SCALE_HOME ?= $(CURDIR)/build/bench-scale-home
bench-scale: $(STAMP)
	mkdir -p $(SCALE_HOME)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/search.py --rows 1000000 --home $(SCALE_HOME)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/dossiers.py --home $(SCALE_HOME)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/startup.py --home $(SCALE_HOME)
	$(BIN)/python bench/import.py --rows 300000 1000000

# Rebuilds the embedded reference data from ../shared/data (rerunnable by anyone).
catalogue: $(STAMP)
	$(BIN)/python scripts/build_reference_data.py
	$(BIN)/python scripts/build_catalogue.py

dist: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dist]'
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller installer/achatsdesk.spec
	@home=$$(mktemp -d); \
	QT_QPA_PLATFORM=offscreen ACHATSDESK_HOME=$$home dist/achatsdesk/achatsdesk --self-check && \
	QT_QPA_PLATFORM=offscreen ACHATSDESK_HOME=$$home dist/achatsdesk/achatsdesk --self-check | grep "démarrage rapide" && \
	QT_QPA_PLATFORM=offscreen ACHATSDESK_HOME=$$home dist/achatsdesk/achatsdesk --self-check --until-ready && \
	QT_QPA_PLATFORM=offscreen ACHATSDESK_HOME=$$home dist/achatsdesk/achatsdesk-cli doctor && \
	$(BIN)/python -c "import random, sys; from pathlib import Path; sys.path.insert(0, '.'); from bench.search import generate; \
		generate(Path(sys.argv[1]), 40000, random.Random(15))" $$home/gros_SYNTHETIC.csv && \
	ACHATSDESK_HOME=$$home dist/achatsdesk/achatsdesk-cli suppliers import $$home/gros_SYNTHETIC.csv --format csv --json \
		| grep '"added": 40000' && \
	ACHATSDESK_HOME=$$home dist/achatsdesk/achatsdesk-cli export annex examples/nettoyage-colleges.json -o $$home/annexe.docx && \
	ACHATSDESK_HOME=$$home dist/achatsdesk/achatsdesk-cli export review examples/nettoyage-colleges.json -o $$home/rapport.pdf && \
	ACHATSDESK_HOME=$$home dist/achatsdesk/achatsdesk-cli --database postgresql://127.0.0.1:9/achats dossier list 2>&1 \
		| grep "ne répond pas"  # team mode: psycopg and its libpq are in the bundle (a French refusal, no traceback)

clean:
	rm -rf $(VENV) build dist .pytest_cache
