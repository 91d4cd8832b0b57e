"""Turn what people type into Python-syntax text, keeping a map back to their positions.

The steps are purely textual; nothing here evaluates anything. Typed maths characters are
normalised (unicode minus, ×, ·, ÷, superscripts, full-width letters), ``^`` becomes ``**``,
and implicit products (``2x``, ``3 w1``, ``2(x+1)``, ``(a)(b)``) get an explicit ``*``.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass

from gdviz.core.errors import LossError, at_char

MAX_LENGTH = 2000
MAX_PAREN_DEPTH = 40

_SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7",
    "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+", "⁽": "(", "⁾": ")", "ⁿ": "n", "ˣ": "x",
}  # fmt: skip
_REPLACE = {
    "−": "-", "–": "-", "—": "-", "‐": "-", "‑": "-", "﹣": "-", "－": "-",
    "×": "*", "·": "*", "⋅": "*", "∙": "*", "•": "*", "✕": "*", "∗": "*",
    "÷": "/", "∕": "/",
    # (invisible, and nothing to display: a formula copied from the Chain rule tab's plain
    # text carries word joiners after its slashes, "1/\u2060(1 + w1²)"; a soft hyphen comes
    # with text pasted from a web page or a PDF, and the joiners of scripts mean nothing here)
    "\u2060": "", "\u200b": "", "\ufeff": "", "\u00ad": "", "\u200c": "", "\u200d": "",
}  # fmt: skip
# Characters that change how text is displayed without being visible: refused, because
# they can make a loss read differently from what it computes.
_FORBIDDEN = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
DISPLAY_CONTROLS = frozenset(_FORBIDDEN)
"""Characters that change how text is displayed without being visible (refused in losses
and in a session's names)."""

_TOKEN = re.compile(
    r"(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<pow>\*\*|\^)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Prepared:
    """Python-syntax text and, for each of its characters, the position typed by the user."""

    source: str
    positions: tuple[int, ...]
    original: str

    def char_index(self, offset: int) -> int:
        """The index in :attr:`source` of ``ast``'s ``col_offset`` ``offset``, which counts
        UTF-8 bytes: after a non-ASCII letter the two differ (a comma after θ was marked on
        the digit after it)."""
        if self.source.isascii():
            return offset
        return len(self.source.encode("utf-8")[:offset].decode("utf-8", "ignore"))

    def original_position(self, index: int) -> int:
        """Map a 0-based index in :attr:`source` back to the text the user typed."""
        if not self.positions:
            return 0
        if index >= len(self.positions):
            return len(self.original)
        return self.positions[max(index, 0)]


# What may follow a typed root sign: a number, or a name (possibly a call, as in √sin(x)).
# Superscripts are word characters to ``re`` but powers here: √x² is sqrt(x)**2.
_NAME_CHAR = "[^\\W" + "".join(_SUPERSCRIPTS) + "]"
_ROOT_OPERAND = re.compile(
    r"[ \t]*(?:(?P<num>(?>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))"
    rf"|(?P<name>(?>(?!\d){_NAME_CHAR}{_NAME_CHAR}*)))"
    r"(?P<call>[ \t]*\()?"
)


# ASCII control characters refused by _normalise (all but tab, newline, carriage return) and
# the ASCII whitespace it turns into plain spaces.
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ASCII_SPACES = str.maketrans("\t\n\r", "   ")


def _normalise(text: str) -> tuple[str, list[int]]:
    """Replace typed maths characters; return the new text and its position map.

    ``π`` becomes ``pi`` with a ``*`` on either side where a name or number touches it.

    ``√`` becomes ``sqrt``: ``√x`` → ``sqrt(x)``, ``√2x`` → ``sqrt(2)x``, ``√(x+1)`` →
    ``sqrt(x+1)``, ``√sin(x)`` → ``sqrt(sin(x))``, and ``x√y`` → ``x*sqrt(y)``, so that the
    letters never merge into a longer name such as ``sqrtx``.
    """
    if text.isascii() and not _ASCII_CONTROL.search(text):  # the usual case, in one pass
        return text.translate(_ASCII_SPACES), list(range(len(text)))
    out: list[str] = []
    pos: list[int] = []
    depth = 0  # parentheses open in ``out``
    closes: list[int] = []  # depths at which a √ call needs its extra ')'

    def emit(rep: str, at: int) -> None:
        nonlocal depth
        for c in rep:
            out.append(c)
            pos.append(at)
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                while closes and depth == closes[-1]:  # (√√sin(x): both roots close here)
                    closes.pop()
                    out.append(")")
                    pos.append(at)
                    depth -= 1

    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\x00" or ch in _FORBIDDEN or (unicodedata.category(ch) == "Cc" and
                                                  ch not in "\t\n\r"):
            name = "NUL" if ch == "\x00" else f"U+{ord(ch):04X}"
            raise LossError(f"invisible control character {name} {at_char(i)}", i)
        if unicodedata.category(ch) == "Cf" and ch not in _REPLACE:
            # (other format characters, invisible: U+2063 read "unexpected 'U+2063'", a
            # character nobody can see to mend)
            raise LossError(f"invisible character U+{ord(ch):04X} {at_char(i)}: delete it "
                            "(it came with pasted text)", i)
        if unicodedata.category(ch) == "Cs":  # a lone surrogate cannot even be encoded
            raise LossError(f"invalid character U+{ord(ch):04X} {at_char(i)}", i)
        if ch == "√":
            if not text[i + 1:].strip("√−- \t\u00a0"):  # (it named a "sqrt" nobody typed, or
                # a bracket: "expected ')' to close the '(' at character 1" for √√)
                last = text.rindex("√")
                raise LossError(f"the loss ends after '√' {at_char(last)}: something is "
                                "missing", last)
            if out and (out[-1].isalnum() or out[-1] == "_"):
                emit("*", i)
            after = len(text) - len(text[i + 1:].lstrip())  # (past any spaces)
            negated = text[after:after + 1] in ("-", "−")
            if negated:  # √−x, √-2: the root of the negated operand, as √(−x) reads
                after = len(text) - len(text[after + 1:].lstrip())
            if text[after:after + 1] in ("√", "("):  # √√x: the root of the root ("'sqrt' is
                emit("sqrt(-" if negated else "sqrt(", i)  # a function: write sqrt(...)", of
                closes.append(depth)  # a sqrt nobody typed); √−(x + 1), √−√x: closed after
                i = after
                continue
            m = _ROOT_OPERAND.match(text, after if negated else i + 1)
            if m and m.group("name") and text[m.start("name")] == "π":  # √π, √πx: as √2x
                emit("sqrt(-pi)" if negated else "sqrt(pi)", i)
                i = m.start("name") + 1
                if i < len(text) and text[i] not in _SUPERSCRIPTS and (
                        text[i].isalnum() or text[i] in "_("):
                    emit("*", i)
                continue
            if m and m.group("name") and m.group("call"):  # √sin(x): close after the call
                emit("sqrt(-" if negated else "sqrt(", i)
                closes.append(depth)
                i = m.start("name")
            elif m:  # √x, √2, √2(x+1)
                group = "num" if m.group("num") else "name"
                emit("sqrt(-" if negated else "sqrt(", i)
                for k in range(m.start(group), m.end(group)):
                    emit(unicodedata.normalize("NFKC", text[k]), k)
                emit(")", m.end(group) - 1)
                i = m.end(group)
            else:  # √(x+1), or nothing usable after it (then the parser explains)
                emit("sqrt", i)
                i += 1
            continue
        if ch == "π":  # 2πx is 2*pi*x, not 2 times a variable 'pix'
            nxt = unicodedata.normalize("NFKC", text[i + 1]) if i + 1 < len(text) else ""
            before = "*" if out and (out[-1].isalnum() or out[-1] == "_") else ""
            after = "*" if nxt[:1] == "(" or (nxt[:1].isalnum() or nxt[:1] == "_") and (
                text[i + 1] not in _SUPERSCRIPTS) else ""
            emit(before + "pi" + after, i)
            i += 1
            continue
        if ch in _SUPERSCRIPTS:
            j = i
            while j < len(text) and text[j] in _SUPERSCRIPTS:
                j += 1
            emit("**(" + "".join(_SUPERSCRIPTS[c] for c in text[i:j]) + ")", i)
            i = j
            continue
        rep = _REPLACE.get(ch)
        if rep is None:
            rep = unicodedata.normalize("NFKC", ch)  # full-width letters, odd spaces
            if "\u2044" in rep:  # ½ is 1⁄2, but 3½ would read as 31/2: written out instead
                # (in brackets: x^1/2, as the hint once said, is x/2)
                raise LossError(f"'{ch}' {at_char(i)} is not allowed: write "
                                f"({rep.replace(chr(0x2044), '/')})", i)
            if rep.isspace():
                rep = " "
        emit(rep, i)
        i += 1
    return "".join(out), pos


_HEX = re.compile(r"[xXbBoO][0-9a-fA-F]+")


def _check_number(kind: str, tok: str, at: int, prev: tuple[str, str, int], begin: int
                  ) -> None:
    """Refuse numbers a loss cannot hold as typed, rather than read them otherwise: ``1e-400``
    (0 in floating point, silently), ``0x10`` (0·x10: a loss 0 everywhere) and ``1_000``
    (1 times a name ``_000``). ``prev`` is the previous token (kind, text, end), ``begin``
    where this one starts in the normalised text."""
    if kind == "num":
        value = float(tok)
        mantissa = re.split("[eE]", tok)[0]
        if value < sys.float_info.min and re.search("[1-9]", mantissa):
            raise LossError(f"this number is too small to compute with {at_char(at)} (the "
                            "smallest is about 1e-307; write 0 for zero)", at)
    adjacent = prev[0] == "num" and prev[2] == begin
    if kind == "name" and adjacent and prev[1] == "0" and _HEX.fullmatch(tok):
        raise LossError(f"'0{tok}' {at_char(at)} looks like a hexadecimal, binary or octal "
                        f"number, which a loss cannot hold: write it in decimal (or 0*{tok} "
                        f"for zero times {tok})", at)
    if kind == "name" and adjacent and tok.startswith("_"):
        raise LossError(f"write numbers without '_' {at_char(at)} "
                        f"({prev[1]}{tok.replace('_', '')}, not {prev[1]}{tok})", at)


def _line_break(text: str, npos: list[int], prev_end: int, start: int) -> bool:
    """Whether the typed text breaks a line between the previous token and ``start``."""
    if prev_end <= 0:
        return False
    return any(ch in "\n\r" for ch in text[npos[prev_end - 1] + 1:start])


def prepare(text: str) -> Prepared:
    """Normalise typed text and make implicit products explicit.

    Parameters
    ----------
    text
        What the user typed.

    Returns
    -------
    Prepared
        Python-syntax text for :func:`ast.parse` plus a map back to typed positions.

    Raises
    ------
    LossError
        For empty or over-long text, control characters and unbalanced parentheses.
    """
    if not isinstance(text, str):
        raise LossError("the loss must be text")
    if len(text) > MAX_LENGTH:
        raise LossError(f"the loss is too long ({len(text)} characters; at most {MAX_LENGTH})")
    norm, npos = _normalise(text)
    if not norm.strip():
        raise LossError("the loss is empty: type a formula such as x^2 + y^2")

    out: list[str] = []
    pos: list[int] = []
    prev_kind = ""  # kind of the previous non-space token: num, name, open, close, op
    prev: tuple[str, str, int] = ("", "", -1)  # the previous token: kind, text, end
    depth = 0
    opens: list[int] = []
    for m in _TOKEN.finditer(norm):
        kind = m.lastgroup or "other"
        tok = m.group()
        start = npos[m.start()]
        if kind == "space":
            out.append(" ")
            pos.append(start)
            continue
        _check_number(kind, tok, start, prev, m.start())
        if kind == "name" and tok == "e" and prev[0] == "num" and prev[2] == m.start() \
                and re.match(r"[-+][^\d\s]", norm[m.end():]):
            # "1e-x" read 1·e − x, Euler's number, without a word: an exponent begun
            at = npos[m.start()] - len(prev[1])
            raise LossError(f"'{prev[1]}e{norm[m.end()]}' {at_char(max(at, 0))} begins a "
                            f"number's exponent but no digits follow: write {prev[1]}e-5, "
                            f"or {prev[1]}*e for Euler's number", max(at, 0))
        if kind == "pow":
            tok = "**"
        elif kind == "other" and tok == "#":  # Python would ignore the rest of the line
            raise LossError(f"'#' is not allowed ({at_char(start)}): type only the loss", start)
        elif kind == "other" and tok == "(":
            kind = "open"
        elif kind == "other" and tok == ")":
            kind = "close"
        # Implicit multiplication: 2x, 2 x, 2(x), (a)(b), (a)x, (a)2.
        implicit = (prev_kind == "num" and kind in ("name", "open")) or (
            prev_kind == "close" and kind in ("name", "num", "open")
        )
        if implicit and _line_break(text, npos, prev[2], start):
            # A session file's loss over two lines, "x^2" and "y^2", read as their product.
            raise LossError(f"a line break {at_char(start)} between '{prev[1]}' and '{tok}': "
                            "write * for a product or + for a sum", start)
        if implicit:
            out.append("*")
            pos.append(start)
        if kind == "open":
            depth += 1
            opens.append(start)
            if depth > MAX_PAREN_DEPTH:
                raise LossError(
                    f"too deeply nested {at_char(start)} "
                    f"(at most {MAX_PAREN_DEPTH} levels)",
                    start,
                )
        elif kind == "close":
            if depth == 0:
                raise LossError(f"unexpected ')' {at_char(start)}", start)
            depth -= 1
            opens.pop()
        out.append(tok)
        seg = npos[m.start():m.start() + len(tok)]
        pos.extend(seg if len(seg) == len(tok) else seg + [start] * (len(tok) - len(seg)))
        prev_kind = kind if kind in ("num", "name", "open", "close") else "op"
        prev = (kind, m.group(), m.end())
    if depth:
        raise LossError(
            f"expected ')' {at_char(len(text))} to close the '(' {at_char(opens[-1])}",
            len(text),
        )
    return Prepared("".join(out), tuple(pos), text)
