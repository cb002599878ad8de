# cnn-notebooks. The two commands that matter:
#   make guide   set up if needed, execute every notebook, render the HTML guide into build/guide/
#   make test    set up if needed, run the unit tests and execute every notebook (vitest)
# Every target is incremental: running it twice does no work twice.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PY        := /usr/bin/python3
NODE      := node
BUILD     := build
JUPYTER_DATA := $(CURDIR)/$(BUILD)/jupyter
# Only the project's kernelspec directory is added; nothing global is written.
export JUPYTER_PATH := $(JUPYTER_DATA)
# Silence the pydevd warning Debian's Python 3.11 prints at every Jupyter start.
export PYDEVD_DISABLE_FILE_VALIDATION := 1

NOTEBOOKS := $(sort $(wildcard notebooks/q[0-9][0-9]-*.ipynb))
LIB_SRC   := $(shell find lib -name '*.ts' -not -path 'lib/dist/*' 2>/dev/null) lib/tsconfig.json lib/package.json
DEBIAN_PACKAGES := jupyter-nbconvert python3-nbclient jupyter-client jupyter-notebook libjs-mathjax python3-jupyter-kernel-test
# Only `make test` needs a browser (the guide's browser test).
TEST_PACKAGES   := chromium
# `make pdf` (and its test) join the printed pages with poppler's pdfunite.
PDF_PACKAGES    := poppler-utils

NPM_STAMP    := node_modules/.cnn-notebooks-installed
DEBIAN_STAMP := $(BUILD)/.debian-ok
CHROMIUM_STAMP := $(BUILD)/.chromium-ok
PDF_STAMP    := $(BUILD)/.pdf-tools-ok
LIB_STAMP    := lib/dist/.built
KERNELSPEC   := $(JUPYTER_DATA)/kernels/cnn-notebooks/kernel.json
REPORT       := $(BUILD)/notebooks/report.json

.PHONY: help setup guide pdf notebooks render test unit lab bench bench-startup typecheck clean stress-kernel stress-threads

help:
	@echo "make guide   execute every notebook and render the study guide into $(BUILD)/guide/"
	@echo "make pdf     the study guide as one PDF: $(BUILD)/guide.pdf"
	@echo "make test    unit tests of lib/ and an execution test of every notebook"
	@echo "make lab     open the notebooks with the project kernel (JupyterLab if installed, else Notebook)"
	@echo "make bench   training and inference speed of the reference answers' CNNs, beside PyTorch's"
	@echo "make clean   remove $(BUILD)/ and lib/dist/"

setup: $(NPM_STAMP) $(DEBIAN_STAMP) $(LIB_STAMP) $(KERNELSPEC)

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Jupyter and Chromium come from Debian (PyPI is not reachable); installed as root, else the command is printed.
$(DEBIAN_STAMP): kernel/ensure-debian.sh
	@kernel/ensure-debian.sh Jupyter "$(PY) -c 'import nbclient, nbconvert, nbformat, jupyter_client, jupyter_kernel_test' && test -x /usr/bin/jupyter-notebook && test -f /usr/share/javascript/mathjax/MathJax.js" $(DEBIAN_PACKAGES)
	@$(PY) -c 'import nbclient, nbconvert; print("jupyter: nbclient", nbclient.__version__, "nbconvert", nbconvert.__version__)'
	@mkdir -p $(@D) && touch $@

$(CHROMIUM_STAMP): kernel/ensure-debian.sh
	@kernel/ensure-debian.sh Chromium "test -x /usr/bin/chromium" $(TEST_PACKAGES)
	@mkdir -p $(@D) && touch $@

$(PDF_STAMP): kernel/ensure-debian.sh
	@kernel/ensure-debian.sh "PDF tools" "command -v pdfunite && command -v pdfimages" $(PDF_PACKAGES)
	@mkdir -p $(@D) && touch $@

$(LIB_STAMP): $(NPM_STAMP) $(LIB_SRC)
	npx tsc -p lib/tsconfig.json
	@touch $@

$(KERNELSPEC): kernel/install.js $(NPM_STAMP)
	$(NODE) kernel/install.js $(JUPYTER_DATA)

RUN_NOTEBOOKS := $(PY) kernel/run_notebooks.py --out $(BUILD)/notebooks --deps lib/dist kernel/launch.js kernel/tslab-patch.js package-lock.json -- $(NOTEBOOKS)
RENDER_GUIDE  := $(PY) kernel/render_guide.py --executed $(BUILD)/notebooks --out $(BUILD)/guide $(NOTEBOOKS)

# Executes only notebooks whose source, library or kernel changed since their last good run.
notebooks: setup
	$(RUN_NOTEBOOKS)

# Renders even when a notebook failed (its page and the index show the failure), then fails.
render: setup
	@status=0; $(RUN_NOTEBOOKS) || status=$$?; \
	$(RENDER_GUIDE) || status=1; \
	exit $$status

guide: render
	@echo "study guide: $(BUILD)/guide/index.html ($$(du -sh $(BUILD)/guide | cut -f1))"

# The whole guide as one PDF, printed by headless Chromium page by page and joined with pdfunite.
pdf: render $(CHROMIUM_STAMP) $(PDF_STAMP)
	$(NODE) kernel/guide/print-pdf.js $(BUILD)/guide $(BUILD)/guide.pdf

# Ends with one plain line, `tests: N passed, N failed`, read from vitest's JSON report.
test: setup $(CHROMIUM_STAMP) $(PDF_STAMP)
	@status=0; npx vitest run --reporter=default --reporter=json --outputFile.json=$(BUILD)/vitest.json || status=$$?; \
	$(NODE) -e 'const r = require("./$(BUILD)/vitest.json"); console.log(`tests: $${r.numPassedTests} passed, $${r.numFailedTests} failed`)' || status=1; \
	exit $$status

unit: setup
	npx vitest run --project unit

typecheck: $(NPM_STAMP)
	npx tsc -p tsconfig.json

lab: setup
	@root_flag=$$([ "$$(id -u)" = 0 ] && echo --allow-root); cd notebooks && \
	if command -v jupyter-lab >/dev/null 2>&1; then \
	  jupyter-lab $$root_flag; \
	else \
	  echo "JupyterLab is not installed; opening the classic Notebook (kernel: TypeScript (cnn-notebooks))"; \
	  /usr/bin/jupyter notebook $$root_flag; \
	fi

# The benchmark is a program outside lib/ (bench/), compiled on its own; ARGS="--repeat 3" or ARGS=--shipped.
bench: setup
	npx tsc -p bench/tsconfig.json
	$(NODE) $(BUILD)/bench-dist/bench/bench.js $(ARGS)

# Kernel starts under load: STARTS kernels, JOBS starting at once, each must run a cell (JSON summary).
STARTS ?= 200
JOBS   ?= 8
stress-kernel: setup
	$(PY) test/kernel/protocol_checks.py starts $(STARTS) $(JOBS)

# Starts of the multi-threaded wasm backend beside busy 2-thread processes; a failure or a start hung
# past its limit is printed (ARGS="--starts 150 --jobs 3 --busy 2 --limit 60"). A stress run, not a test.
stress-threads: setup
	$(NODE) bench/stress-threads.js $(ARGS)

# Where a kernel start's seconds go (kernel_info, tslab's first compile, import + ready(), a later cell).
bench-startup: setup
	$(PY) test/kernel/protocol_checks.py startup $(or $(STARTUPS),5)

clean:
	rm -rf $(BUILD) lib/dist
