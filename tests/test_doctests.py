"""The examples in gdviz.core's docstrings run and say what they print (an example of
typed_print's had gone stale unnoticed)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import gdviz.core

MODULES = sorted(m.name for m in pkgutil.iter_modules(gdviz.core.__path__, "gdviz.core."))


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, name
