"""A derivative written as a teacher would write it: small, safe rewrites for display only.

The derivative rules give what the chain rule gives, step by step: log(cosh(3w1))
differentiates to 3·sinh(3w1)/cosh(3w1), where the board has 3·tanh(3w1); the cross-entropy
of a softmax, −log(e^{w1}/(e^{w1} + e^{w2})), to −(e^{w1}/S − e^{2w1}/S²)·S·e^{−w1}, where
the board has −e^{w2}/S. :func:`tidy_derivative` rewrites sinh/cosh as tanh, and cancels a
fraction where that at least halves it. The compiled gradient keeps the rules' own form (a
cancelled form can overflow where the original does not); both are the same function.
"""

from __future__ import annotations

import sympy as sp

__all__ = ["tidy_derivatives", "tidy_derivative"]

CANCEL_MOST_NODES = 120
"""The largest derivative (in expression nodes) that is offered to ``sympy.cancel``."""
CANCEL_MOST_POWER = 3
"""Nor one with a sum raised to a whole power beyond this: cancel multiplies it out, and
1/(1 + e^{w1} + e^{w2} + e^{w1w2})²⁰, 23 nodes, took 24 seconds."""
CANCEL_BUDGET = 0.08
"""Seconds the cancel may take (:func:`gdviz.core.watchdog.call_with_budget`) before the
derivative is shown as the rules give it (a logistic loss over three points took 0.4)."""
CANCEL_AT_MOST = 0.5
"""A cancelled form is shown when it has at most this share of the operations (a sigmoid's
w2·e^{−w1w2}/(1 + e^{−w1w2})² cancels to a longer fraction, e^{2w1w2} + 2e^{w1w2} + 1 below;
the chain rule's own form is kept then)."""


def tidy_derivative(expr: sp.Expr, at_most: float = CANCEL_AT_MOST) -> sp.Expr:
    """``expr`` (a derivative) with sinh(u)/cosh(u) written tanh(u), cancelled where that
    leaves at most ``at_most`` of its operations (within :data:`CANCEL_BUDGET`: else as it
    is).

    Examples
    --------
    >>> from sympy.abc import x, y
    >>> tidy_derivative(3 * sp.sinh(3 * x) / sp.cosh(3 * x))
    3*tanh(3*x)
    >>> s = sp.exp(x) + sp.exp(y)
    >>> tidy_derivative(-(sp.exp(x) / s - sp.exp(2 * x) / s**2) * s * sp.exp(-x))
    -exp(y)/(exp(x) + exp(y))
    >>> tidy_derivative(2 * x * sp.cos(x**2))
    2*x*cos(x**2)
    >>> u = sp.Symbol("u", real=True)
    >>> tidy_derivative(sp.diff(sp.log(sp.Abs(u)), u))  # (sign(u)/|u|, as the rules give it)
    1/u
    """
    from gdviz.core.watchdog import call_with_budget

    try:
        out = _sign_over_abs(_tanh(expr))
    except Exception:  # noqa: BLE001 - not expected: a display nicety, never a failure
        return expr
    if not _worth_cancelling(out):
        return out
    try:
        return call_with_budget(CANCEL_BUDGET, _cancelled, out, at_most)
    except Exception:  # noqa: BLE001 - over budget (BudgetExceeded), or as above
        return out


def tidy_derivatives(partials: tuple[sp.Expr, sp.Expr]) -> tuple[sp.Expr, sp.Expr]:
    """Both partial derivatives tidied (:func:`tidy_derivative`), alike: where one is
    cancelled, the other is too unless that makes it longer (the logistic loss's ∂f/∂w1 read
    −2/(e^{2w1+w2} + 1) beside ∂f/∂w2 = −e^{−2w1−w2}/(e^{−2w1−w2} + 1), whose cancelled form
    was not quite half as long: that ∂f/∂w1 = 2·∂f/∂w2 did not show)."""
    shown = [tidy_derivative(p) for p in partials]
    try:
        cancelled = [_sign_over_abs(_tanh(p)) != s for p, s in zip(partials, shown, strict=True)]
    except Exception:  # noqa: BLE001 - not expected (see tidy_derivative): each as it is
        return shown[0], shown[1]
    for i in (0, 1):
        if cancelled[1 - i] and not cancelled[i]:
            shown[i] = tidy_derivative(partials[i], at_most=1.0)
    return shown[0], shown[1]


