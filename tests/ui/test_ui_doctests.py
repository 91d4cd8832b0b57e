"""The examples in gdviz.ui's docstrings run and say what they print (the offset labels'
example had gone stale unnoticed: the doctest test looked at gdviz.core only)."""

from __future__ import annotations

import doctest
import importlib
import pathlib

import pytest

import gdviz.ui

ROOT = pathlib.Path(gdviz.ui.__file__).parent
MODULES = sorted("gdviz.ui." + ".".join(path.relative_to(ROOT).with_suffix("").parts)
                 for path in ROOT.rglob("*.py") if ">>>" in path.read_text(encoding="utf-8"))


def test_the_modules_with_examples_are_found():
    assert "gdviz.ui.canvas.ticks" in MODULES and "gdviz.ui.numbers" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_hold(qapp, name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0, name
