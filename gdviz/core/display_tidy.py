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

__all__ = ["tidy_derivative"]

CANCEL_MOST_NODES = 120
"""The largest derivative (in expression nodes) that is offered to ``sympy.cancel``: its
polynomial arithmetic grows fast with the size (a few milliseconds at this size)."""
CANCEL_AT_MOST = 0.5
"""A cancelled form is shown when it has at most this share of the operations (a sigmoid's
w2·e^{−w1w2}/(1 + e^{−w1w2})² cancels to a longer fraction, e^{2w1w2} + 2e^{w1w2} + 1 below;
the chain rule's own form is kept then)."""


def tidy_derivative(expr: sp.Expr) -> sp.Expr:
    """``expr`` (a derivative) with sinh(u)/cosh(u) written tanh(u), cancelled where that
    leaves at most :data:`CANCEL_AT_MOST` of its operations.

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
    """
    out = _tanh(expr)
    fraction = out.has(sp.exp) or any(p.exp.is_negative for p in out.atoms(sp.Pow))
    if not fraction or _nodes(out) > CANCEL_MOST_NODES:
        return out
    try:
        cancelled = sp.cancel(out)
    except (sp.PolynomialError, RecursionError, ValueError, TypeError):
        return out  # (sympy could not see it as a fraction of polynomials: as it is)
    # (e^{w1}·e^{w2} as e^{w1 + w2}; a 1.0 cancel made of a typed 1 as 1)
    cancelled = cancelled.xreplace({n: sp.Integer(int(n)) for n in cancelled.atoms(sp.Float)
                                    if float(n).is_integer()})
    cancelled = sp.powsimp(cancelled, deep=True, combine="exp")
    if sp.count_ops(cancelled) <= CANCEL_AT_MOST * sp.count_ops(out):
        return cancelled
    return out


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


def _nodes(expr: sp.Expr) -> int:
    """How many nodes ``expr``'s tree has (stopping counting past the cancel limit)."""
    n = 0
    for _ in sp.preorder_traversal(expr):
        n += 1
        if n > CANCEL_MOST_NODES:
            break
    return n
