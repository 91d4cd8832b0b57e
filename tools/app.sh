#!/usr/bin/env bash
# Launch gdviz, setting up .venv first if needed. Extra arguments go to the app (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
exec .venv/bin/python main.py "$@"
