"""Text forms of a derivation, for the Chain-rule tab (sympy only, no typesetting).

Rule tags (:func:`rule_label`), the header with the held variable highlighted
(:func:`held_variable_html`), the plain-text fallback of a LaTeX formula
(:func:`latex_to_plain`) and the final line's LaTeX (:func:`result_latex`).
"""

from __future__ import annotations

import html
import re

import sympy as sp
from sympy.printing.precedence import precedence

from gdviz.core import printing
from gdviz.core.derivation import Derivation
from gdviz.core.typed_print import flat_scripts, typed_html

HELD_COLOR = "#7B3294"
"""The variable held constant, in every tab and on the map's slice line (purple: the Slice tab's
orange means "falling")."""
MAX_HEADER = 300  # longest f shown in the header

RULE_LABELS = {
    "sum": "sum rule", "constant multiple": "constant factor", "power": "power rule",
    "product": "product rule", "quotient": "quotient rule", "chain": "chain rule",
}  # fmt: skip  (others show their name: "constant", "exponential", "sin′", ...)


def rule_label(rule: str, variable: str = "x") -> str:
    """The tag shown for a rule name: ``"chain"`` → ``"chain rule"``, ``"sin"`` → ``"sin′"``."""
    if rule == "variable":
        return f"∂{variable}/∂{variable} = 1"
    if rule in ("constant", "exponential", "too long", "derivative", "together"):
        return rule
    return RULE_LABELS.get(rule, f"{rule}′")


def _symbol_html(name: str) -> str:
    m = re.fullmatch(r"([A-Za-z]+?)_?(\d+)", name)
    if m:
        return f"<i>{m[1]}</i><sub>{m[2]}</sub>"
    return f"<i>{html.escape(name)}</i>"


class _HtmlPrinter(printing.PlainPrinter):
    """Plain maths as Qt rich text, with one symbol coloured."""

    def __init__(self, held: sp.Symbol, color: str = HELD_COLOR) -> None:
        super().__init__({"full_prec": False})
        self.held, self.color = held, color

    def _print_Pi(self, expr) -> str:  # noqa: N802 - sympy's naming ("2·pi·x" read so)
        return "π"

    def _print_Symbol(self, expr) -> str:  # noqa: N802 - sympy's naming
        s = _symbol_html(expr.name)
        return f"<span style='color:{self.color}'><b>{s}</b></span>" if expr == self.held else s

    def _print_Abs(self, expr) -> str:  # noqa: N802 - sympy's naming (|u|, as typeset)
        return f"|{self._print(expr.args[0])}|"

    def _print_exp(self, expr) -> str:  # noqa: N802 - sympy's naming (e^u, as typeset)
        inner = self._print(expr.args[0])
        flat = flat_scripts(inner)  # (u's indices and powers as characters: see there)
        return f"exp({inner})" if flat is None else f"e<sup>{flat}</sup>"

    def _print_Pow(self, expr, rational=False) -> str:  # noqa: N802
        base, exp = expr.base, expr.exp
        if exp is sp.S.Half:
            return f"√({self._print(base)})"
        if exp == -sp.S.Half:  # (1/√u: the plain printer's was "1/sqrt(u)")
            return f"1/√({self._print(base)})"
        if exp.is_number and exp.is_negative:
            return super()._print_Pow(expr, rational)
        b = self.parenthesize(base, precedence(expr), strict=True)
        return f"{b}<sup>{self._print(exp)}</sup>"


def held_variable_html(expr: sp.Expr, names: tuple[str, str], symbols, variable: int,
                       color: str = HELD_COLOR, text: str | None = None) -> str:
    """Rich text: f with the variable *not* differentiated by highlighted, and a sentence.

    Parameters
    ----------
    expr : sympy.Expr
        The loss expression.
    names : tuple[str, str]
        The variables' names.
    symbols : sequence of sympy.Symbol
        The variables' symbols, in the same order.
    variable : int
        Index of the variable differentiated by; the other one is held constant.
    color : str
        The held variable's colour (made readable on the theme's ground by the caller).
    text : str, optional
        The loss as typed: f is written so (sin(w₁)·w₂·(1 − w₂), not sympy's
        w₂·(1 − w₂)·sin(w₁)); without it, or where it cannot be read, sympy's order.

    Returns
    -------
    str
        Qt rich text; f's formula is left out when longer than ``MAX_HEADER`` characters.
    """
    held, var = symbols[1 - variable], names[variable]
    printer = _HtmlPrinter(held, color)
    args = ", ".join(printer.doprint(s) for s in symbols)
    f = f"f({args})"
    if len(printing.plain(expr)) <= MAX_HEADER:  # (a longer formula is not printed at all)
        # (numbers as the formulas write them: 1.0·w2² read so, and 3.33333333333333)
        body = _typed_body(text, held, printer) or printer.doprint(printing.whole_numbers(expr))
        body = powers_of_ten(body, lambda e: f"<sup>{e}</sup>")
        body = body.replace("*", "·").replace("-", "−")
        # A factor after a power spaced off it: "e^{sin(x²)}·y" read as one exponent,
        # sin(x²)·y, the dot level with the raised text (the typeset formulas write e^{…} y)
        f += " = " + _brackets_whole(body.replace("</sup>·", "</sup> ·\u00a0"))
    held_html = printer.doprint(held)
    if held not in expr.free_symbols:
        # (a function of one variable, the lecture's first part: sin(x²) read "y is held
        # constant while we differentiate with respect to x", a y it never had)
        return (f"<div style='font-size:x-large'>{f}</div>"
                f"<div>f does not depend on {held_html}: ∂f/∂{_symbol_html(var)} is the "
                f"ordinary derivative of a function of {_symbol_html(var)} alone.</div>")
    return (f"<div style='font-size:x-large'>{f}</div>"
            f"<div>{held_html} is <b>held constant</b> while we differentiate with respect to "
            f"{_symbol_html(var)}: it is treated like a number.</div>")


