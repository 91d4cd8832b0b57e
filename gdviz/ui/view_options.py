"""View options: gradient field, colour scale, arrows, 3D height, fit."""

from __future__ import annotations

from gdviz.ui.qt import QtWidgets, Signal
from gdviz.ui.widgets import WholeSpinBox, status_note


class ViewOptions(QtWidgets.QWidget):
    """Controls for how the loss is drawn; every change is emitted as ``changed``."""

    changed = Signal()
    fitRequested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        form = QtWidgets.QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.field = QtWidgets.QComboBox()
        self.field.setObjectName("fieldCombo")
        self.field.setAccessibleName("field arrows")
        self.field.addItem("−∇f (downhill)", "negative")
        self.field.addItem("∇f (uphill)", "gradient")
        self.field.addItem("off", "off")
        self.field.setToolTip("Arrows of the gradient field on the map (G cycles)")
        form.addRow("Field arrows", self.field)
        row = QtWidgets.QHBoxLayout()
        # (500 typed became 50 without a word: refused whole and said, see WholeSpinBox)
        self.density = WholeSpinBox(minimum=4, maximum=64, value=18)
        self.density.setObjectName("fieldDensitySpin")
        self.density.setToolTip("Arrows per side of the map (4 to 64)")
        self.density.refused.connect(lambda note: status_note(self, note))
        self.density.setAccessibleName("field arrows per side")
        # Applied on Enter (or the arrows), not per keystroke: typing 40 drew 4 arrows a side
        # first, and Esc could not take it back.
        self.density.setKeyboardTracking(False)
        self.normalise = QtWidgets.QCheckBox("same length")
        self.normalise.setObjectName("normaliseCheck")
        self.normalise.setToolTip("Unchecked: arrow length shows ‖∇f‖. Checked: only direction")
        row.addWidget(self.density)
        row.addWidget(self.normalise)
        form.addRow("Density", row)
        self.log = QtWidgets.QComboBox()
        self.log.setObjectName("colorScaleCombo")
        self.log.setAccessibleName("colour scale")
        self.log.addItem("automatic", None)
        self.log.addItem("linear", False)
        self.log.addItem("logarithmic", True)
        self.log.setToolTip("Colour scale of the map and surface (L toggles)")
        form.addRow("Colours", self.log)
        self.arrows = QtWidgets.QCheckBox("gradient, step, velocity")
        self.arrows.setObjectName("stepArrowsCheck")
        self.arrows.setChecked(True)
        self.arrows.setToolTip("At each run's current point: ∇f (red), the step taken "
                               "(dashed) and, for momentum, the velocity (dotted). (A)")
        form.addRow("Arrows", self.arrows)
        self.height = QtWidgets.QSlider()
        self.height.setOrientation(self.height.orientation().Horizontal)
        self.height.setObjectName("heightScaleSlider")
        self.height.setRange(20, 300)
        self.height.setValue(100)
        self.height.setToolTip("Height of the 3D surface")
        form.addRow("3D height", self.height)
        self.loss_log = QtWidgets.QCheckBox("log scale")
        self.loss_log.setObjectName("lossLogCheck")
        self.loss_log.setToolTip("Loss plot: log₁₀ f (log₁₀(f − min f) where f is not above 0 "
                                 "everywhere) (Shift+L)")
        form.addRow("Loss plot", self.loss_log)
        self.equal = QtWidgets.QCheckBox("equal axis scales")
        self.equal.setObjectName("equalScalesCheck")
        self.equal.setToolTip("Same scale on both axes of the map: ∇f then looks perpendicular "
                              "to the contour lines, as it is (E)")
        form.addRow("Map", self.equal)
        self.fit = QtWidgets.QPushButton("Fit map")
        self.fit.setObjectName("fitButton")
        self.fit.setToolTip("Show the whole domain again (F)")
        form.addRow("", self.fit)
        for w in (self.field, self.log):
            w.currentIndexChanged.connect(self.changed)
        for w in (self.density, self.height):
            w.valueChanged.connect(self.changed)
        for w in (self.normalise, self.arrows, self.loss_log, self.equal):
            w.toggled.connect(self.changed)
        self.fit.clicked.connect(self.fitRequested)

    @property
    def field_mode(self) -> str:
        return self.field.currentData()

    @property
    def log_mode(self):
        return self.log.currentData()
