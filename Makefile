# cme-batch: the contributor's entry point. `make demo` and `make test` set everything up on a
# fresh Debian machine (as root: system packages come from apt-get), then run.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out
AS_OF ?= 2026-11-27
APT_GET := $(if $(filter 0,$(shell id -u)),apt-get,sudo apt-get)
APT_UPDATED := /tmp/.cme-batch-apt-updated

.PHONY: help setup system-deps browser-deps demo test test-fast lint format bench bench-blind bench-speed samples eval-set clean

help:
	@echo "make demo        set up, then run the sample inbox into $(OUT)/"
	@echo "make test        set up, then run every test (real tesseract, real browser)"
	@echo "make test-fast   the fast tier: OCR replayed from recordings, no tesseract needed"
	@echo "make lint        ruff and mypy"
	@echo "make bench       extraction accuracy on the evaluation sets and the held-out blind set"
	@echo "make bench-blind extraction accuracy on the held-out blind set only"
	@echo "make bench-speed throughput, rerun and memory benchmarks"
	@echo "make samples     regenerate sample_inbox/ from its generator"

# Python with venv, tesseract 5 with English and orientation data, and what tesserocr builds
# against, from Debian's packages.
system-deps:
	@command -v $(PYTHON) >/dev/null 2>&1 && $(PYTHON) -c "import venv, ensurepip" >/dev/null 2>&1 || { \
		echo "installing python3 and python3-venv with apt-get"; \
		$(APT_GET) update -q && touch $(APT_UPDATED); \
		$(APT_GET) install -y -q python3 python3-venv python3-pip; }
	@command -v tesseract >/dev/null 2>&1 || { \
		echo "installing tesseract-ocr with apt-get"; \
		test -f $(APT_UPDATED) || { $(APT_GET) update -q && touch $(APT_UPDATED); }; \
		$(APT_GET) install -y -q tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd; }
	@# tesserocr is built against Debian's own libtesseract, so that in-process reading is the
	@# program's tesseract word for word (docs/extraction.md#the-ocr-engine).
	@{ dpkg -s libtesseract-dev libleptonica-dev >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 \
		&& command -v pkg-config >/dev/null 2>&1; } || { \
		echo "installing libtesseract-dev, libleptonica-dev, g++ and pkg-config with apt-get"; \
		test -f $(APT_UPDATED) || { $(APT_GET) update -q && touch $(APT_UPDATED); }; \
		$(APT_GET) install -y -q libtesseract-dev libleptonica-dev g++ pkg-config; }

# Debian's Chromium for the report's browser test (Playwright drives it; it downloads nothing).
browser-deps:
	@test -x /usr/bin/chromium || { \
		echo "installing chromium with apt-get"; \
		test -f $(APT_UPDATED) || { $(APT_GET) update -q && touch $(APT_UPDATED); }; \
		$(APT_GET) install -y -q chromium; }

$(STAMP): pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --no-binary tesserocr -e '.[dev]'
	@touch $(STAMP)

setup: system-deps $(STAMP)

demo: setup
	$(BIN)/cme-batch run --inbox sample_inbox --roster sample_inbox/roster.csv \
		--ledger sample_inbox/ledger.csv --out $(OUT) --as-of $(AS_OF); \
		code=$$?; [ $$code -eq 0 ] || [ $$code -eq 5 ] || exit $$code
	$(BIN)/cme-batch packet P104 --inbox sample_inbox --roster sample_inbox/roster.csv \
		--ledger sample_inbox/ledger.csv --state $(OUT)/state.sqlite --out $(OUT)/packets \
		--as-of $(AS_OF) --quiet; \
		code=$$?; [ $$code -eq 0 ] || [ $$code -eq 5 ] || exit $$code
	@echo
	@echo "Reports: $(OUT)/report.html and $(OUT)/report.xlsx (CSV tables beside them)."
	@echo "Notices: $(OUT)/notices/ (.eml outbox, digest.html); audit packet: $(OUT)/packets/"

test: setup browser-deps
	@# pytest exits 5 when it collected nothing: a suite that ran no test has failed.
	@# CME_BATCH_REQUIRE_TESSERACT: the full suite runs the real-tesseract tier or refuses to run.
	CME_BATCH_REQUIRE_TESSERACT=1 $(BIN)/python -m pytest -q -ra; code=$$?; \
		if [ $$code -eq 5 ]; then echo "no tests were collected" >&2; exit 1; fi; exit $$code

# The fast tier: OCR answered from recordings of real tesseract output (no tesseract needed).
test-fast: setup
	$(BIN)/python -m pytest -q --ocr-engine replay -m "not browser and not slow"

lint: setup
	$(BIN)/ruff check cme_batch tests tools
	$(BIN)/ruff format --check cme_batch
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format cme_batch tests tools
	$(BIN)/ruff check --fix cme_batch tests tools

samples: setup
	$(BIN)/python tools/make_sample_inbox.py

# Seed 7 is the set extraction was developed against; seeds 11 and 23 are reported beside it as
# checks on noise and content the development did not look at first.
# The blind set (tools/blindset/) is held out: written without looking at the extractor or the
# development layouts, it is measured, never tuned on. Seed 13 is the one first measured (its
# failures were read for the review-policy checks); seeds 31 and 37 are further samples of the
# same generator, new documents in its layouts.
BENCH_SEEDS ?= 7 11 23
BLIND_SEEDS ?= 13 31 37
bench: setup
	@for seed in $(BENCH_SEEDS); do \
		echo "== evaluation set, seed $$seed"; \
		$(BIN)/python tools/bench_accuracy.py --seed $$seed || exit $$?; \
	done
	@$(MAKE) --no-print-directory bench-blind

bench-blind: setup
	@for seed in $(BLIND_SEEDS); do \
		echo "== blind set (held out: never tune on it), seed $$seed"; \
		$(BIN)/python tools/bench_accuracy.py --set blind --seed $$seed || exit $$?; \
	done

# SPEED_ARGS, e.g. "--only ocr --scan-pages 40" for the OCR comparison alone.
bench-speed: setup
	$(BIN)/python tools/bench_speed.py $(SPEED_ARGS)

clean:
	rm -rf $(OUT) .bench .pytest_cache .mypy_cache .ruff_cache build *.egg-info
