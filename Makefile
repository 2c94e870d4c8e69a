# Baoquan Intake — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= ./var
EVAL_DIR ?= eval-data
EVAL_N ?= 400
EVAL_SHEETS ?= 100

.PHONY: install system-deps run test test-fast bench eval-data eval eval-paddle split-check calibrate clean \
	unseen-data eval-unseen side-by-side

$(STAMP): pyproject.toml scripts/install.sh
	bash scripts/install.sh $(PY) $(VENV)
	touch $(STAMP)

install: system-deps $(STAMP)

system-deps:
	bash scripts/system-deps.sh

## make run: install, start the service on the embedded defaults, load the demo.
run: install
	BAOQUAN_DATA=$(DATA) bash scripts/run.sh

## make test: install (with dev extras) and run every test.
test: install
	$(BIN)/pytest -q

test-fast: install
	$(BIN)/pytest -q -m "not slow and not browser"

## make bench: speed and memory benchmarks → bench/results/*.json
bench: install
	$(BIN)/python -m bench.run_all

## make eval-data: a ≥400-document generated evaluation set outside git.
eval-data: install
	$(BIN)/python -m samples.generate --out $(EVAL_DIR) --n $(EVAL_N) --sheets $(EVAL_SHEETS) --seed 1

eval: install
	$(BIN)/baoquan eval $(EVAL_DIR) --engine rapidocr --json bench/results/eval-rapidocr.json

## make unseen-data / eval-unseen: the second, independently written generator's set
## (samples/unseen); only ever reported, never used to set a threshold or debug a parser.
UNSEEN_DIR ?= unseen-data
unseen-data: install
	$(BIN)/python -m samples.unseen --out $(UNSEEN_DIR) --n 240 --seed 11

eval-unseen: install
	$(BIN)/baoquan eval $(UNSEEN_DIR) --engine rapidocr --json bench/results/eval-unseen-rapidocr.json

## make side-by-side: the README's table of both sets
side-by-side: install
	$(BIN)/python -m bench.side_by_side bench/results/eval-rapidocr.json bench/results/eval-unseen-rapidocr.json

eval-paddle: install
	$(BIN)/baoquan eval $(EVAL_DIR) --engine paddleocr --json bench/results/eval-paddleocr.json

## make split-check: how sheets split into their cards, without OCR (about 1 s a file)
split-check: install
	$(BIN)/python -m bench.calibrate_split $(EVAL_DIR)

## make calibrate: the seed-7 calibration sets and every quality-threshold calibration
## (bench/results/*_calibration.json); never the evaluation set.
CAL ?= /tmp/cal
calibrate: install
	$(BIN)/python -m samples.generate --out $(CAL) --n 200 --seed 7 --sheets 20
	$(BIN)/python -m samples.generate --out $(CAL)_lowres --n 60 --seed 7 --clean-ratio 0 --degradations low_resolution
	$(BIN)/python -m samples.generate --out $(CAL)_finger --n 60 --seed 7 --clean-ratio 0 --degradations finger
	$(BIN)/python -m samples.generate --out $(CAL)_crop --n 60 --seed 7 --clean-ratio 0 --degradations cropped
	$(BIN)/python -m samples.generate --out $(CAL)_screen --n 40 --seed 7 --clean-ratio 0 --degradations screen_recapture
	$(BIN)/python -m samples.generate --out $(CAL)_glare --n 60 --seed 7 --clean-ratio 0 --degradations glare
	$(BIN)/python -m samples.generate --out $(CAL)_seal --n 40 --seed 7 --kinds income_proof --clean-ratio 0 --degradations photocopy
	$(BIN)/python -m bench.calibrate_blur $(CAL)
	$(BIN)/python -m bench.calibrate_resolution $(CAL) $(CAL)_lowres
	$(BIN)/python -m bench.calibrate_occlusion $(CAL) $(CAL)_finger
	$(BIN)/python -m bench.calibrate_cropped $(CAL) $(CAL)_crop
	$(BIN)/python -m bench.calibrate_screen $(CAL) $(CAL)_screen
	$(BIN)/python -m bench.calibrate_glare $(CAL) $(CAL)_glare $(CAL)_crop $(CAL)_finger
	$(BIN)/python -m bench.calibrate_seal $(CAL) $(CAL)_seal

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
