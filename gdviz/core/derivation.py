"""Step-by-step derivation of a partial derivative, as a student writes it on the board.

:func:`derivative_steps` walks the sympy expression tree top-down (outer rule first) and
records one :class:`Step` per rule applied: sum, constant multiple, product, quotient, chain,
power, exponential and the elementary functions. The result is built bottom-up from the same
rules, never by differentiating the whole expression at once, so it keeps the form the lecture
writes (``cos(w1)*w2*(1 - w2)``, not expanded). It is then checked against ``sympy.diff``; in
the unlikely case that check fails, ``sympy.diff``'s answer is used instead.

Rule names (``Step.rule``): ``"sum"`` (also for differences), ``"constant multiple"``,
``"constant"`` (derivative of a constant or of the other variable is 0), ``"variable"``
(d/dx x = 1), ``"power"``, ``"product"``, ``"quotient"``, ``"chain"``, ``"exponential"`` (a^x,
and f^g written as exp(g·ln f)), the elementary functions ``"sin"``, ``"cos"``, ``"tan"``,
``"asin"``, ``"acos"``, ``"atan"``, ``"sinh"``, ``"cosh"``, ``"tanh"``, ``"exp"``, ``"log"``,
``"sqrt"``, ``"abs"``, ``"max"``, ``"min"``, and ``"too long"`` (a single step for expressions
with more than :data:`MAX_OPERATIONS` operations). ``Step.function`` names the elementary rule
used on the outside of a chain step (``"sin"``, ``"power"``, ``"exp"``, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp
from sympy.core.parameters import distribute
from sympy.printing.precedence import PRECEDENCE, precedence

from gdviz.core.loss import ElementwisePrinter

MAX_OPERATIONS = 400  # beyond this, a single "too long" step and sympy's own derivative
MAX_TEXT = 48  # longest expression quoted in an explanation sentence
_KINKS = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min, sp.re, sp.im)

# sympy function -> (rule name, derivative of the outer function at u, optional remark)
_ELEMENTARY: dict[type, tuple[str, Callable[[sp.Expr], sp.Expr], str]] = {
    sp.sin: ("sin", sp.cos, ""),
    sp.cos: ("cos", lambda u: -sp.sin(u), ""),
    sp.tan: ("tan", lambda u: 1 + sp.tan(u) ** 2, " (that is sec^2)"),
    sp.asin: ("asin", lambda u: 1 / sp.sqrt(1 - u**2), ""),
    sp.acos: ("acos", lambda u: -1 / sp.sqrt(1 - u**2), ""),
    sp.atan: ("atan", lambda u: 1 / (1 + u**2), ""),
    sp.sinh: ("sinh", sp.cosh, ""),
    sp.cosh: ("cosh", sp.sinh, ""),
    sp.tanh: ("tanh", lambda u: 1 - sp.tanh(u) ** 2, ""),
    sp.exp: ("exp", sp.exp, " (exp is its own derivative)"),
    sp.log: ("log", lambda u: 1 / u, " (log is the natural logarithm ln)"),
    sp.Abs: ("abs", sp.sign, " (-1 left of the kink at 0, +1 right of it)"),
}

# fixed, irregular sample points for the numeric check of the result (several scales, so that
# log, sqrt, asin, ... find points inside their domains)
_POINTS = np.array([
    [0.37, -1.21], [1.73, 0.61], [-0.83, 2.29], [0.55, 0.45], [2.61, -0.31], [-1.93, -0.71],
    [0.12, 0.88], [3.31, 1.43], [0.71, -0.19], [-0.27, 0.33], [1.17, 2.71], [-2.47, 1.09],
    [0.93, 1.37], [-0.61, -0.47], [5.3, 0.23], [0.29, 4.1],
]).T  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One rule applied to one sub-expression.

    Attributes
    ----------
    rule : str
        The rule's name: ``"sum"``, ``"product"``, ``"chain"``, ``"sin"``, ... (see module doc).
    before_latex : str
        LaTeX of the derivative being worked on, e.g. ``\\frac{\\partial}{\\partial x} ...``.
    after_latex : str
        LaTeX of what it becomes; may still hold ∂/∂ of inner parts, worked out in later steps.
    explanation : str
        One plain sentence saying what was done and why.
    depth : int
        Nesting level (0 for the whole function), for collapsible display.
    function : str
        The elementary rule used on the outside (``"sin"``, ``"power"``, ``"exp"``, ...) for
        chain steps and elementary steps; ``""`` for structural rules such as ``"sum"``.
    """

    rule: str
    before_latex: str
    after_latex: str
    explanation: str
    depth: int = 0
    function: str = ""