def _worth_cancelling(expr: sp.Expr) -> bool:
    """Whether ``expr`` has a fraction or exponentials to cancel, is small enough, and has
    no sum raised to a large whole power."""
    powers = expr.atoms(sp.Pow)
    if not (expr.has(sp.exp) or any(p.exp.is_negative for p in powers)):
        return False
    if any(p.base.is_Add and p.exp.is_Integer and abs(int(p.exp)) > CANCEL_MOST_POWER
           for p in powers):
        return False
    return _nodes(expr) <= CANCEL_MOST_NODES


def _cancelled(expr: sp.Expr, at_most: float) -> sp.Expr:
    """``expr`` cancelled where that leaves ``at_most`` of its operations, else ``expr``."""
    from gdviz.core.printing import whole_numbers

    cancelled = sp.cancel(expr)
    # (e^{w1}·e^{w2} as e^{w1 + w2}; a 1.0 cancel made of a typed 0.3 and 0.7 as 1)
    cancelled = sp.powsimp(whole_numbers(cancelled), deep=True, combine="exp")
    if sp.count_ops(cancelled) <= at_most * sp.count_ops(expr):
        return cancelled
    return expr


def _tanh(expr: sp.Expr) -> sp.Expr:
    """sinh(u)^k · cosh(u)^−k in a product written tanh(u)^k."""
    def rewrite(product: sp.Expr) -> sp.Expr:
        powers = [f.as_base_exp() for f in product.args]
        sinh = {base.args[0]: k for base, k in powers if isinstance(base, sp.sinh)}
        pairs = {base.args[0] for base, k in powers
                 if isinstance(base, sp.cosh) and sinh.get(base.args[0]) == -k}
        if not pairs:
            return product
        kept = [f for f, (base, _) in zip(product.args, powers, strict=True)
                if not (isinstance(base, (sp.sinh, sp.cosh)) and base.args[0] in pairs)]
        return sp.Mul(*kept, *(sp.tanh(u) ** sinh[u] for u in pairs))

    if not expr.has(sp.sinh) or not expr.has(sp.cosh):
        return expr
    return expr.replace(lambda e: e.is_Mul, rewrite)


def _sign_over_abs(expr: sp.Expr) -> sp.Expr:
    """sign(u)·|u|⁻¹ in a product written 1/u, as the board has (ln|u|)′ = 1/u (the rules
    give sign(u)/|u|; the two differ only at u = 0, where neither is defined)."""
    def rewrite(product: sp.Expr) -> sp.Expr:
        powers = [f.as_base_exp() for f in product.args]
        signs = {base.args[0] for base, k in powers if isinstance(base, sp.sign) and k == 1}
        pairs = {base.args[0] for base, k in powers
                 if isinstance(base, sp.Abs) and k == -1 and base.args[0] in signs}
        if not pairs:
            return product
        kept = [f for f, (base, _) in zip(product.args, powers, strict=True)
                if not (isinstance(base, (sp.sign, sp.Abs)) and base.args[0] in pairs)]
        return sp.Mul(*kept, *(1 / u for u in pairs))

    if not expr.has(sp.sign) or not expr.has(sp.Abs):
        return expr
    return expr.replace(lambda e: e.is_Mul, rewrite)


def _nodes(expr: sp.Expr) -> int:
    """How many nodes ``expr``'s tree has (stopping counting past the cancel limit)."""
    n = 0
    for _ in sp.preorder_traversal(expr):
        n += 1
        if n > CANCEL_MOST_NODES:
            break
    return n
