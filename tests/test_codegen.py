"""The numpy code generator: exact values, undefined points, broadcasting, inputs left alone."""

from __future__ import annotations

import functools
import math
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from gdviz import LossError, parse_loss
from gdviz.core.codegen import compile_exprs, generate_source

X, Y = sp.symbols("x y", real=True)


def run(exprs, a, b):
    """Compile and call the way Loss does, turning every numpy warning into an error."""
    f = compile_exprs((X, Y), exprs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="ignore"):
            return f(a, b)


# -- the reference: the sympy tree evaluated in real arithmetic with 40 digits (mpmath) ----------
class Singular(Exception):
    """A pole, an overflow or an underflow on the way: float64 may rightly give anything."""


NAN = mpmath.mpf("nan")
HALF = mpmath.mpf(0.5)


def _real(fn, low=None, high=None):
    def wrapped(v):
        if mpmath.isnan(v) or (low is not None and v < low) or (high is not None and v > high):
            return NAN  # no real value: the compiled code must give NaN
        return fn(v)
    return wrapped


def _log(v):
    if v == 0:
        raise Singular
    return _real(mpmath.log, low=0)(v)


def _pow(base, p):
    if p == 0 or base == 1:  # IEEE pow: x**0 = 1 and 1**y = 1, even for NaN
        return mpmath.mpf(1)
    if mpmath.isnan(base) or mpmath.isnan(p):
        return NAN
    if base == 0 and p < 0:
        raise Singular
    if base < 0 and p != int(p):
        return NAN
    return mpmath.power(base, p)


def _max_min(pick):
    def fn(*vs):
        return NAN if any(mpmath.isnan(v) for v in vs) else pick(vs)
    return fn


def _heaviside(v, h0=HALF):
    if mpmath.isnan(v):
        return NAN
    return mpmath.mpf(0) if v < 0 else mpmath.mpf(1) if v > 0 else h0


REAL = {
    sp.sin: _real(mpmath.sin), sp.cos: _real(mpmath.cos), sp.tan: _real(mpmath.tan),
    sp.asin: _real(mpmath.asin, -1, 1), sp.acos: _real(mpmath.acos, -1, 1),
    sp.atan: _real(mpmath.atan), sp.sinh: _real(mpmath.sinh), sp.cosh: _real(mpmath.cosh),
    sp.tanh: _real(mpmath.tanh), sp.exp: _real(mpmath.exp), sp.log: _log,
    sp.Abs: _real(abs), sp.sign: _real(mpmath.sign), sp.Max: _max_min(max),
    sp.Min: _max_min(min), sp.Heaviside: _heaviside,
}  # fmt: skip


@functools.cache
def _constant(e: sp.Expr) -> mpmath.mpf:
    try:  # zoo (from log(0)) or nan: no number at all
        c = complex(sp.N(e, 40))
    except TypeError:
        raise Singular from None
    if not (math.isfinite(c.real) and c.imag == 0):
        raise Singular
    with mpmath.workdps(40):
        return mpmath.mpf(sp.N(e, 40))


def exact(expr: sp.Expr, a: float, b: float) -> tuple[mpmath.mpf, mpmath.mpf]:
    """(value, largest magnitude met on the way), or Singular."""
    seen = {X: mpmath.mpf(a), Y: mpmath.mpf(b)}
    biggest = [max(abs(seen[X]), abs(seen[Y]), mpmath.mpf(1))]

    def ev(e):
        if e in seen:
            return seen[e]
        if not e.free_symbols:
            v = _constant(e)
        else:
            args = [ev(arg) for arg in e.args]
            if e.is_Add:
                v = mpmath.fsum(args)
            elif e.is_Mul:
                v = mpmath.fprod(args)
            elif e.is_Pow:
                v = _pow(*args)
            else:
                v = REAL[type(e)](*args)
        if mpmath.isinf(v) or (not mpmath.isnan(v) and v != 0 and not 1e-290 < abs(v) < 1e290):
            raise Singular
        if not mpmath.isnan(v):
            biggest[0] = max(biggest[0], abs(v))
        seen[e] = v
        return v

    with mpmath.workdps(40):
        return ev(expr), biggest[0]


def assert_agrees(ours: float, expr: sp.Expr, a: float, b: float, what: str) -> None:
    try:
        want, scale = exact(expr, a, b)
    except Singular:
        return  # poles and overflows: only "no exception, no warning" is asked
    if mpmath.isnan(want):
        assert math.isnan(ours), (what, expr, a, b, ours)
    else:
        # relative to the largest value met: float64 rounds every intermediate result
        tol = 1e-9 * (abs(float(want)) + float(scale))
        assert abs(ours - float(want)) <= tol, (what, expr, a, b, ours, float(want))