def _typed_body(text: str | None, held: sp.Symbol, printer: _HtmlPrinter) -> str | None:
    if not text:
        return None
    try:
        return typed_html(text, lambda name: printer.doprint(
            held if name == held.name else sp.Symbol(name)))
    except Exception:  # noqa: BLE001 - not expected (the text was accepted): sympy's order
        return None


_SUPERSCRIPTS = str.maketrans("0123456789-−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻")
# (not in a colour, #1e3456; a full stop after it is the sentence's)
_E_NOTATION = re.compile(r"(?<![\w.#])(\d+(?:\.\d+)?)e([-+−]?)(\d+)(?![\w]|\.\d)")


def powers_of_ten(text: str, raised=lambda e: e.translate(_SUPERSCRIPTS)) -> str:
    """Numbers in e-notation written as the typeset formulas write them: 10⁶ for 1e6,
    2.5·10⁻⁸ for 2.5e-8 (``raised`` sets the exponent up: superscripts, or rich text's
    <sup>). With a real minus "1e−8" read as 1·e − 8, in the Chain rule tab's header and
    sentences beside its formulas' 10⁻⁸ (a QA round).

    Examples
    --------
    >>> powers_of_ten("1e6*w1**2 + 2.5e-8*w2 + w1e5; the slope is 1e-05.")
    '10⁶*w1**2 + 2.5·10⁻⁸*w2 + w1e5; the slope is 10⁻⁵.'
    """
    def tens(m: re.Match) -> str:
        power = "10" + raised(("−" if m[2] in "-−" and m[2] else "") + str(int(m[3])))
        return power if m[1] == "1" else f"{m[1]}·{power}"

    return _E_NOTATION.sub(tens, text)


def board_text(text: str) -> str:
    """An explanation as a board writes it: x² for ``x^2``, 2·x for ``2*x``, u′ for ``u'``
    and − for a minus between terms (the derivation writes code-like plain text)."""
    # (a whole number only: "w1^2.5" read "w1².5", w1 squared times .5)
    s = re.sub(r"(?:\*\*|\^)(?:\(([-−]?\d+)\)|([-−]?\d+)(?!\.?\d))",
               lambda m: (m[1] or m[2]).translate(_SUPERSCRIPTS), powers_of_ten(text))
    # a prime after a rule's one-letter part (u, v; g, h … where a variable is named u) or a
    # bracket (not the apostrophe of "argument's")
    s = re.sub(r"(?:(?<=\b[uvghpqrs])|(?<=\)))'(?=[\s*=+\-/)]|$)", "′", s)
    s = re.sub(r"\bpi\b", "π", s)  # ("cos(2·pi·x) is differentiated")
    return s.replace("*", "·").replace(" - ", " − ")


SHORT_GROUP = 30
"""A bracket holding at most this many characters is kept whole on a line; a longer one may
break inside (Goldstein–Price's f is two bracketed factors: kept whole, its header was one
unbreakable line 1100 pixels wide, and pushed the window past the screen)."""


