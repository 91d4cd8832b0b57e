"""The rules of the step-by-step derivation (:mod:`gdviz.core.derivation`): :class:`_Walker`
walks a sympy expression top-down, applies one differentiation rule per sub-expression and
records each as a :class:`Step` (the derivative before and after it, in LaTeX, and a plain
sentence saying why); :data:`_ELEMENTARY` holds the elementary functions' derivatives.
:func:`~gdviz.core.derivation.derivative_steps` runs the walk and checks its result; the rule
names are listed in :mod:`gdviz.core.derivation`, which re-exports :class:`Step` and
:class:`_Walker`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from gdviz.core import printing
from gdviz.core.board_form import typed_tex, typed_text
from gdviz.core.derivation_sentences import (
    after_note,
    cut,
    held,
    quote,
    sentence,
    simplified_note,
    spelt,
)
from gdviz.core.latex_terms import top_level_terms
from gdviz.core.typed_parts import TypedParts

QUOTIENT_EXPAND_OPS = 24  # a quotient rule numerator at most this long may be multiplied out

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
    sp.Abs: ("abs", sp.sign, " (−1 left of the kink at 0, +1 right of it)"),
}


@dataclass(frozen=True)
class Step:
    """One rule applied to one sub-expression.

    Attributes
    ----------
    rule : str
        The rule's name: ``"sum"``, ``"product"``, ``"chain"``, ``"sin"``, ... (see
        :mod:`gdviz.core.derivation`).
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


def _is_atomic(e: sp.Expr) -> bool:
    return e.is_Atom or isinstance(e, sp.Function)


PLACEHOLDERS = (("u", "v"), ("g", "h"), ("p", "q"), ("r", "s"))
"""Names the rules' sentences give their parts: the first pair neither variable has."""