# -- property: the compiled loss agrees with exact evaluation on random losses ---------------------
LEAVES = st.sampled_from(["x", "y", "x", "y", "1", "2", "3", "0.5", "2.5", "e"])
UNARY = ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp", "log",
         "sqrt", "abs"]


def _extend(children):
    return st.one_of(
        st.builds("{}({})".format, st.sampled_from(UNARY), children),
        st.builds("({} {} {})".format, children, st.sampled_from("+-*/"), children),
        st.builds("({})^{}".format, children,
                  st.sampled_from(["2", "3", "4", "-1", "-2", "0.5", "1.5", "-0.5", "x", "y"])),
        st.builds("{}({}, {})".format, st.sampled_from(["max", "min"]), children, children),
        st.builds("-({})".format, children),
    )


LOSS_TEXT = st.recursive(LEAVES, _extend, max_leaves=8)
# Points on a grid of eighths (exact in binary: kinks, zeros and domain edges are hit exactly)
# and a few generic values; no random float lands next to a pole, where float64 rounding
# rightly disagrees with 40 digits.
POINT = st.one_of(st.integers(-24, 24).map(lambda k: k / 8),
                  st.sampled_from([0.3, -1.7, 2.9, 0.61, -0.45, 1.3]))


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(text=LOSS_TEXT, points=st.lists(st.tuples(POINT, POINT), min_size=1, max_size=4))
def test_compiled_loss_agrees_with_exact_evaluation(text, points):
    try:
        loss = parse_loss(text)
    except LossError:
        reject()
    a = np.array([p[0] for p in points])
    b = np.array([p[1] for p in points])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f, da, db = loss.value_and_gradient(a, b)
        (haa, hab), (_, hbb) = loss.hessian(a, b)
    (eaa, eab), (_, ebb) = loss.hessian_exprs
    partials = loss.partials
    if not loss.expr.has(sp.Abs):
        # sympy's own derivatives (gdviz differentiates |u| as for a real u; sympy does not):
        # this checks gdviz's differentiation too (the Hessian's rules are the same)
        partials = [sp.diff(loss.expr, s) for s in loss.symbols]
    outputs = {"f": (loss.expr, f), "da": (partials[0], da), "db": (partials[1], db),
               "haa": (eaa, haa), "hab": (eab, hab), "hbb": (ebb, hbb)}
    for what, (expr, got) in outputs.items():
        expr = expr.xreplace(dict(zip(loss.symbols, (X, Y), strict=True)))
        assert got.dtype == np.float64 and got.shape == a.shape
        for i, (pa, pb) in enumerate(points):
            if what != "f" and np.isnan(f[i]) and np.isnan(got[i]):
                continue  # (f undefined there, so are its derivatives: log(y)² at y < 0)
            assert_agrees(float(got[i]), expr, pa, pb, what)


def test_the_reference_catches_a_wrong_value():
    # guards the property test: a value off by 1e-6 or a NaN where there is a value fails
    with pytest.raises(AssertionError):
        assert_agrees(math.sin(0.5) + 1e-6, sp.sin(X), 0.5, 0.0, "f")
    with pytest.raises(AssertionError):
        assert_agrees(math.nan, sp.sin(X), 0.5, 0.0, "f")
    with pytest.raises(AssertionError):
        assert_agrees(0.0, sp.log(X), -1.0, 0.0, "f")  # undefined must be NaN
    assert_agrees(math.nan, sp.log(X), -1.0, 0.0, "f")


@pytest.mark.parametrize(
    ("expr", "a", "b"),
    [(sp.log(X), -1.0, 0.0), (sp.sqrt(X - Y), 0.0, 1.0), (sp.asin(X), 2.0, 0.0),
     (sp.acos(X) * Y, -3.0, 1.0), (X**Y, -2.0, 0.5), (X**sp.Rational(3, 2), -1.0, 0.0),
     (sp.Max(sp.log(X), Y), -1.0, 5.0), (sp.Abs(sp.sqrt(X)), -4.0, 0.0),
     (sp.sign(sp.log(X)) * Y, -1.0, 0.0), (sp.Heaviside(sp.log(X)), -1.0, 0.0)],
)
def test_no_real_value_gives_nan_quietly(expr, a, b):
    (out,) = run([expr], np.array([a, 0.5]), np.array([b, 0.25]))
    assert np.isnan(out[0]) and np.isfinite(out[1])