def _brackets_whole(rich: str) -> str:
    """Spaces inside short brackets made non-breaking, so the header wraps between terms,
    not inside one ("w2·(1 −" / "w2)·sin(w1)"); a sign kept with the term after it and a
    slash with what it divides by, so a line breaks before a sign and never after a slash
    ("w1³ −" / "3·w1·w2²", "1/" / "(1 + exp(−w1))"); tags are left as they are."""
    def held(text: str) -> str:
        return _TAG.sub(lambda m: m.group(0) if m.group(0).startswith("<") else
                        _SIGN_ON.sub("−\u2060", m.group(0).replace(" − ", " −&nbsp;")
                                     .replace(" + ", " +&nbsp;")).replace("/", "/\u2060"),
                        text)

    # Not one run longer than MOST_UNBROKEN: the softmax cross-entropy's
    # −ln(exp(w1)/(exp(w1) + exp(w2))), short brackets joined by a slash, could not break at
    # all and widened the dock, squeezing the map. The longer brackets may break inside then,
    # the shortest kept whole still (with every bracket opened at once, the header of a loss
    # with √(1 + cos²(3·x))/(2 + tanh(x)) in it broke "ln(1" / "+ x²)" elsewhere)
    for most in (SHORT_GROUP, 20, 14, 10, 6):
        whole = held(_short_brackets_whole(rich, most=most))
        shown = _TAG.sub(lambda m: "" if m.group(0).startswith("<") else m.group(0), whole)
        shown = shown.replace("&nbsp;", "\u00a0").replace("\u2060", "")  # (as many as show)
        if max(len(run) for run in html.unescape(shown).split(" ")) <= MOST_UNBROKEN:
            return whole
    return held(rich)


MOST_UNBROKEN = 28
"""The longest run of a header (in characters, as shown) kept from breaking inside its
short brackets; a longer one may (about the dock's width in the header's type)."""


_SIGN_ON = re.compile(r"−(?=[^\s&])")
"""A minus before what it negates, not a space: held to it ("ln(1 + exp(−" / "(w1·2 +
w2)))" broke there)."""


_TAG = re.compile(r"<[^>]*>|[^<]+")


def sentence_text(explanation: str) -> str:
    """A step's explanation as the tab shows it (:func:`board_text`), wrapping between words,
    not inside a short formula: a short bracket kept whole (not one of prose), a sign with
    the term after it, "u = " with what follows, and a sign with the term before it too
    where a short term ends there, up to :data:`GLUED_MOST` characters ("the inside u = w1 −"
    / "1." broke there); a slash with what it divides by."""
    # (a "<" in a sentence, "u < 0", is no tag: the brackets after it were left breakable)
    text = board_text(explanation).replace("<", "\0")
    text = _short_brackets_whole(text, NBSP, formulas_only=True).replace("\0", "<")
    words = text.split(" ")
    out: list[str] = []
    glue_next = False  # the next word goes with the last one (after a sign or "=")
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if glue_next:
            out[-1] += NBSP + word
            glue_next = False
        elif word in ("−", "+", "=") and out:
            named = word == "=" and len(out[-1]) == 1  # ("u = ", "v = ")
            short = len(nxt.rstrip(".,;:)")) <= 3 and \
                len(out[-1]) + len(nxt) + 2 <= GLUED_MOST
            if named or (word != "=" and short):
                out[-1] += NBSP + word
            else:
                out.append(word)
            glue_next = word != "=" or named
        else:
            out.append(word)
    return _SIGN_ON.sub("−\u2060", " ".join(out)).replace("/", "/\u2060")


NBSP = "\u00a0"
GLUED_MOST = 16
"""The longest run of a formula's short terms kept on one line (a sum of nine short terms
was one unbreakable run of 41 characters)."""


_PROSE = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")
"""Two words in a row: a bracket of prose ("(w2 is held constant)"), not of a formula."""


def _short_brackets_whole(html: str, space: str = "&nbsp;", formulas_only: bool = False,
                          most: int = SHORT_GROUP) -> str:
    """:func:`_brackets_whole`'s brackets, those holding at most ``most`` characters (their
    spaces as ``space``; ``formulas_only``: not a bracket of prose, which may wrap as the
    sentence does)."""
    visible: list[tuple[int, str]] = []  # (index in html, character) outside tags
    in_tag = False
    for i, ch in enumerate(html):
        if ch == "<":
            in_tag = True
        elif ch == ">":
            in_tag = False
        elif not in_tag:
            visible.append((i, ch))
    keep: set[int] = set()  # html indices of spaces inside a short bracket
    opened: list[int] = []  # positions in ``visible`` of the brackets still open
    for n, (_, ch) in enumerate(visible):
        if ch == "(":
            opened.append(n)
        elif ch == ")" and opened:
            start = opened.pop()
            inside = "".join(c for _, c in visible[start + 1:n])
            if n - start - 1 <= most and not (formulas_only and _PROSE.search(inside)):
                keep.update(i for i, c in visible[start:n] if c == " ")
    return "".join(space if i in keep else ch for i, ch in enumerate(html))


GREEK = {"pi": "π", "theta": "θ", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ",
         "epsilon": "ε", "lambda": "λ", "mu": "μ", "sigma": "σ", "phi": "φ", "omega": "ω",
         "infty": "∞"}


