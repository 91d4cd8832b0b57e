"""Shared test set-up: every test gets its own settings directory."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# In CI and from tools/test.sh (the README's test command) the property tests use a fixed
# sequence of examples (reproducible results, no example database); pytest run directly
# explores new examples each run.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI") or os.environ.get("GDVIZ_TEST_DERANDOMIZE", "") not in ("", "0"):
    settings.load_profile("ci")

try:  # Qt is only needed by the UI tests; the core tests run without it.
    from PySide6 import QtCore
except ImportError:  # pragma: no cover - core-only environments
    QtCore = None

if QtCore is not None and QtCore.QCoreApplication.instance() is None:
    # pyqtgraph caches compiled OpenGL shader programs for the whole process, so every GL
    # context must share objects with the others (the UI tests build one window per test).
    # This must be set before pytest-qt creates the QApplication.
    QtCore.QCoreApplication.setAttribute(QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


@pytest.fixture(autouse=True)
def settings_dir(tmp_path_factory, monkeypatch):
    """A fresh, empty settings directory (``GDVIZ_SETTINGS_DIR``) for each test.

    It lives outside the test's own ``tmp_path`` so tests that list ``tmp_path`` see only
    their own files.
    """
    folder = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(folder))
    return folder


@pytest.fixture
def run_python():
    """Run a snippet of Python in a fresh interpreter (what a launch imports, made, printed):
    ``run_python(code) -> CompletedProcess`` with text output captured."""
    import subprocess
    import sys

    def run(code: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=timeout, **kwargs)

    return run
