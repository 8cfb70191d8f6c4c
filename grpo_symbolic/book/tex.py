r"""Display formulas that fit the book's column: long TeX broken into aligned lines.

MathJax 3 does not break a display formula into lines, and a formula wider than the text
column scrolls sideways (the book check fails on it).  :func:`fit_display` breaks a
formula at its top-level relations, ``+``/``-`` and ``\quad`` separators into the lines
of an ``aligned`` block, each at most ``width`` units of
:func:`grpo_symbolic.figures.visual_width` (about 12 px each), and shrinks it
(``\small``, ``\footnotesize``, ``\scriptsize``) only when one unbreakable piece is
still too wide.  The TeX itself is not changed: only where the lines break.

>>> fit_display("a = b")
'a = b'
>>> print(fit_display(r"x = a + b + c + d = e", width=9))
\begin{aligned}
&x = a + b \\
&\quad + c + d \\
&= e
\end{aligned}
"""

from __future__ import annotations

import re

from ..figures import visual_width

#: relations a line may start with (longest first)
_RELATIONS = (":=", r"\leq", r"\geq", r"\le", r"\ge", r"\approx", r"\to", r"\sim", "=", "<", ">")
#: separators between two formulas of one display (a new line, the separator dropped)
_SEPARATORS = (r"\qquad", r"\quad")
#: MathJax size commands and their scale, gentlest first
_SIZES = ((r"\small", 0.85), (r"\footnotesize", 0.8), (r"\scriptsize", 0.7))


def top_level_pieces(tex: str) -> list[tuple[str, str]]:
    r"""``[(kind, text), ...]``: ``tex`` cut before every top-level relation (kind
    ``"rel"``), binary ``+``/``-`` (``"op"``) and at ``\quad``/``\qquad`` (``"sep"``,
    the separator itself dropped).  Nothing inside braces, parentheses or ``\left ... \right`` is cut.

    >>> top_level_pieces(r"a=\frac{b+c}{d}+e,\quad f")
    [('', 'a'), ('rel', '=\\frac{b+c}{d}'), ('op', '+e,'), ('sep', 'f')]
    """
    pieces: list[tuple[str, str]] = []
    kind, start, depth, i = "", 0, 0, 0

    def cut(at: int, new_kind: str, skip: int = 0):
        nonlocal kind, start
        text = tex[start:at].strip()
        if text:
            pieces.append((kind, text))
        kind, start = new_kind, at + skip

    while i < len(tex):
        c = tex[i]
        if c == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", tex[i:])
            name = m.group(1)
            if name == "left":
                depth += 1
            elif name == "right":
                depth -= 1
            elif depth == 0 and name in ("quad", "qquad") and i > start:
                cut(i, "sep", len(m.group(0)))
            elif depth == 0 and "\\" + name in _RELATIONS and i > start:
                cut(i, "rel")
            i += len(m.group(0))
            continue
        if c in "{(":
            depth += 1
        elif c in "})":
            depth -= 1
        elif depth == 0 and i > start:
            prev = tex[:i].rstrip()[-1:]
            if tex.startswith(":=", i):
                cut(i, "rel")
                i += 2
                continue
            if c in "=<>" and prev != ":":
                cut(i, "rel")
            elif c in "+-" and prev not in ("", "(", "[", "{", "=", ",", "^", "_", "+", "-"):
                cut(i, "op")
        i += 1
    cut(len(tex), "")
    return pieces


def _lines(pieces, width: float) -> list[str]:
    """A separator and every relation but the first start a new line; within, the
    terms are filled greedily up to ``width`` (a continuation line indented)."""
    lines: list[str] = []
    first_rel = True
    for kind, text in pieces:
        new_line = kind == "sep" or (kind == "rel" and not first_rel)
        first_rel = kind == "sep" or (first_rel and kind != "rel")
        if lines and not new_line and visual_width(lines[-1] + text) + 1 <= width:
            lines[-1] += " " + text
        else:
            cont = lines and kind == "op"
            lines.append((r"\quad " if cont else "") + text)
    return lines


def fit_display(tex: str, width: float = 50) -> str:
    r"""``tex`` as is when it fits ``width`` units, else broken into a left-aligned
    ``aligned`` block (continuation lines indented by ``\quad``), shrunk when a line
    still does not fit (see the module doc)."""
    tex = tex.strip()
    if visual_width(tex) <= width:
        return tex
    pieces = top_level_pieces(tex)
    if any(k in ("sep", "rel") for k, _ in pieces[1:]) or len(pieces) > 1:
        lines = _lines(pieces, width)
        body = "\\begin{aligned}\n" + " \\\\\n".join("&" + ln for ln in lines) + "\n\\end{aligned}"
    else:
        lines, body = [tex], tex
    widest = max(visual_width(ln) for ln in lines)
    for cmd, scale in _SIZES:
        if widest * scale <= width or cmd == _SIZES[-1][0]:
            return body if widest <= width else cmd + " " + body
    return body  # pragma: no cover
