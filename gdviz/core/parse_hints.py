"""Hints added to a parse error of a typed loss (:mod:`gdviz.core.parser`): what to write
instead of an unknown function (log10, sec, ...) or a near miss (sine → sin), and how to
write a function's argument, |x| and powers."""

from __future__ import annotations

import re
from collections.abc import Collection

from gdviz.core.errors import LossError

KNOWN_FUNCTIONS = ("sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, exp, log (ln), sqrt, "
                   "abs, max, min")  # (what an unknown function's message lists)

_WRITE_INSTEAD = {"log10": "log(...)/log(10)", "log2": "log(...)/log(2)", "sec": "1/cos(...)",
                  "csc": "1/sin(...)", "cot": "1/tan(...)", "pow": "a^b", "sqr": "(...)^2",
                  "sign": "abs(...)/(...)", "arcsinh": "log(u + sqrt(u^2 + 1))",
                  # (what a machine-learning course names: written out, the Chain rule tab
                  # can derive them)
                  "relu": "max(0, ...)", "sigmoid": "1/(1 + exp(-(...)))",
                  "logistic": "1/(1 + exp(-(...)))", "softplus": "log(1 + exp(...))",
                  "logcosh": "log(cosh(...))", "mean": "(a + b + ...)/n",
                  "huber": "min(abs(u), 1)^2/2 + max(abs(u) - 1, 0) for δ = 1"}


def function_hint(name: str, functions: Collection[str]) -> str:
    """What to say after "unknown function 'sinn'": how to write a common one gdviz lacks,
    else the known one it is closest to, else the list of them all."""
    if name.lower() in _WRITE_INSTEAD:
        return f": write {_WRITE_INSTEAD[name.lower()]}"
    import difflib  # (only for a misspelt name: not on every launch, 3 ms)

    close = difflib.get_close_matches(name.lower(), list(functions), n=1, cutoff=0.6)
    if close:
        return f": did you mean {close[0]}?"
    return f" (a loss may use {KNOWN_FUNCTIONS})"


def syntax_hint(text: str, err: LossError, functions: Collection[str]) -> LossError:
    """``sin w1``: "missing operator before 'w'" becomes a hint to write sin(w1); ``|x - 1|``
    one to write abs(x - 1); ``x^^2`` one to write x^2."""
    bars = re.search(r"\|([^|]+)\|", text)
    if err.position is not None and "'|'" in err.message and bars:
        # (wherever the bars are: |x|, y + |x|, |x − 1| and 2|x| said only "the loss ends
        # after '|': something is missing")
        inside = bars[1].strip()
        head = err.message.removesuffix(": something is missing")
        return LossError(f"{head}: write abs({inside}) for |{inside}|", err.position)
    if err.position is not None and err.message.startswith("unexpected '^'"):
        return LossError(f"{err.message}: a power is written x^2", err.position)
    if err.position is None or not err.message.startswith("missing operator"):
        return err
    m = re.search(r"([A-Za-z_]\w*)\s+$", text[: err.position])
    word = re.match(r"[\w.]+", text[err.position:])
    arg = word[0] if word else "..."
    if m is None or m[1] not in functions:
        # The product meant, after a name or number ("w1 w2" said only "missing operator
        # before 'w'", where "w1w2" got "for a product write w1*w2")
        before = re.search(r"([\w.]+)\s+$", text[: err.position])
        if before is None or word is None:
            return err
        return LossError(f"{err.message}: for a product write {before[1]}*{arg}", err.position)
    return LossError(f"{err.message}: write {m[1]}({arg}), a function's argument in brackets",
                     err.position)


def run_together(name: str, functions: Collection[str], constants: Collection[str]) -> str:
    """What a variable's ``name`` reads as where it is a function of one argument, or a
    constant, run together with a variable: "sin(x)" for ``sinx``, "pi*x" for ``pix``
    ("" for any other name). sinx + cosy was a linear loss in two variables, "sinx" and
    "cosy"; sinw1*w2, the lecture's loss typed quickly, a product. (The parser passes only
    pi: "ex" may mean e*x or e^x, and stays a name.)"""
    for head in sorted((*functions, *constants), key=len, reverse=True):
        rest = name[len(head):]
        if name.startswith(head) and re.fullmatch(r"[A-Za-z]\d*", rest):
            return f"{head}*{rest}" if head in constants else f"{head}({rest})"
    return ""
