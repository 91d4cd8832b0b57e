"""Playback controls: play/pause, step, step back, reset, speed and the iteration scrubber."""

from __future__ import annotations

from gdviz.ui.media_icons import SIZE, media_icon
from gdviz.ui.qt import QtCore, QtGui, QtWidgets, Signal
from gdviz.ui.steady_label import SteadyLabel

ICON_PER_PX = 1.6  # the buttons' icons with large type: this many times its size


class TimelineSlider(QtWidgets.QSlider):
    """The iteration slider: PgDn goes ten steps on and PgUp back, as in the rest of the
    window and as a presentation clicker's "next" and "previous" (PgDn, PgUp) mean; a Qt
    slider takes them the other way round."""

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:  # noqa: N802 - Qt's name
        action = QtWidgets.QAbstractSlider.SliderAction
        pages = {QtCore.Qt.Key.Key_PageDown: action.SliderPageStepAdd,
                 QtCore.Qt.Key.Key_PageUp: action.SliderPageStepSub}
        if event.key() in pages and not event.modifiers():
            self.triggerAction(pages[event.key()])
            return
        super().keyPressEvent(event)

    # -- repainting only where the handle moved --------------------------------------------
    # A value change makes Qt repaint the whole slider, as wide as the window: 0.4 ms of
    # every playback frame on a 1600 px window (Fusion's groove and handle), where the handle
    # moves a pixel or two. The strip from where it was painted to where it now is (and the
    # groove's fill between them) is all that changes.
    _painted: int | None = None  # the position the handle was last painted at

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 - Qt's name
        self._painted = self.sliderPosition()
        super().paintEvent(event)

    def sliderChange(self, change: QtWidgets.QAbstractSlider.SliderChange) -> None:  # noqa: N802
        was = self._painted
        if (change != QtWidgets.QAbstractSlider.SliderChange.SliderValueChange or was is None
                or not self.isVisible()):
            super().sliderChange(change)  # (a new range, orientation, step: all of it)
            return
        self.update(self.handle_span(was, self.sliderPosition()))

    def handle_span(self, a: int, b: int) -> QtCore.QRect:
        """The strip of the slider, its full height, that the handle covers at position ``a``
        or ``b`` or between them (a few pixels wider, for the handle's outline)."""
        opt = QtWidgets.QStyleOptionSlider()
        self.initStyleOption(opt)
        style, rects = self.style(), []
        for pos in (a, b):
            opt.sliderPosition = opt.sliderValue = pos
            rects.append(style.subControlRect(QtWidgets.QStyle.ComplexControl.CC_Slider, opt,
                                              QtWidgets.QStyle.SubControl.SC_SliderHandle,
                                              self))
        span = rects[0].united(rects[1])
        if self.orientation() == QtCore.Qt.Orientation.Horizontal:
            return QtCore.QRect(span.left() - 3, 0, span.width() + 6, self.height())
        return QtCore.QRect(0, span.top() - 3, self.width(), span.height() + 6)