def latex_to_plain(latex: str) -> str:
    """A readable plain-text fallback for a formula mathtext cannot draw."""
    s = re.sub(r"_\{(\w+)\}", r"\1", latex)
    s = re.sub(r"\^\{(\w+)\}", r"^\1", s)
    s = re.sub(r"\\frac\{\\partial\}\{\\partial ([^{}]+)\}", r"∂/∂\1 ", s)
    s = re.sub(r"\\partial\s*", "∂", s).replace(r"\left", "").replace(r"\right", "")

    def simple(t: str) -> bool:  # one term: x2, √x, (x + 1), √(x + 1), sin(x), e^(x^2)
        t = t.strip().replace("\\", "")
        if re.fullmatch(r"[\w.∂^√]+|√?\|[^|]*\|", t):  # (|x| too)
            return True
        head = re.match(r"[\w.∂^√]*\(", t)
        if head is None or not t.endswith(")"):
            return False
        depth = 0
        for i, ch in enumerate(t[head.end() - 1:], head.end() - 1):
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if depth == 0:
                return i == len(t) - 1
        return False

    def frac(m: re.Match) -> str:
        num, den = (t if simple(t) else f"({t})" for t in m.groups())
        return f"{num}/{den}"

    def root(m: re.Match) -> str:
        body = m[2] if simple(m[2]) else f"({m[2]})"
        return f"√{body}" if not m[1] else f"{body}^(1/{m[1]})"

    # Innermost first, every kind in turn: a square root in a numerator (√(10x² + y²)/(x + 10))
    # has braces the fraction's pattern waits for ("fracsqrt10 x^2 + y^2x + 10" otherwise).
    s = re.sub(r"\\operatorname\{(\w+)\}", r"\\\1", s)  # \operatorname{sign} → \sign
    for _ in range(40):
        # \sin{(x)}, as \sin{\left(x \right)} reads once \left and \right are gone
        s, n_call = re.subn(r"(\\(?!frac|sqrt)[a-z]+)\{\s*(\([^{}]*\))\s*\}", r"\1\2", s)
        s, n_root = re.subn(r"\\sqrt(?:\[([^\[\]{}]*)\])?\{([^{}]*)\}", root, s)
        s, n_frac = re.subn(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", frac, s)
        s, n_power = re.subn(r"\^\{([^{}]*)\}", r"^(\1)", s)
        # Bare braces, not a command's argument nor a power's: |{x}| (from \left|{x}\right|),
        # sin^(2){(x)}
        s, n_bare = re.subn(r"(?<![\\a-zA-Z^_}])\{([^{}]*)\}", r"\1", s)
        if not n_root + n_frac + n_power + n_call + n_bare:
            break
    # (Greek letters as letters: a long row's plain text read "10 cos(2 pi x)")
    s = re.sub(r"\\(pi|theta|alpha|beta|gamma|delta|epsilon|lambda|mu|sigma|phi|omega|infty)"
               r"(?![a-zA-Z])", lambda m: GREEK[m[1]], s)
    for a, b in ((r"\cdot", "·"), (r"\,", " "), (r"\operatorname", ""), (r"\mathrm", ""),
                 ("\\", "")):
        s = s.replace(a, b)
    s = re.sub(r"\^\{([^{}]*)\}", r"^(\1)", s)
    s = re.sub(r"\s+", " ", s.replace("{", "").replace("}", "")).strip()
    s = re.sub(r"\s+(?=[)\]])|(?<=[(\[])\s+", "", s)
    # Minus signs, not hyphens: a sign after a bracket, a power or "=" is set close to its
    # term, one between terms spaced ("2 x e^(- x²)" read as a hyphenated word)
    s = re.sub(r"(^|[(\[^])\s*-\s*", r"\1−", s)
    s = re.sub(r"\s+-\s+", " − ", s)
    # A product's factors side by side, as LaTeX writes them, with a dot between, as the
    # header and the sentences have them: "2·x·exp(−x/3)·cos(x²)" (the result read "2 x
    # exp(−x/3) cos(x²)", "(3 (2 + tanh(x)) sin(3 x)": a space for a product)
    # (not after ∂/∂x, an operator on what follows: "∂/∂x sin(x²)")
    s = re.sub(r"(∂/∂\w+) ", "\\1\0", s)
    return re.sub(r"\s*·\s*", "·", _FACTORS_APART.sub("·", s)).replace("\0", " ")


_FACTORS_APART = re.compile(r"(?<=[\w)²³⁴⁵⁶⁷⁸⁹⁰¹|′.])\s+(?=[\w(√|∂π])")
"""A space between two factors (after a name, number, bracket or power; before a name,
number, bracket or root), not around an operator nor before a derivative's bracket."""


def result_latex(derivation: Derivation, symbol: sp.Symbol) -> str:
    """LaTeX of the final line, ``∂f/∂x = ...``."""
    return rf"\frac{{\partial f}}{{\partial {printing.latex(symbol)}}} = {derivation.latex}"
