#!/usr/bin/env bash
# Run the whole test suite on a fresh machine: set up .venv and system packages, then run
# ruff, the import contract and pytest under Xvfb with Mesa's software OpenGL (so the 3D view's
# tests run for real). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --test

export PYTHONDONTWRITEBYTECODE=1
# Software OpenGL: the same renderer on every machine, including CI without a GPU.
export LIBGL_ALWAYS_SOFTWARE=1
export QT_QPA_PLATFORM=xcb
export GDVIZ_SETTINGS_DIR="${GDVIZ_SETTINGS_DIR:-$(mktemp -d)}"
# The property tests' fixed sequence of examples (tests/conftest.py): the suite gives the same
# result on every run, in CI or not. (pytest run directly explores new examples each time.)
export GDVIZ_TEST_DERANDOMIZE=1

.venv/bin/ruff check gdviz tests main.py
.venv/bin/lint-imports --no-cache >/dev/null || .venv/bin/lint-imports --no-cache
# pytest-xvfb starts a virtual X server for the session.
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