class PlaybackBar(QtWidgets.QWidget):
    """Buttons and sliders that drive the controller's playback.

    Signals
    -------
    playToggled(), stepRequested(), stepBackRequested(), resetRequested(),
    speedChanged(int), iterationChosen(int)
    """

    playToggled = Signal()
    stepRequested = Signal()
    stepBackRequested = Signal()
    resetRequested = Signal()
    speedChanged = Signal(int)
    iterationChosen = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # Opaque: the slider and the step label change every frame; the window behind them
        # need not be painted again each time.
        self.setAutoFillBackground(True)
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        self._icons: dict[QtWidgets.QToolButton, str] = {}  # button → its icon's kind

        def button(name, kind, tip, text):
            b = QtWidgets.QToolButton()
            b.setObjectName(name)
            b.setAccessibleName(text)
            b.setToolTip(tip)
            b.setIconSize(QtCore.QSize(self.icon_size(), self.icon_size()))
            b.setAutoRaise(True)
            row.addWidget(b)
            self._icons[b] = kind
            return b

        self.reset = button("resetButton", "reset", "Reset to step 0 (Home)", "reset")
        self.back = button("stepBackButton", "back", "One step back (←)", "step back")
        self.play = button("playButton", "play", "Play / pause (Space)", "play")
        self.step = button("stepButton", "forward", "One step forward (→)", "step forward")
        self._paint_icons()
        self.iteration = TimelineSlider(QtCore.Qt.Horizontal)
        self.iteration.setObjectName("iterationSlider")
        self.iteration.setAccessibleName("iteration")
        self.iteration.setToolTip("Drag to jump to any iteration (PgDn / PgUp: 10 steps on "
                                  "/ back)")
        self.iteration.setPageStep(10)
        row.addWidget(self.iteration, 1)
        self.label = SteadyLabel("k = 0 / 0", object_name="iterationLabel")
        self.label.reserve("k = 0000 / 0000")  # in any font (presentation mode's large type)
        row.addWidget(self.label)
        # (a rule between the count and the speed: "k = 1500 / 1500 speed" read as one phrase)
        rule = QtWidgets.QFrame(objectName="playbackRule", frameShape=QtWidgets.QFrame.VLine,
                                frameShadow=QtWidgets.QFrame.Sunken)
        row.addWidget(rule)
        row.addWidget(QtWidgets.QLabel("speed"))
        self.speed = QtWidgets.QSlider(QtCore.Qt.Horizontal)
        self.speed.setObjectName("speedSlider")
        self.speed.setAccessibleName("speed")
        self.speed.setRange(1, 120)
        self.speed.setValue(10)
        self.speed.setMaximumWidth(140)
        self.speed.setToolTip("Playback speed: 1–120 steps per second ([ and ])")
        row.addWidget(self.speed)
        self.speed_label = QtWidgets.QLabel("10/s")
        self.speed_label.setMinimumWidth(44)
        row.addWidget(self.speed_label)

        self.play.clicked.connect(self.playToggled)
        self.step.clicked.connect(self.stepRequested)
        self.back.clicked.connect(self.stepBackRequested)
        self.reset.clicked.connect(self.resetRequested)
        self.speed.valueChanged.connect(self._on_speed_value_changed)
        self.iteration.valueChanged.connect(self._on_iteration_value_changed)
        self._updating = False

    def _on_speed_value_changed(self, v: int) -> None:
        self.speed_label.setText(f"{v}/s")
        self.speedChanged.emit(v)

    def _on_iteration_value_changed(self, v: int) -> None:
        if not self._updating:
            self.iterationChosen.emit(v)

    def set_state(self, k: int, last: int) -> None:
        """Show iteration ``k`` of ``last``."""
        self._updating = True
        self.iteration.setMaximum(last)
        self.iteration.setValue(k)
        self._updating = False
        self.label.setText(f"k = {k} / {last}")

    def set_playing(self, playing: bool) -> None:
        """Show the pause icon while playing, the play icon otherwise."""
        kind = "pause" if playing else "play"
        if self._icons[self.play] != kind:
            self._icons[self.play] = kind
            self.play.setIcon(media_icon(kind, self.palette()))
        self.play.setAccessibleName(kind)

    def _paint_icons(self) -> None:
        for b, kind in self._icons.items():
            b.setIcon(media_icon(kind, self.palette()))

    def icon_size(self) -> int:
        """The buttons' icon size: :data:`SIZE`, and with type larger than 15 pixels 1.6
        times the type (in presentation mode's 24-pixel type the 24-pixel glyphs looked
        half the size of the "k = 12 / 163" beside them)."""
        return max(SIZE, round(ICON_PER_PX * QtGui.QFontInfo(self.font()).pixelSize()))

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QtCore.QEvent.Type.PaletteChange:  # dark/light: the icons' colour
            self._paint_icons()
        elif event.type() == QtCore.QEvent.Type.FontChange:
            size = self.icon_size()
            for b in self._icons:
                b.setIconSize(QtCore.QSize(size, size))
        super().changeEvent(event)
