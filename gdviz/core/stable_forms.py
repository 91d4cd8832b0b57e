"""Forms of a loss that float64 evaluates without overflow or cancellation, for its numpy code.

The losses of a classification lecture are written with ``exp``: the logistic loss
``log(1 + exp(-z))``, the sigmoid ``1/(1 + exp(-z))``, cross-entropy ``-log(1 - s)`` of a
sigmoid ``s``, softmax's ``log(exp(u₁) + exp(u₂))``. Evaluated as typed, ``exp(z)`` overflows
past z ≈ 709 (the loss ∞, its slope ∞/∞ = NaN), ``1 + exp(-z)`` rounds to 1 past z ≈ 37 (the
loss exactly 0 while its slope is not), and ``1 - s`` cancels from z ≈ 25 (cross-entropy 36.04
where it is 36, ∞ from z ≈ 37, a run refused as "infinite at the start"). :func:`stable_form`
rewrites those parts as :class:`Softplus`, :class:`Sigmoid` and :class:`LogSumExp`, which the
numpy code computes exactly on both sides (:mod:`gdviz.core.codegen_printer`); the compiled
loss, gradient and Hessian come from that form, differentiated by the same rules
(softplus′ = sigmoid, sigmoid′ = sigmoid · (1 − sigmoid), logsumexp′ = softmax). What the
student sees — f as typed, ∂f/∂w as the board writes it — is unchanged: the rewrite is only
the arithmetic, and equal in value everywhere.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.logic import fuzzy_and

__all__ = ["STABLE_FUNCTIONS", "LogCosh", "LogSumExp", "Sigmoid", "SigmoidSlope", "Softplus",
           "Tanh", "TanhSlope", "stable_form"]


class Softplus(sp.Function):
    """softplus(u) = log(1 + exp(u)), computed as ``numpy.logaddexp(0, u)``."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """softplus′(u) = sigmoid(u)."""
        return Sigmoid(self.args[0])

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):  # (a root of it is defined: no guard for sqrt(softplus))
        return self.args[0].is_real


class Sigmoid(sp.Function):
    """sigmoid(u) = 1 / (1 + exp(−u)), computed as ``exp(−logaddexp(0, −u))``."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """sigmoid′(u) = sigmoid(u) · sigmoid(−u) (1 − sigmoid(u) without the cancellation),
        as :class:`SigmoidSlope`."""
        return SigmoidSlope(self.args[0])

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return self.args[0].is_real


class SigmoidSlope(sp.Function):
    """sigmoid′(u) = sigmoid(u) · sigmoid(−u) = t / (1 + t)² with t = exp(−|u|) (even in u):
    one function, so that its code shares t with the sigmoid's, not two sigmoids'."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """sigmoid″(u) = sigmoid′(u) · (sigmoid(−u) − sigmoid(u))."""
        u = self.args[0]
        return SigmoidSlope(u) * (Sigmoid(-u) - Sigmoid(u))

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return self.args[0].is_real


class LogSumExp(sp.Function):
    """log(exp(u₁) + … + exp(uₙ)) for n ≥ 2 (softmax's normaliser), computed as numpy's
    ``logaddexp`` of pairs: exact however large or small the uᵢ (log(exp(800) + exp(790))
    is 800.0000454, where exp(800) is ∞ in float64)."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """∂/∂uᵢ = exp(uᵢ − logsumexp(u)): the softmax's i-th share, at most 1 (the typed
        form's exp(uᵢ)/(exp(u₁) + …) is ∞/∞ past 709)."""
        return sp.exp(self.args[argindex - 1] - self)

    def _eval_is_real(self):
        return fuzzy_and(a.is_real for a in self.args)


class Tanh(sp.Function):
    """tanh(u), computed as ``numpy.tanh``; its derivative :class:`TanhSlope` (sympy's
    1 − tanh(u)² rounds to 0 past |u| ≈ 18.5, where sech²(u) is 10⁻¹⁶ and less, and loses
    digits from |u| ≈ 2 on)."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """tanh′(u) = sech²(u)."""
        return TanhSlope(self.args[0])

    def _eval_is_real(self):
        return self.args[0].is_real


class TanhSlope(sp.Function):
    """tanh′(u) = sech²(u) = 4t / (1 + t)² with t = exp(−2|u|): never overflows, and
    exact to the last digits however large |u| is (sech²(800) = 4.2·10⁻⁶⁹⁵, not 0)."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """tanh″(u) = −2 tanh(u) sech²(u)."""
        u = self.args[0]
        return -2 * Tanh(u) * TanhSlope(u)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return self.args[0].is_real


class LogCosh(sp.Function):
    """log(cosh(u)), the log-cosh loss, computed as |u| + log1p(exp(−2|u|)) − log 2: as
    typed, cosh overflows past |u| ≈ 710 (the loss ∞, its slope sinh/cosh = ∞/∞); its
    derivative is :class:`Tanh`."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        """(log cosh u)′ = tanh(u)."""
        return Tanh(self.args[0])

    def _eval_is_real(self):
        return self.args[0].is_real


STABLE_FUNCTIONS = (Softplus, Sigmoid, SigmoidSlope, LogSumExp, Tanh, TanhSlope, LogCosh)
"""The functions :func:`stable_form` writes (the derivative and the printer know them)."""


def stable_form(expr: sp.Expr) -> sp.Expr:
    """``expr`` with its overflowing and cancelling exponential parts rewritten.

    * log(1 + exp(u)) → softplus(u);
    * log(exp(u₁) + … + exp(uₙ)) → logsumexp(u₁, …, uₙ) (c > 0 is exp(log c), c·exp(u)
      exp(u + log c)), and the
      log of a softmax share exp(u₁)/(exp(u₁) + …) → u₁ − logsumexp(u), the share itself
      → exp(u₁ − logsumexp(u));
    * c·logsumexp(u) − c·uₖ in a sum → c·logsumexp(u − uₖ) (softplus for two terms);
    * (1 + exp(u))⁻ⁿ → sigmoid(−u)ⁿ;
    * 1 − sigmoid(u) → sigmoid(−u), exp(u) · sigmoid(−u) → sigmoid(u) (the sigmoid written
      exp(u)/(1 + exp(u)), ∞/∞ past u ≈ 709);
    * log(sigmoid(u)) → −softplus(−u) (cross-entropy's log s and log(1 − s));
    * tanh(u) → :class:`Tanh` (its slope sech²(u) from exp(−2|u|), not 1 − tanh(u)²),
      log(cosh(u)) → :class:`LogCosh`.

    Only parts that depend on a variable are rewritten; ``expr`` itself is returned (the
    same object) where nothing is.

    Examples
    --------
    >>> from sympy.abc import x
    >>> stable_form(sp.log(1 + sp.exp(-x)))
    Softplus(-x)
    >>> stable_form(-sp.log(1 - 1 / (1 + sp.exp(-x))))
    Softplus(x)
    >>> stable_form(x**2) is x**2
    True
    """
    if not expr.has(sp.exp, sp.tanh, sp.cosh):
        return expr
    return _rewrite(expr, {})


def _rewrite(expr: sp.Expr, memo: dict) -> sp.Expr:
    if not expr.args or not expr.free_symbols:
        return expr
    done = memo.get(expr)
    if done is not None:
        return done
    args = [_rewrite(a, memo) for a in expr.args]
    node = expr.func(*args) if args != list(expr.args) else expr
    out = _local(node)
    memo[expr] = out
    return out


def _exp_plus_one(expr: sp.Expr) -> sp.Expr | None:
    """u where ``expr`` is 1 + exp(u) (u depending on a variable), else None."""
    if expr.is_Add and len(expr.args) == 2 and sp.S.One in expr.args:
        other = expr.args[0] if expr.args[1] is sp.S.One else expr.args[1]
        if isinstance(other, sp.exp) and other.free_symbols:
            return other.args[0]
    return None


def _exp_sum(expr: sp.Expr) -> list[sp.Expr] | None:
    """[u₁, …, uₙ] where ``expr`` is exp(u₁) + … + exp(uₙ), n ≥ 2, one of them depending on
    a variable; else None. A positive constant c is exp(log c) (a term 1 is exp(0)), and so
    is a positive factor c of an exponential: c·exp(u) is exp(u + log c) (sympy writes
    exp(w1 + 0.5) as 1.6487·exp(w1), and a weighted class 2·exp(w1) is one too)."""
    if not expr.is_Add:
        return None
    exponents = []
    for term in expr.args:
        c, rest = term.as_coeff_Mul()
        if isinstance(rest, sp.exp) and c.is_positive:
            exponents.append(rest.args[0] + sp.log(c))
        elif not term.free_symbols and term.is_positive:
            exponents.append(sp.log(term))
        else:
            return None
    return exponents if any(u.free_symbols for u in exponents) else None


def _log_of_quotient(expr: sp.Expr) -> list[sp.Expr] | None:
    """The logs of ``expr``'s factors where it is a product of exponentials, positive numbers
    and (integer) powers of sums of exponentials, one of those at least (a softmax share,
    exp(u₁)/(exp(u₁) + exp(u₂)): ∞/∞ past 709 as typed); else None."""
    logs, sums = [], False
    for factor in sp.Mul.make_args(expr):
        base, n = (factor.base, factor.exp) if factor.is_Pow else (factor, sp.S.One)
        exponents = _exp_sum(base) if n.is_Integer else None
        if isinstance(factor, sp.exp):
            logs.append(factor.args[0])
            sums = sums or factor.args[0].has(LogSumExp)  # (a denominator rewritten)
        elif factor.is_Number and factor.is_positive:
            logs.append(sp.log(factor))
        elif exponents is not None:
            logs.append(n * LogSumExp(*exponents))
            sums = True
        else:
            return None
    return logs if sums else None


def _shifted_log_sum_exp(node: sp.Expr) -> sp.Expr:
    """c·logsumexp(u) − c·uₖ → c·logsumexp(u − uₖ) within a sum (softplus for two terms;
    c·softplus(u) − c·u → c·softplus(−u) likewise): the softmax cross-entropy
    log(exp(u₁) + exp(u₂)) − u₁ cancelled to 0 where it is exp(u₂ − u₁) ≈ 1e-16 beside 1,
    and its slope with it. The uₖ taken is the one whose terms the sum holds most of (of
    log(exp(w1) + exp(w1 + w2)) − w1 − w2, w1 + w2, not w1), held within a merged term too
    (−3·w1 holds −w1); each such term in turn, each shift lessening what is left."""
    for _ in range(len(node.args)):
        shifted = _shift_once(node)
        if shifted is node or not shifted.is_Add:
            return shifted
        node = shifted
    return node


def _shift_once(node: sp.Expr) -> sp.Expr:
    for term in node.args:
        c, lse = term.as_coeff_Mul()
        if isinstance(lse, LogSumExp):
            exponents = lse.args
        elif isinstance(lse, Softplus):  # softplus(u) = logsumexp(0, u)
            exponents = (sp.S.Zero, lse.args[0])
        else:
            continue
        others = node - term
        have = others.as_coefficients_dict()
        best, most = None, 0
        for u in exponents:
            need = (-c * u).as_coefficients_dict()
            if u.free_symbols and len(need) > most and _holds(have, need):
                best, most = u, len(need)
        if best is not None:
            rest = [v - best for v in exponents if v != best]
            shifted = Softplus(rest[0]) if len(rest) == 1 else LogSumExp(sp.S.Zero, *rest)
            return c * shifted + (others + c * best)
    return node


def _holds(have: dict, need: dict) -> bool:
    """Whether a sum with the terms ``have`` (term → coefficient) holds ``need`` whole: each
    term with a coefficient of the same sign, at least as large (−3·w1 holds −w1: sympy
    merges the −w1 and −2·w1 of two cross-entropies). A constant need not be held: shifted
    with the rest, it is added back whole (−w1 holds w1 + log 2 of a class weighted 2)."""
    for atom, k in need.items():
        if not atom.free_symbols:
            continue
        h = have.get(atom)
        if h is None or not (h.is_Number and k.is_Number) or h * k <= 0 or abs(h) < abs(k):
            return False
    return True


def _local(node: sp.Expr) -> sp.Expr:
    """One node's rewrite, its arguments already rewritten."""
    if isinstance(node, sp.tanh):
        return Tanh(node.args[0])
    if isinstance(node, sp.log):
        arg = node.args[0]
        if isinstance(arg, sp.cosh):
            return LogCosh(arg.args[0])
        u = _exp_plus_one(arg)
        if u is not None:
            return Softplus(u)
        exponents = _exp_sum(arg)
        if exponents is not None:
            return LogSumExp(*exponents)
        logs = _log_of_quotient(arg)
        if logs is not None:
            return _shifted_log_sum_exp(sp.Add(*logs))
        if isinstance(arg, Sigmoid):
            return -Softplus(-arg.args[0])
        if arg.is_Pow and isinstance(arg.base, Sigmoid) and arg.exp.is_Integer:
            return -arg.exp * Softplus(-arg.base.args[0])
        return node
    if node.is_Pow and node.exp.is_Integer and node.exp < 0:
        u = _exp_plus_one(node.base)
        if u is not None:
            return Sigmoid(-u) ** (-node.exp)
        exponents = _exp_sum(node.base)
        if exponents is not None:  # (a softmax share's denominator: exp(u₁)·exp(−LSE))
            return sp.exp(node.exp * LogSumExp(*exponents))
        return node
    if node.is_Add:
        if len(node.args) == 2 and sp.S.One in node.args:
            other = node.args[0] if node.args[1] is sp.S.One else node.args[1]
            coeff, rest = other.as_coeff_Mul()
            if coeff == -1 and isinstance(rest, Sigmoid):
                return Sigmoid(-rest.args[0])
        return _shifted_log_sum_exp(node)
    if node.is_Mul:
        return _merged_shares(_sigmoid_products(node))
    return node


def _merged_shares(node: sp.Expr) -> sp.Expr:
    """exp(u₁)·exp(−logsumexp(u)) → exp(u₁ − logsumexp(u)), shifted (a softmax share
    exp(u₁)/(exp(u₁) + exp(u₂)), ∞/∞ past 709 as typed, at most 1 this way)."""
    if not node.is_Mul:
        return node
    exps = [f for f in node.args if isinstance(f, sp.exp)]
    if len(exps) < 2 or not any(f.args[0].has(LogSumExp) for f in exps):
        return node
    rest = [f for f in node.args if not isinstance(f, sp.exp)]
    exponent = _shifted_log_sum_exp(sp.Add(*(f.args[0] for f in exps)))
    return sp.Mul(*rest, sp.exp(exponent))


def _sigmoid_products(node: sp.Expr) -> sp.Expr:
    """exp(u) · sigmoid(−u) → sigmoid(u) within a product (exp(u)/(1 + exp(u)))."""
    factors = list(node.args)
    changed = False
    for i, f in enumerate(factors):
        if not isinstance(f, sp.exp):
            continue
        u = f.args[0]
        for j, g in enumerate(factors):
            base, n = (g.base, g.exp) if g.is_Pow else (g, sp.S.One)
            if (isinstance(base, Sigmoid) and n.is_Integer and n > 0
                    and (base.args[0] + u) == 0):  # exp(u)·σ(−u)ⁿ = σ(u)·σ(−u)ⁿ⁻¹
                factors[i], factors[j] = Sigmoid(u), base ** (n - 1)
                changed = True
                break
    return sp.Mul(*factors) if changed else node
