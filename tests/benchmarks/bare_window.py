"""The baseline of ``startup_ratio``: the least a PySide6 app can do to show a window.

Shows an empty QMainWindow at gdviz's default screenshot size, lets it paint, grabs it to a PNG
and exits: the same shape of work as ``python main.py --screenshot PATH``.

Usage: ``python tests/benchmarks/bare_window.py OUT.png [WxH]``
"""

import sys

from PySide6 import QtWidgets


def main() -> int:
    out = sys.argv[1]
    w, h = (int(v) for v in (sys.argv[2] if len(sys.argv) > 2 else "1600x1000").split("x"))
    app = QtWidgets.QApplication(sys.argv[:1])
    window = QtWidgets.QMainWindow()
    window.setWindowTitle("bare")
    window.resize(w, h)
    window.show()
    for _ in range(5):
        app.processEvents()
    ok = window.grab().toImage().save(out, "PNG")
    window.close()
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
