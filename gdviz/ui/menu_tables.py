"""What the menus and the keys hold, as data: every action's menu, text, shortcuts and tip
(:data:`ACTIONS`), and the keys without a menu entry by topic (:data:`WINDOW_KEYS`,
:data:`FOCUSED_KEYS`); :mod:`gdviz.ui.menus` builds the menus and binds the keys from them,
and Help ▸ Keyboard shortcuts lists them."""

from __future__ import annotations

import sys

from gdviz.ui.qt import QtGui

Key = QtGui.QKeySequence

# key, menu path, text, shortcuts, tip, checkable
ACTIONS: tuple[tuple[str, str, str, tuple, str, bool], ...] = (
    ("open", "File", "&Open session…", (Key.StandardKey.Open,),
     "Open a saved .gdviz session (loss, runs and view)", False),
    ("save", "File", "&Save session", (Key.StandardKey.Save,),
     "Save the loss, runs and view to the current .gdviz file", False),
    ("save_as", "File", "Save session &as…", ("Ctrl+Shift+S",),
     "Save the loss, runs and view to a new .gdviz file", False),
    ("export_map_png", "File/Export", "2D map as &PNG…", (),
     "Save the 2D map (with paths, arrows and colour bar) as a PNG picture", False),
    ("export_map_svg", "File/Export", "2D map as &SVG…", (),
     "Save the 2D map as an SVG drawing (scalable, for slides and print)", False),
    ("export_3d_png", "File/Export", "&3D view as PNG…", (),
     "Save the 3D surface view as a PNG picture", False),
    ("export_window_png", "File/Export", "&Window as PNG…", (),
     "Save a picture of the whole window", False),
    ("export_animation", "File/Export", "&Animation (GIF/MP4)…", (),
     "Record the descent as a GIF or MP4 clip, one frame per step", False),
    ("quit", "File", "&Quit", (Key.StandardKey.Quit,), "Close gdviz", False),
    ("undo", "Edit", "&Undo", (Key.StandardKey.Undo,),
     "Bring back the runs (with their loss and view) as they were before the last loss "
     "typed, preset, comparison, removed run or opened session", False),
    ("redo", "Edit", "&Redo", (Key.StandardKey.Redo, "Ctrl+Y"),
     "Put back what Undo took back", False),
    ("presentation", "View", "&Presentation mode", ("F11",),
     "Full screen, large type and thick lines for a projector", True),
    ("dark", "View", "Dar&k theme", (),
     "Light text on a dark background (the default light theme reads best on projectors)",
     True),
    ("larger", "View", "&Larger text", (Key.StandardKey.ZoomIn, "Ctrl+="),
     "Make all text larger", False),
    ("smaller", "View", "&Smaller text", (Key.StandardKey.ZoomOut,),
     "Make all text smaller", False),
    ("compare", "Tools", "&Compare optimizers", ("Ctrl+K",),
     "Run every optimizer from the selected run's start and compare them in a table", False),
    ("basins", "Tools", "&Basins of attraction", ("Ctrl+B",),
     "Colour the map by the minimum each start reaches with the selected run's optimizer",
     True),
    ("basins_steps", "Tools", "Basins coloured by &steps to converge", (),
     "Colour the basins map by how many steps each start needs instead of by minimum", True),
    ("shortcuts", "Help", "&Keyboard shortcuts", ("F1",), "List every keyboard shortcut",
     False),
    ("about", "Help", "&About gdviz", (), "What gdviz is and its version", False),
)

WINDOW_KEYS: tuple[tuple[str, tuple[tuple[tuple[str, ...], str, str], ...]], ...] = (
    ("Playback", (
        (("Space",), "Space", "Play / pause"),
        (("Right", "Left"), "→ / ←", "One step forward / back"),
        (("Home", "End"), "Home / End", "First / last iteration"),
        (("PgDown", "PgUp"), "PgDn / PgUp", "Ten steps forward / back"),
        (("[", "]"), "[ / ]", "Slower / faster playback"),
    )),
    ("Loss and runs", (
        (("Ctrl+L",), "Ctrl+L", "Edit the loss"),
        (("Ctrl+P",), "Ctrl+P", "Choose a preset"),
        (("Ctrl+N",), "Ctrl+N", "Add a run"),
        (("Ctrl+Del",), "Ctrl+Delete", "Remove the selected run"),
        (("F2",), "F2", "Rename the selected run (in the runs list)"),
        # (the menu key too; Shift+F10 is bound where Qt does not ask for the menu itself)
        (() if sys.platform == "win32" else ("Shift+F10",), "Shift+F10 / menu key",
         "The selected run's menu: hide or show, rename, colour, remove (in the runs list)"),
    )),
    ("Map", (
        (("F",), "F", "Fit the map to the loss's domain"),
        (("G",), "G", "Gradient field arrows: −∇f, ∇f, off"),
        (("L",), "L", "Linear / log colour scale"),
        (("A",), "A", "Show / hide the arrows at the current point"),
        (("E",), "E", "Equal axis scales on / off"),
        (("Esc",), "Esc", "Cancel what is typed in a box and leave it; outside one, stop "
         "background runs or the basins map, or with neither leave presentation mode"),
    )),
    ("3D view", (
        (("R",), "R", "Reset the camera (as a double-click on the view does)"),
        # (dragging and the wheel had no keys: a teacher at a laptop's keyboard could not
        # turn the surface to show a valley)
        (("Alt+Left", "Alt+Right"), "Alt+← / Alt+→", "Turn the view about the surface"),
        (("Alt+Up", "Alt+Down"), "Alt+↑ / Alt+↓", "Look from higher / lower"),
        (("Alt+PgUp", "Alt+PgDown"), "Alt+PgUp / Alt+PgDn", "Zoom in / out"),
    )),
    ("Loss plot", (  # (presentation mode hides the View box, its "log scale" with it)
        (("Shift+L",), "Shift+L", "Linear / log scale"),
    )),
    ("Menus", (
        (("F10",), "F10", "Open the menus (presentation mode hides their bar)"),
    )),
    ("Lecture tabs", (
        (("Ctrl+PgDown", "Ctrl+PgUp"), "Ctrl+PgDn / Ctrl+PgUp", "Next / previous lecture tab"),
    )),
)
"""The keys without a menu entry, by topic: (key sequences, as shown, what they do). The
sequences are the ones :func:`install_shortcuts` binds (a test keeps the two together)."""
FOCUSED_KEYS = [
    ("Lecture tabs", "← / → on the Slice plot",
     "Move the examined point a hundredth of the range (Shift: a tenth); Tab reaches the "
     "plot"),
]
"""(topic, keys, what they do) of a focused view's own keys (F1 lists them: the Slice plot's
were in no list)."""