@dataclass(frozen=True)
class Derivation:
    """The step-by-step derivation of ∂f/∂variable.

    Attributes
    ----------
    variable : str
        Name of the variable differentiated by.
    expr : sympy.Expr
        The function f.
    steps : tuple[Step, ...]
        Top-down: the outermost rule first, inner parts after, each with its ``depth``.
    result : sympy.Expr
        The derivative, built from the rules; equal to ``sympy.diff(expr, variable)``.
    latex : str
        LaTeX of ``result``.
    from_rules : bool
        False when ``result`` is sympy's own derivative (expression too long, or the
        step-by-step form could not be confirmed equal to it).
    """

    variable: str
    expr: sp.Expr
    steps: tuple[Step, ...]
    result: sp.Expr
    latex: str
    from_rules: bool = True

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule name of every step, in order."""
        return tuple(s.rule for s in self.steps)


def _text(e: sp.Expr) -> str:
    s = sp.sstr(e).replace("**", "^").replace("Abs(", "abs(")
    return s if len(s) <= MAX_TEXT else s[: MAX_TEXT - 1] + "…"


def _held(e: sp.Expr) -> str:
    names = sorted(str(s) for s in e.free_symbols)
    if not names:
        return ""
    return f" ({', '.join(names)} {'is' if len(names) == 1 else 'are'} held constant)"


def _is_atomic(e: sp.Expr) -> bool:
    return e.is_Atom or isinstance(e, sp.Function)


class _Walker:
    """Recursive walk: records steps top-down and returns each part's derivative."""

    def __init__(self, sym: sp.Symbol) -> None:
        self.x = sym
        self.name = str(sym)
        self.d_latex = rf"\frac{{\partial}}{{\partial {sp.latex(sym)}}}"
        self.u = sp.Symbol("g" if self.name == "u" else "u")
        self.steps: list[Step] = []

    # -- LaTeX helpers ---------------------------------------------------------------------
    def D(self, e: sp.Expr) -> str:  # noqa: N802 - the operator's name
        body = sp.latex(e)
        return f"{self.d_latex} {body}" if _is_atomic(e) else rf"{self.d_latex}\left[{body}\right]"

    @staticmethod
    def product(*pieces: sp.Expr | str) -> str:
        """Juxtapose factors (sympy expressions, or LaTeX strings of ∂/∂ pieces)."""
        out = ""
        for k, p in enumerate(pieces):
            if not isinstance(p, str) and p == -1 and not out:
                out = "-"
                continue
            if isinstance(p, str):  # a ∂/∂ piece: bracketed when more factors follow it
                s = p if k == len(pieces) - 1 else rf"\left({p}\right)"
            else:
                s = sp.latex(p)
                if p.is_Add or (p.could_extract_minus_sign() and out):
                    s = rf"\left({s}\right)"
            if not out or out == "-":
                out += s
            else:
                sep = r" \cdot " if s[0].isdigit() or out[-1].isdigit() else r" \, "
                out = f"{out}{sep}{s}"
        return out

    def add(self, rule: str, e: sp.Expr, after: str, explanation: str, depth: int,
            function: str = "") -> None:
        self.steps.append(Step(rule, self.D(e), after, explanation, depth, function))

    # -- the walk --------------------------------------------------------------------------
    def d(self, e: sp.Expr, depth: int) -> sp.Expr:
        x = self.x
        if not e.has(x):
            return self.constant(e, depth)
        if e == x:
            self.add("variable", e, "1", f"The derivative of {self.name} with respect to "
                     "itself is 1.", depth)
            return sp.Integer(1)
        if e.is_Add:
            return self.sum(e, depth)
        if e.is_Mul:
            return self.mul(e, depth)
        if e.is_Pow:
            return self.power(e, depth)
        if isinstance(e, sp.Function) and type(e) in _ELEMENTARY and len(e.args) == 1:
            name, fprime, remark = _ELEMENTARY[type(e)]
            return self.outer(e, e.args[0], name, e.func, fprime, remark, depth)
        if isinstance(e, sp.Max | sp.Min | sp.Function):
            return self.function(e, depth)
        result = sp.diff(e, x)  # nothing the parser builds lands here
        self.add("derivative", e, sp.latex(result), "sympy differentiates this part directly.",
                 depth)
        return result

    def constant(self, e: sp.Expr, depth: int) -> sp.Expr:
        if e.is_Symbol:
            why = (f"{e} does not depend on {self.name}, so it is treated as a constant and "
                   "its derivative is 0.")
        elif e.is_number:
            why = f"{_text(e)} is a constant, so its derivative is 0."
        else:
            why = (f"{_text(e)} does not contain {self.name}{_held(e)}, so it is a constant "
                   "and its derivative is 0.")
        self.add("constant", e, "0", why, depth)
        return sp.Integer(0)

    def sum(self, e: sp.Expr, depth: int) -> sp.Expr:
        parts = [(-1, -t) if t.could_extract_minus_sign() else (1, t)
                 for t in e.as_ordered_terms()]
        after = ""
        for sign, t in parts:
            after += (" - " if sign < 0 else " + " if after else "") + self.D(t)
        minus = " (a minus sign stays in front of its term)" if any(s < 0 for s, _ in parts) else ""
        self.add("sum", e, after.strip(), "Sum rule: the derivative of a sum is the sum of the "
                 f"derivatives, so each of the {len(parts)} terms is differentiated on its own"
                 f"{minus}.", depth)
        return sp.Add(*(sign * self.d(t, depth + 1) for sign, t in parts))

    def mul(self, e: sp.Expr, depth: int) -> sp.Expr:
        c, g = e.as_independent(self.x, as_Add=False)
        if c != 1:
            if c == -1:
                why = "The minus sign is a constant factor, so it stays in front"
            elif c.is_number:
                why = f"The constant factor {_text(c)} stays in front"
            else:
                why = (f"{_text(c)} does not depend on {self.name}{_held(c)}, so it stays as a "
                       "factor")
            self.add("constant multiple", e, self.product(c, self.D(g)),
                     f"{why} and only {_text(g)} is differentiated.", depth)
            return c * self.d(g, depth + 1)
        factors = list(g.as_ordered_factors())
        den = [f for f in factors if f.is_Pow and f.exp.is_number and f.exp.is_negative]
        num = [f for f in factors if f not in den]
        if den:
            v = sp.Mul(*(f.base ** -f.exp for f in den))
            if num:
                return self.quotient(e, sp.Mul(*num), v, depth)
            if len(den) > 1:  # 1/(v1*v2*...): one reciprocal 1/v, by the chain rule
                return self.outer(e, v, "power", lambda w: 1 / w, lambda w: -1 / w**2,
                                  " by the power rule", depth)
        terms = [self.product(*(self.D(f) if j == i else f for j, f in enumerate(factors)))
                 for i in range(len(factors))]
        if len(factors) == 2:
            why = (f"Product rule: (u*v)' = u'*v + u*v' with u = {_text(factors[0])} and "
                   f"v = {_text(factors[1])}.")
        else:
            why = (f"Product rule for {len(factors)} factors: differentiate one factor at a time, "
                   "keep the others, and add the results.")
        self.add("product", e, " + ".join(terms), why, depth)
        derivs = [self.d(f, depth + 1) for f in factors]
        return sp.Add(*(sp.Mul(*factors[:i], derivs[i], *factors[i + 1:])
                        for i in range(len(factors))))

    def quotient(self, e: sp.Expr, u: sp.Expr, v: sp.Expr, depth: int) -> sp.Expr:
        top = f"{self.product(self.D(u), v)} - {self.product(u, self.D(v))}"
        self.add("quotient", e, rf"\frac{{{top}}}{{{sp.latex(v**2)}}}",
                 f"Quotient rule: (u/v)' = (u'*v - u*v')/v^2 with u = {_text(u)} and "
                 f"v = {_text(v)}.", depth)
        du, dv = self.d(u, depth + 1), self.d(v, depth + 1)
        return (du * v - u * dv) / v**2

    def power(self, e: sp.Expr, depth: int) -> sp.Expr:
        base, n = e.base, e.exp
        x = self.x
        if not n.has(x):
            if n == sp.S.Half:
                return self.outer(e, base, "sqrt", sp.sqrt, lambda w: 1 / (2 * sp.sqrt(w)), "",
                                  depth)
            return self.outer(e, base, "power", lambda w: w**n, lambda w: n * w ** (n - 1),
                              f" by the power rule{_held(n)}", depth)
        if not base.has(x):
            return self.outer(e, n, "exponential", lambda w: base**w,
                              lambda w: base**w * sp.log(base), _held(base), depth)
        inner = n * sp.log(base)
        self.add("exponential", e, self.product(e, self.D(inner)),
                 f"Both base and exponent depend on {self.name}, so write {_text(e)} as "
                 f"exp({_text(inner)}); by the chain rule its derivative is {_text(e)} times "
                 f"the derivative of {_text(inner)}.", depth, "exp")
        return e * self.d(inner, depth + 1)

    def outer(self, e: sp.Expr, arg: sp.Expr, name: str, shape: Callable[[sp.Expr], sp.Expr],
              fprime: Callable[[sp.Expr], sp.Expr], remark: str, depth: int) -> sp.Expr:
        """An elementary rule on the outside; a chain step when the inside is not just x.

        ``shape(w)`` is the outer function applied to w, ``fprime(w)`` its derivative.
        """
        if arg == self.x:
            value = fprime(self.x)
            self.add(name, e, sp.latex(value), f"The derivative of {_text(shape(self.x))} is "
                     f"{_text(value)}{remark}.", depth, name)
            return value
        u = self.u
        outside = fprime(arg)
        self.add("chain", e, self.product(outside, self.D(arg)),
                 f"Chain rule: the derivative of {_text(shape(u))} is {_text(fprime(u))}"
                 f"{remark}, times the derivative of the inside {u} = {_text(arg)}.", depth, name)
        return outside * self.d(arg, depth + 1)

    def function(self, e: sp.Expr, depth: int) -> sp.Expr:
        """max/min (and any other function sympy knows the partials of): one term per arg."""
        name = {sp.Max: "max", sp.Min: "min"}.get(type(e), type(e).__name__.lower())
        idx = [i for i, a in enumerate(e.args) if a.has(self.x)]
        partials = [e.fdiff(i + 1) for i in idx]
        trivial = all(e.args[i] == self.x for i in idx)
        after = " + ".join(self.product(p, *(() if e.args[i] == self.x else (self.D(e.args[i]),)))
                           for p, i in zip(partials, idx, strict=True))
        if name in ("max", "min"):
            which = "larger" if name == "max" else "smaller"
            why = (f"{name}(a, b) follows whichever argument is {which}, so its derivative is "
                   "that argument's derivative, switched on and off by the Heaviside step function")
        else:
            why = f"The derivative of {name} comes from its partial derivatives"
        if not trivial:
            why += ", times the derivative of each inside argument (chain rule)"
        self.add(name if trivial else "chain", e, after, why + ".", depth, name)
        terms = []
        for p, i in zip(partials, idx, strict=True):
            a = e.args[i]
            terms.append(p if a == self.x else p * self.d(a, depth + 1))
        return sp.Add(*terms)