class _Walker:
    """Recursive walk: records steps top-down and returns each part's derivative; the parts of
    f print as typed where ``typed`` has them (:mod:`gdviz.core.board_form`)."""

    def __init__(self, sym: sp.Symbol, typed: TypedParts | None = None,
                 names: tuple[str, ...] = ()) -> None:
        self.x = sym
        self.typed = typed
        self.name = str(sym)
        self.d_latex = rf"\frac{{\partial}}{{\partial {printing.latex(sym)}}}"
        # The rules' placeholders, named as neither variable is (sin(u·v)'s chain rule said
        # "the inside u = u·v", its product rule "u = v and v = 1 − v")
        taken = {self.name, *names}
        self.pair = next((p for p in PLACEHOLDERS if not taken & set(p)), PLACEHOLDERS[-1])
        self.u = sp.Symbol(self.pair[0])
        self.steps: list[Step] = []
        self._notes: dict[sp.Expr, str] = {}

    # -- LaTeX helpers ---------------------------------------------------------------------
    def tex(self, e: sp.Expr, alone: bool = True) -> str:
        """LaTeX of a part of f (as typed where it can be; bracketed by its sympy form where
        not ``alone``)."""
        return typed_tex(e, self.typed, alone)

    def text(self, e: sp.Expr) -> str:
        """A part of f quoted in a sentence (as typed where it can be)."""
        return quote(e, self.typed)

    def D(self, e: sp.Expr) -> str:  # noqa: N802 - the operator's name
        body = self.tex(e)
        # (bracketed by what is printed: typed 2x − x, sympy's x, read "∂/∂x 2x − x + …",
        # as if only 2x were differentiated)
        bare = _is_atomic(e) and len(top_level_terms(body)) == 1
        return f"{self.d_latex} {body}" if bare else rf"{self.d_latex}\left[{body}\right]"

    def product(self, *pieces: sp.Expr | str) -> str:
        """Juxtapose factors (sympy expressions, or LaTeX strings of ∂/∂ pieces)."""
        out = ""
        for k, p in enumerate(pieces):
            if not isinstance(p, str) and p == -1 and not out:
                out = "-"
                continue
            if isinstance(p, str):  # a ∂/∂ piece: bracketed when more factors follow it
                s = p if k == len(pieces) - 1 else rf"\left({p}\right)"
            else:
                s = self.tex(p, alone=False)
                if p.is_Add or (p.could_extract_minus_sign() and out):
                    s = rf"\left({s}\right)"
            if not out or out == "-":
                out += s
            else:
                sep = r" \cdot " if s[0].isdigit() or out[-1].isdigit() else r" \, "
                out = f"{out}{sep}{s}"
        return out

    def note(self, e: sp.Expr) -> str:
        """:func:`simplified_note` of part ``e`` (once a part: its parent asks again)."""
        if e not in self._notes:
            # (only a part with typed text of its own can have been read as another: the
            # rest is built of such parts, each asked on its own)
            own = self.typed.plain(e, True) if self.typed else None
            self._notes[e] = simplified_note(spelt(own), spelt(typed_text(e, None)),
                                             cut) if own else ""
        return self._notes[e]

    def add(self, rule: str, e: sp.Expr, after: str, explanation: str, depth: int,
            function: str = "") -> None:
        # (the step shows e as typed, its rule is sympy's form's: say where they differ, on
        # the part sympy rewrote, not again on each part holding it)
        note = ""
        if self.typed and not any(self.note(a) for a in e.args):
            note = self.note(e)
        why = note + after_note(explanation) if note else explanation
        self.steps.append(Step(rule, self.D(e), after, why, depth, function))

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
        self.add("derivative", e, printing.latex(result),
                 "sympy differentiates this part directly.", depth)
        return result

    def constant(self, e: sp.Expr, depth: int) -> sp.Expr:
        if e.is_Symbol:
            why = (f"{e} does not depend on {self.name}, so it is treated as a constant and "
                   "its derivative is 0.")
        elif e.is_number:
            why = f"{self.text(e)} is a constant, so its derivative is 0."
        else:
            # (what sympy made of it where that differs, as the note before says: "x^0 + y
            # simplifies to y + 1; x^0 + y does not contain x" beside an x)
            plain = quote(e) if self.typed and self.note(e) else self.text(e)
            why = (f"{plain} does not contain {self.name}{held(e)}, so it is a constant "
                   "and its derivative is 0.")
        self.add("constant", e, "0", why, depth)
        return sp.Integer(0)

    def sum(self, e: sp.Expr, depth: int) -> sp.Expr:
        terms = (self.typed and self.typed.terms(e)) or e.as_ordered_terms()
        parts = [(-1, -t) if t.could_extract_minus_sign() else (1, t) for t in terms]
        after = ""
        for sign, t in parts:
            after += (" - " if sign < 0 else " + " if after else "") + self.D(t)
        minus = " (a minus sign stays in front of its term)" if any(s < 0 for s, _ in parts) else ""
        # (a term typed with no minus that is negative: (-8)^(1/3)*w1^2 is −2·w1², its
        # minus sign said where it comes from)
        made = [f"{sentence(own)} is {quote(t)}" for t in terms if t.could_extract_minus_sign()
                and (own := self.typed and self.typed.plain(t, True)) and own[0] != "-"]
        minus = minus[:-1] + f": {', '.join(made)})" if made else minus
        self.add("sum", e, after.strip(), "Sum rule: the derivative of a sum is the sum of the "
                 f"derivatives, so each of the {len(parts)} terms is differentiated on its own"
                 f"{minus}.", depth)
        return sp.Add(*(sign * self.d(t, depth + 1) for sign, t in parts))

    def mul(self, e: sp.Expr, depth: int) -> sp.Expr:
        c, g = e.as_independent(self.x, as_Add=False)
        if c != 1:
            if c == -1:
                why = "The minus sign is a constant factor, so it stays in front"
            elif c.is_number:  # ((-8)^(2/3) = 4: the number as typed, and its value)
                own = sentence(self.typed.written(c, e) or "") if self.typed else ""
                shown = f"{own} = {self.text(c)}" if own and own != self.text(c) else \
                    self.text(c)
                why = f"The constant factor {shown} stays in front"
            else:
                why = (f"{self.text(c)} does not depend on {self.name}{held(c)}, so it stays as a "
                       "factor")
            self.add("constant multiple", e, self.product(c, self.D(g)),
                     f"{why} and only {self.text(g)} is differentiated.", depth)
            return c * self.d(g, depth + 1)
        factors = (self.typed and self.typed.factors(g)) or list(g.as_ordered_factors())
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
            u, v = self.pair
            why = (f"Product rule: ({u}*{v})' = {u}'*{v} + {u}*{v}' with {u} = "
                   f"{self.text(factors[0])} and {v} = {self.text(factors[1])}.")
        else:
            why = (f"Product rule for {len(factors)} factors: differentiate one factor at a time, "
                   "keep the others, and add the results.")
        self.add("product", e, " + ".join(terms), why, depth)
        derivs = [self.d(f, depth + 1) for f in factors]
        return sp.Add(*(sp.Mul(*factors[:i], derivs[i], *factors[i + 1:])
                        for i in range(len(factors))))

    def quotient(self, e: sp.Expr, u: sp.Expr, v: sp.Expr, depth: int) -> sp.Expr:
        top = f"{self.product(self.D(u), v)} - {self.product(u, self.D(v))}"
        a, b = self.pair
        self.add("quotient", e, rf"\frac{{{top}}}{{{printing.latex(v**2)}}}",
                 f"Quotient rule: ({a}/{b})' = ({a}'*{b} - {a}*{b}')/{b}^2 with {a} = "
                 f"{self.text(u)} and {b} = {self.text(v)}.", depth)
        du, dv = self.d(u, depth + 1), self.d(v, depth + 1)
        top = du * v - u * dv
        # (w1 − w2) − (w1 + w2) reads better as −2·w2: a small numerator is multiplied out
        # when that makes it shorter (a large one is left as the rule gives it: expanding it
        # could take long and read worse).
        if sp.count_ops(top) <= QUOTIENT_EXPAND_OPS:
            flat = sp.expand(top)
            if sp.count_ops(flat) < sp.count_ops(top):
                top = flat
        return top / v**2

    def power(self, e: sp.Expr, depth: int) -> sp.Expr:
        base, n = e.base, e.exp
        x = self.x
        if not n.has(x):
            if n == sp.S.Half:
                return self.outer(e, base, "sqrt", sp.sqrt, lambda w: 1 / (2 * sp.sqrt(w)), "",
                                  depth)
            return self.outer(e, base, "power", lambda w: w**n, lambda w: n * w ** (n - 1),
                              f" by the power rule{held(n)}", depth)
        if not base.has(x):
            return self.outer(e, n, "exponential", lambda w: base**w,
                              lambda w: base**w * sp.log(base, evaluate=not base.is_Float),
                              held(base), depth)
        inner = n * sp.log(base)
        whole, exponent = self.text(e), self.text(inner)
        self.add("exponential", e, self.product(e, self.D(inner)),
                 f"Both base and exponent depend on {self.name}, so write {whole} as "
                 f"exp({exponent}); by the chain rule its derivative is {whole} times "
                 f"the derivative of {exponent}.", depth, "exp")
        return e * self.d(inner, depth + 1)

    def outer(self, e: sp.Expr, arg: sp.Expr, name: str, shape: Callable[[sp.Expr], sp.Expr],
              fprime: Callable[[sp.Expr], sp.Expr], remark: str, depth: int) -> sp.Expr:
        """An elementary rule on the outside; a chain step when the inside is not just x.

        ``shape(w)`` is the outer function applied to w, ``fprime(w)`` its derivative.
        """
        if arg == self.x:
            value = fprime(self.x)
            self.add(name, e, printing.latex(value),
                     f"The derivative of {self.text(shape(self.x))} is {self.text(value)}{remark}.",
                     depth, name)
            return value
        u = self.u
        outside = fprime(arg)
        self.add("chain", e, self.product(outside, self.D(arg)),
                 f"Chain rule: the derivative of {quote(shape(u))} is {quote(fprime(u))}"
                 f"{remark}, times the derivative of the inside {u} = {self.text(arg)}.", depth,
                 name)
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
                   "that argument's derivative, switched on and off by the step function: "
                   f"step({self.u}) is 1 where {self.u} > 0 and 0 where {self.u} < 0")
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
