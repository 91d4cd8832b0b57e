"""The performance benchmark (tests/benchmarks/run.py) still runs: every section, quick mode.

The ratios are machine-dependent and not checked here (issue 6: the benchmark is the measure,
not the test suite); a crash, a missing key or a non-finite number fails.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("redraw_ratio", "frame_ratio", "frame_p95_ms_2d", "grad_floor_ratio", "naive_ratio",
        "basins_ratio", "startup_ratio", "peak_rss_mb_512")


@pytest.mark.slow
def test_the_quick_benchmark_runs_every_section(tmp_path):
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs the X display the UI tests run on")
    out = tmp_path / "bench.json"
    env = {**os.environ, "GDVIZ_SETTINGS_DIR": str(tmp_path / "settings")}
    proc = subprocess.run([sys.executable, str(ROOT / "tests/benchmarks/run.py"), "--quick",
                           "--json", str(out)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert not data["errors"]
    for key in KEYS:
        assert isinstance(data[key], float) and math.isfinite(data[key]) and data[key] > 0, key
        assert data["targets"][key]["result"] in ("pass", "FAIL")
    assert data["machine"]["gl_renderer"]  # the 3D view was measured, not skipped
    assert data["details"]["startup"]["gdviz_first_frame_median_s"] > 0