def _values(f, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"):
        va, vb = (np.broadcast_to(np.asarray(v, dtype=complex), points[0].shape)
                  for v in f(points[0], points[1]))
    return va, vb


def _agrees(a: sp.Expr, b: sp.Expr, symbols: tuple[sp.Symbol, sp.Symbol]) -> bool:
    """True when a and b are identical, or equal wherever both are finite at sample points.

    Real sample points first; where no point gives a real value (say sqrt of a negative
    everywhere) complex points, unless kinks (abs, sign, max, min) make that meaningless.
    """
    if a == b or a - b == 0:
        return True
    try:
        f = sp.lambdify(symbols, [a, b], modules="numpy", printer=ElementwisePrinter,
                        docstring_limit=0)
        va, vb = _values(f, _POINTS)
        ok = np.isfinite(va) & np.isfinite(vb) & (abs(va.imag) < 1e-9) & (abs(vb.imag) < 1e-9)
        if not ok.any() and not (a.has(*_KINKS) or b.has(*_KINKS)):
            va, vb = _values(f, _POINTS + 0.3j)
            ok = np.isfinite(va) & np.isfinite(vb)
        scale = 1 + np.maximum(abs(va[ok]), abs(vb[ok]))
        return bool(ok.any()) and bool(np.all(abs(va[ok] - vb[ok]) <= 1e-7 * scale))
    except Exception:  # noqa: BLE001 - an odd function numpy cannot print: not confirmed
        return False


def _resolve(loss, variable: str | int) -> tuple[str, sp.Symbol, int]:
    names = tuple(loss.variables)
    if isinstance(variable, int) and not isinstance(variable, bool):
        if variable not in (0, 1):
            raise ValueError(f"variable index must be 0 or 1, not {variable}")
        return names[variable], loss.symbols[variable], variable
    if isinstance(variable, str) and variable in names:
        i = names.index(variable)
        return names[i], loss.symbols[i], i
    raise ValueError(f"unknown variable {variable!r}: this loss uses {names[0]} and {names[1]}")


def derivative_steps(loss, variable: str | int) -> Derivation:
    """Derive ∂f/∂variable step by step, as a student would on the board.

    Parameters
    ----------
    loss : Loss
        A parsed loss (:func:`gdviz.parse_loss`); uses ``.expr``, ``.symbols``, ``.variables``.
    variable
        The variable's name (one of ``loss.variables``) or its index, 0 or 1.

    Returns
    -------
    Derivation
        Steps top-down (outer rule first) and the result, equal to ``sympy.diff``.

    Raises
    ------
    ValueError
        For a variable the loss does not have.

    Examples
    --------
    >>> from gdviz import parse_loss
    >>> d = derivative_steps(parse_loss("sin(x^2)"), "x")
    >>> d.rules
    ('chain', 'power')
    >>> d.result
    2*x*cos(x**2)
    """
    name, sym, index = _resolve(loss, variable)
    expr = loss.expr
    walker = _Walker(sym)
    partials = getattr(loss, "partials", None)  # a Loss has sympy.diff's answers already
    reference = partials[index] if partials is not None else sp.diff(expr, sym)
    if sp.count_ops(expr) > MAX_OPERATIONS:
        step = Step("too long", walker.D(expr), sp.latex(reference),
                    "This expression is too long to show step by step, so only the final "
                    "derivative is shown.", 0)
        return Derivation(name, expr, (step,), reference, sp.latex(reference), False)
    with distribute(False):  # keep 2*(x + 1) as the board has it, not 2*x + 2
        result = walker.d(expr, 0)
    from_rules = _agrees(result, reference, tuple(loss.symbols))
    if not from_rules:
        result = reference
    return Derivation(name, expr, tuple(walker.steps), result,
                      _board_latex(expr, result, sym), from_rules)


def _board_latex(expr: sp.Expr, result: sp.Expr, sym: sp.Symbol) -> str:
    """LaTeX of the result in the order the board has it: cos(w1)·w2(1−w2).

    sympy sorts the factors of a product (symbols first), so the derivative of
    sin(w1)·w2(1−w2) would print as w2(1−w2)cos(w1). When the loss is a held constant times a
    part that varies, print the derivative of that part first and the constant after it.
    """
    held, _ = expr.as_independent(sym, as_Add=False)
    if held == 1 or held.is_number:
        return sp.latex(result)
    with distribute(False):
        varying = result / held
    if varying.has(held) or not varying.has(sym):
        return sp.latex(result)
    return rf"{_factor_latex(varying)} \cdot {_factor_latex(held)}"


def _factor_latex(factor: sp.Expr) -> str:
    """LaTeX of one factor of a product: bracketed when it binds less tightly than a product
    (a sum, or a term with a minus sign): (1 − 2w2) · sin(w1), not 1 − 2w2 · sin(w1)."""
    text = sp.latex(factor)
    if precedence(factor) < PRECEDENCE["Mul"]:
        return rf"\left({text}\right)"
    return text
