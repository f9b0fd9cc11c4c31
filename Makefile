# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= demo

.PHONY: demo test lint docs messages bench bench-scale clean system-deps

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "coeval needs Python 3.11 or newer; set PYTHON=python3.12 (for example)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/coeval demo $(DEMO_DIR)
	$(BIN)/coeval --workbook $(DEMO_DIR) import survey $(DEMO_DIR)/examples/surveys/msforms-export.xlsx --mapping $(DEMO_DIR)/examples/surveys/msforms-mapping.yaml
	$(BIN)/coeval --workbook $(DEMO_DIR) run --period 2026Q3
	$(BIN)/coeval --workbook $(DEMO_DIR) feedback --project discharge-workshops --period 2026Q3 --out $(DEMO_DIR)/feedback
	$(BIN)/coeval --workbook $(DEMO_DIR) consultation respond --id carers-strategy-2026 --project carers-network --out $(DEMO_DIR)/responses
	@echo
	@echo "The demo's dashboards for 2026Q3 are in $(DEMO_DIR)/dashboards/2026Q3/:"
	@echo "  open $(DEMO_DIR)/dashboards/2026Q3/index.html in a browser (works offline), or"
	@echo "  serve them with Voila:  $(BIN)/coeval --workbook $(DEMO_DIR) serve"
	@echo "The residential home's review (oakfield-mir.html) has the section \"Evidence for the CQC"
	@echo "quality statements\"; export it for an inspection folder with:"
	@echo "  $(BIN)/coeval --workbook $(DEMO_DIR) export cqc --project oakfield-mir --period 2026Q3 --out cqc.xlsx"
	@echo "Feedback to the group is in $(DEMO_DIR)/feedback/ (\"We told you...\" says how each"
	@echo "outcome was told back), and a draft joint consultation response (Markdown and Word)"
	@echo "in $(DEMO_DIR)/responses/."
	@echo
	@echo "Start a demo meeting (it prints the facilitator link, the join link, an Easy Read join"
	@echo "link and the code):"
	@echo "  $(BIN)/coeval --workbook $(DEMO_DIR) meeting --project oakfield-mir --period 2026Q4"

# System packages the tests use (a throwaway PostgreSQL server); installs only what is missing.
system-deps:
	./scripts/system-deps

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check coeval tests benchmarks
	$(BIN)/ruff format --check coeval tests benchmarks
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/python -m coeval.cli.doc > docs/cli.md

# The message catalogue's template, from the code; then each language's file gains the new
# messages (to translate) and loses the ones the code no longer has (see docs/languages.md).
messages: $(STAMP)
	$(BIN)/python -m coeval.i18n

bench: $(STAMP)
	$(BIN)/python benchmarks/scoring.py
	$(BIN)/python benchmarks/reviews.py
	$(BIN)/python benchmarks/meeting.py
	$(BIN)/python benchmarks/safety.py

# `coeval run` over 1,000 synthetic projects on a throwaway PostgreSQL server (a long run).
bench-scale: $(STAMP) system-deps
	$(BIN)/python benchmarks/scale.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache .hypothesis