def test_a_negative_number_to_a_variable_power():
    # (-2)**y is real at integer y; its derivative has log(-2) = log(2) + I*pi: no real value;
    # where f has none (y = 0.5) neither has ∂f/∂x (it was 1 there). Typed, it is refused
    # (the parser's test); compiled, as sympy might make it, it stays real or NaN.
    expr = (-2) ** Y + X
    f, da, db = run([expr, sp.diff(expr, X), sp.diff(expr, Y)], 1.0, np.array([2.0, 0.5]))
    np.testing.assert_array_equal(f, [5.0, np.nan])
    assert np.all(np.isnan(db))
    with pytest.raises(LossError, match="variable power is not real"):
        parse_loss("(-2)^y + x")


def test_poles_give_inf_quietly():
    (f, g) = run([1 / X, sp.log(X) + Y], np.array([0.0, 2.0]), 1.0)
    assert f[0] == math.inf and f[1] == 0.5
    assert g[0] == -math.inf


# -- shapes, constants and the inputs --------------------------------------------------------------
EXPRS = [X**2 + 3 * Y**2, sp.sin(X), Y, sp.Integer(3), sp.pi, X, X * Y]


@pytest.mark.parametrize(
    ("a", "b", "shape"),
    [
        (np.linspace(0, 1, 3).reshape(3, 1), np.linspace(1, 2, 4).reshape(1, 4), (3, 4)),
        (1.0, 2.0, ()),
        (np.array(1.0), np.array(2.0), ()),
        (np.float32(1.0), 2, ()),
        (np.arange(5.0), 2.0, (5,)),
        (1.0, np.arange(6.0).reshape(2, 3), (2, 3)),
        (np.zeros(0), 1.0, (0,)),
        ([1, 2, 3], [[1], [2]], (2, 3)),
    ],
)
def test_every_output_is_a_float64_array_of_the_broadcast_shape(a, b, shape):
    outs = run(EXPRS, a, b)
    assert len(outs) == len(EXPRS)
    for out in outs:
        assert isinstance(out, np.ndarray) and out.dtype == np.float64 and out.shape == shape
        assert out.flags.writeable
    A, B = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
    np.testing.assert_allclose(outs[0], A**2 + 3 * B**2, rtol=1e-15)
    np.testing.assert_array_equal(outs[2], B)
    np.testing.assert_array_equal(outs[3], np.full(shape, 3.0))
    np.testing.assert_array_equal(outs[4], np.full(shape, math.pi))


def test_inputs_are_never_modified_nor_returned():
    a = np.linspace(-2, 2, 50)
    b = np.linspace(1, 3, 50)
    for arr in (a, b):
        arr.flags.writeable = False  # any in-place operation on them would raise
    exprs = [X, Y, X, (X + Y**2 - 7) ** 2, 2 * (X + Y**2 - 7), sp.exp(-X) * sp.sin(Y) ** 3,
             1 / X + sp.sqrt(Y), sp.Max(X, Y)]
    outs = run(exprs, a, b)
    for out in outs:
        assert not np.shares_memory(out, a) and not np.shares_memory(out, b)
    assert len({id(o) for o in outs}) == len(outs)  # x twice: two arrays
    np.testing.assert_array_equal(outs[0], a)
    np.testing.assert_array_equal(outs[1], b)


def test_numeric_constants_fold_to_float64():
    exprs = [sp.Integer(10) ** 400 * X, sp.log(sp.Integer(10) ** 40) * X, X / 10**30,
             sp.Rational(1, 3) * sp.pi * X, sp.exp(-(sp.Integer(10) ** 30)) + X,
             sp.sqrt(2) * X, -(sp.Integer(10) ** 400) + X]
    outs = run(exprs, 1.0, 0.0)
    assert [float(o) for o in outs] == [math.inf, math.log(1e40), 1e-30, math.pi / 3, 1.0,
                                        math.sqrt(2), -math.inf]
    source = generate_source((X, Y), exprs)
    assert "numpy.pi" not in source and "sqrt" not in source and "log" not in source


