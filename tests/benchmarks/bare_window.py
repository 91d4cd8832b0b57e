"""The baseline of ``startup_ratio``: the least a PySide6 app can do to show a window.

Shows an empty QMainWindow at gdviz's default screenshot size and lets it paint. Two modes,
matching the two ways gdviz is timed:

* ``bare_window.py OUT.png [WxH]``: grab the painted window to a PNG and exit (the same shape
  of work as ``python main.py --screenshot PATH``);
* ``bare_window.py --first-frame [WxH]``: print ``bare-first-frame <unix time>`` on stderr when
  the window is first painted, and exit (as gdviz does with ``GDVIZ_FIRST_FRAME_EXIT=1``).
"""

import sys
import time

from PySide6 import QtCore, QtWidgets


class _Window(QtWidgets.QMainWindow):
    def __init__(self, first_frame: bool) -> None:
        super().__init__()
        self.first_frame = first_frame
        self.painted = False

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self.first_frame and not self.painted:
            self.painted = True
            print(f"bare-first-frame {time.time():.6f}", file=sys.stderr, flush=True)
            QtCore.QTimer.singleShot(0, QtWidgets.QApplication.instance().quit)


def main() -> int:
    args = sys.argv[1:]
    first_frame = bool(args) and args[0] == "--first-frame"
    out = None if first_frame else args[0]
    rest = args[1:]
    w, h = (int(v) for v in (rest[0] if rest else "1600x1000").split("x"))
    app = QtWidgets.QApplication(sys.argv[:1])
    window = _Window(first_frame)
    window.setWindowTitle("bare")
    window.resize(w, h)
    window.show()
    if first_frame:
        return app.exec()
    for _ in range(5):
        app.processEvents()
    ok = window.grab().toImage().save(out, "PNG")
    window.close()
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
