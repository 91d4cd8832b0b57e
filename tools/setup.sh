#!/usr/bin/env bash
# Prepare a fresh machine for gdviz: system packages (Debian/Ubuntu, as root, when missing),
# a virtual environment in .venv, and the Python packages. Safe to run again: it only does
# what is missing. Usage: tools/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

WANT_TEST=0
[[ "${1:-}" == "--test" ]] && WANT_TEST=1

# System libraries Qt needs on X11, plus Xvfb and Mesa's software OpenGL for the tests
# (the known-good Debian 12 list in DESIGN.md section 5).
SYS_PKGS=(libgl1-mesa-dri libglx-mesa0 libegl1 libegl-mesa0 libxkbcommon-x11-0 libxcb-cursor0
  libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libdbus-1-3 libfontconfig1 fonts-dejavu-core libxkbcommon0 libgl1)
if [[ $WANT_TEST == 1 ]]; then
  SYS_PKGS+=(xvfb xauth)
fi

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${SYS_PKGS[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
  done
  if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]]; then
      echo "gdviz setup: installing system packages: ${missing[*]}" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "gdviz setup: missing system packages (run as root to install): ${missing[*]}" >&2
    fi
  fi
fi

PY=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "gdviz setup: creating .venv" >&2
  "$PY" -m venv .venv
fi

# Reinstall only when pyproject.toml changed since the last install.
extras=""
[[ $WANT_TEST == 1 ]] && extras="[test]"
stamp=".venv/.gdviz-installed${extras:+-test}"
test_stamp=".venv/.gdviz-installed-test"
# A test install includes everything the app needs.
if [[ -f "$test_stamp" && ! pyproject.toml -nt "$test_stamp" ]]; then
  stamp="$test_stamp"
fi
if [[ ! -f "$stamp" || pyproject.toml -nt "$stamp" ]]; then
  echo "gdviz setup: installing Python packages into .venv" >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
  touch "$stamp"
fi