def test_max_min_abs_sign_heaviside_are_elementwise():
    a = np.array([-2.0, -0.5, 0.0, 1.0, np.nan, 3.0])
    b = np.array([1.0, -1.0, 0.0, 1.0, 0.0, np.nan])
    mx, mn, ab, sg, hv, m3 = run([sp.Max(X, Y), sp.Min(X, Y), sp.Abs(X), sp.sign(X),
                                  sp.Heaviside(X), sp.Max(X, Y, 0)], a, b)
    np.testing.assert_array_equal(mx, [1.0, -0.5, 0.0, 1.0, np.nan, np.nan])
    np.testing.assert_array_equal(mn, [-2.0, -1.0, 0.0, 1.0, np.nan, np.nan])
    np.testing.assert_array_equal(ab, [2.0, 0.5, 0.0, 1.0, np.nan, 3.0])
    np.testing.assert_array_equal(sg, [-1.0, -1.0, 0.0, 1.0, np.nan, 1.0])
    np.testing.assert_array_equal(hv, [0.0, 0.0, 0.5, 1.0, np.nan, 1.0])
    np.testing.assert_array_equal(m3, [1.0, 0.0, 0.0, 1.0, np.nan, np.nan])


def test_loss_with_max_min_abs_differentiates_at_points():
    loss = parse_loss("abs(x - 1) + max(x, y) - min(2x, y)")
    f, da, db = loss.value_and_gradient(np.array([3.0, 0.0, 1.0]), np.array([1.0, 2.0, 1.0]))
    np.testing.assert_array_equal(f, [2.0 + 3.0 - 1.0, 1.0 + 2.0 - 0.0, 0.0 + 1.0 - 1.0])
    np.testing.assert_array_equal(da, [1.0 + 1.0 - 0.0, -1.0 + 0.0 - 2.0, 0.0 + 0.5 - 0.0])
    np.testing.assert_array_equal(db, [0.0 - 1.0, 1.0 - 0.0, 0.5 - 1.0])


# -- the generated code ---------------------------------------------------------------------------
def test_powers_are_multiplications_and_square_roots():
    exprs = [X**n for n in (2, 3, 4, 5, 7, 16, -1, -2, -3)]
    exprs += [X ** sp.Rational(1, 2), X ** sp.Rational(3, 2), X ** sp.Rational(-1, 2),
              X ** sp.Float(2.0)]
    source = generate_source((X, Y), exprs)
    assert "power" not in source
    a = np.linspace(0.1, 3.0, 40)
    outs = run(exprs, a, 0.0)
    for expr, out in zip(exprs, outs, strict=True):
        exponent = float(expr.exp)
        np.testing.assert_allclose(out, np.power(a, exponent), rtol=1e-14, err_msg=str(expr))
    (big, frac, sym) = run([X**17, X ** sp.Rational(1, 3), X**Y], a, 1.5)
    np.testing.assert_allclose(big, a**17, rtol=1e-14)
    np.testing.assert_allclose(frac, np.cbrt(a), rtol=1e-14)
    np.testing.assert_allclose(sym, a**1.5, rtol=1e-14)


def test_common_parts_are_computed_once():
    # Himmelblau: x + y**2 - 7 shared by the loss and its gradient (gdviz keeps 2*(...))
    loss = parse_loss("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    assert "2*(x + y**2 - 7)" in loss.partials_plain[0]
    source = loss._fg.source
    assert source.count("7.0") == 1 and source.count("11.0") == 1
    assert source.count("_gdviz_b*_gdviz_b") == 1


def test_user_names_never_reach_the_code():
    # a variable named like the module: the code only ever says _gdviz_a and _gdviz_b
    loss = parse_loss("numpy*sin(numpy) + exp(a)", variables=("numpy", "a"))
    assert "numpy*" not in loss._fg.source.replace("numpy.", "")
    assert float(loss.value(2.0, 0.0)) == pytest.approx(2 * math.sin(2) + 1.0, rel=1e-15)


def test_deep_nesting_compiles():
    expr = X
    for i in range(300):
        expr = sp.sin(expr) + (Y if i % 7 == 0 else 0)
    (out,) = run([expr], 0.5, 0.25)
    want = 0.5
    for i in range(300):
        want = math.sin(want) + (0.25 if i % 7 == 0 else 0)
    assert float(out) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("expr", [sp.floor(X), sp.gamma(X), X * sp.Symbol("z"), sp.atan2(Y, X),
                                  sp.Derivative(sp.Function("g")(X), X)])
def test_unsupported_nodes_raise_not_implemented(expr):
    with pytest.raises(NotImplementedError):
        compile_exprs((X, Y), [expr])
