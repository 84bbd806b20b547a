"""Charts as SVG drawn on the server: no script, no chart library, nothing from a CDN.

Each chart is read at a glance (bars with their numbers written on them) and carries a title
for screen readers; the table behind it is the CSV download next to it.

The charts have no viewBox: they are as wide as the page, across in percentages, down in
pixels, so their text keeps its size (FONT_PX) on a phone as on a laptop. What would crowd a
narrow screen (a number on every column) has the class ``wide-only``, which the style sheet
hides below 40rem. A label is written above its bar, in full on up to three lines, and never
cut to the same text as another label (``label_lines``). The names of the parts are an
HTML legend above the chart, so they wrap as the screen needs.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Sequence

from markupsafe import Markup, escape

from ivr.core.call_figures import Table

INK, MUTED, LINE = "#1b1f23", "#4a5560", "#c9d1d9"
BLUE, GREEN = "#0b4f8a", "#1e6b35"
# Outcome colours: good (green) … lost (grey), readable for colour-blind eyes by order too.
# The legend's swatches are the classes swatch-0 … swatch-6 in staff.css, in the same order.
SEGMENT_COLOURS = ("#1e6b35", "#0b4f8a", "#b26b00", "#8a3b3b", "#5d6b78", "#9aa5b1", "#c7ced6")
FONT_PX = 14  # every text in every chart; the small ones are FONT_PX - 1
FONT = 'font-family="system-ui, sans-serif"'
LABEL_SIZE = 36  # characters a line: a label and its total side by side on a phone
LABEL_LINES = 3  # a label longer than this many lines is cut on its last
LINE_PX = 17
WIDE_ONLY = "wide-only"


def _svg(height: int, title: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" '
        f'role="img" class="chart" {FONT} font-size="{FONT_PX}"><title>{escape(title)}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _text(x: str, y: float, text: object, anchor: str = "start", **extra: str) -> str:
    attrs = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in extra.items())
    return f'<text x="{x}" y="{y:.1f}" text-anchor="{anchor}"{attrs}>{escape(text)}</text>'


def _pc(value: float) -> str:
    return f"{value:.2f}%"


def day_columns(table: Table, title: str) -> Markup:
    """Calls per day: one column a day, the number above it (on a wide screen), the date
    under every seventh (at most five on a narrow one, so the dates never overlap)."""
    rows = table.rows
    height, bottom = 220, 30
    step = 100 / max(len(rows), 1)
    top = max((int(r[1]) for r in rows), default=0) or 1
    narrow_every = 7 * max(1, -(-len(rows) // 35))  # at most 5 dates on a phone
    base = height - bottom
    body = [f'<line x1="0" y1="{base}" x2="100%" y2="{base}" stroke="{LINE}"/>']
    for i, (day, calls) in enumerate(rows):
        h = (base - 24) * int(calls) / top
        x = i * step
        body.append(
            f'<rect x="{_pc(x + step * 0.08)}" y="{base - h:.1f}" width="{_pc(step * 0.84)}" '
            f'height="{h:.1f}" fill="{BLUE}"><title>{escape(day)}: {calls}</title></rect>'
        )
        middle = _pc(x + step / 2)
        if calls and len(rows) <= 45:
            body.append(
                _text(middle, base - h - 4, calls, "middle", fill=INK, **{"class": WIDE_ONLY})
            )
        if i % 7 == 0:
            where = {} if i % narrow_every == 0 else {"class": WIDE_ONLY}
            anchor = "start" if i == 0 else "middle"
            x_text = "0" if i == 0 else middle
            body.append(_text(x_text, height - 8, str(day)[5:], anchor, fill=MUTED, **where))
    return _svg(height, title, body)


def week_grid(table: Table, title: str) -> Markup:
    """Calls per hour of the week: a row per day under its name, darker is busier; a green
    frame where the helpdesk is open. The number in a cell shows on a wide screen."""
    head, row_height, cell = 22, 52, 28
    height = head + 7 * row_height
    most = max((int(r[2]) for r in table.rows), default=0) or 1
    step = 100 / 24
    body = [
        _text(_pc(h * step), 15, h, **({} if h % 6 == 0 else {"class": WIDE_ONLY}), fill=MUTED)
        for h in range(0, 24, 2)
    ]
    for i, (day, hour, calls, open_) in enumerate(table.rows):
        row, col = divmod(i, 24)
        y = head + row * row_height
        if col == 0:
            body.append(_text("0", y + 15, day, fill=INK))
        x = int(hour) * step
        shade = 0.08 + 0.92 * int(calls) / most if calls else 0.0
        frame = f'stroke="{GREEN}" stroke-width="2"' if open_ == "ja" else f'stroke="{LINE}"'
        body.append(
            f'<rect x="{_pc(x + step * 0.06)}" y="{y + 20}" width="{_pc(step * 0.88)}" '
            f'height="{cell}" fill="{BLUE}" fill-opacity="{shade:.2f}" {frame}>'
            f"<title>{escape(day)} {hour}:00: {calls} gesprekken"
            f"{' (helpdesk open)' if open_ == 'ja' else ''}</title></rect>"
        )
        if calls:
            colour = "#fff" if shade > 0.5 else INK
            body.append(
                _text(_pc(x + step / 2), y + 39, calls, "middle", fill=colour,
                      font_size=str(FONT_PX - 1), **{"class": WIDE_ONLY})
            )  # fmt: skip
    return _svg(height, title, body)


def stacked_bars(
    labels: Sequence[str], parts: Sequence[Sequence[int]], names: Sequence[str], title: str
) -> Markup:
    """One horizontal bar per label, split into its parts, under the label and its total."""
    bar, gap = 24, 14
    most = max((sum(p) for p in parts), default=0) or 1
    body, y = [], 0
    for label, lines, values in zip(labels, label_lines(labels), parts, strict=True):
        body += _label(lines, y)
        body.append(_text("100%", y + 14, sum(values), "end", fill=MUTED))
        y += LINE_PX * len(lines)
        x = 0.0
        for i, value in enumerate(values):
            w = 100 * value / most
            if value:
                colour = SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)]
                body.append(
                    f'<rect x="{_pc(x)}" y="{y}" width="{_pc(w)}" height="{bar}" '
                    f'fill="{colour}"><title>{escape(label)}: {escape(names[i])} {value}</title>'
                    "</rect>"
                )
                if w >= 9:  # room for the number on a phone too
                    body.append(_text(_pc(x + w / 2), y + 17, value, "middle", fill="#fff"))
            x += w
        y += bar + gap
    return legend(names) + _svg(y + 2, title, body)


def share_bars(
    labels: Sequence[str], shares: Sequence[Sequence[float]], names: Sequence[str], title: str
) -> Markup:
    """Per label, one thin bar per share (0-100 %) with the share after it: the questions
    that confuse callers."""
    thin, gap = 16, 12
    body, y = [], 0
    for label, lines, values in zip(labels, label_lines(labels), shares, strict=True):
        body += _label(lines, y)
        y += LINE_PX * len(lines)
        for i, share in enumerate(values):
            w = 84 * share / 100  # room for "100 %" after the bar
            colour = SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)]
            body.append(
                f'<rect x="0" y="{y}" width="{_pc(max(w, 0.3))}" height="{thin - 3}" '
                f'fill="{colour}"><title>{escape(label)}: {escape(names[i])} {share} %</title>'
                "</rect>"
            )
            if share:
                body.append(
                    _text(_pc(w + 1), y + thin - 4, f"{share:g} %", fill=INK,
                          font_size=str(FONT_PX - 1))
                )  # fmt: skip
            y += thin
        y += gap
    return legend(names) + _svg(y + 2, title, body)


def _label(lines: Sequence[str], y: float) -> list[str]:
    return [_text("0", y + 14 + n * LINE_PX, line, fill=INK) for n, line in enumerate(lines)]


def legend(names: Sequence[str]) -> Markup:
    """Each part's colour and name, as a list that wraps on a narrow screen."""
    items = "".join(
        f'<li><span class="swatch swatch-{i % len(SEGMENT_COLOURS)}"></span>{escape(name)}</li>'
        for i, name in enumerate(names)
    )
    return Markup(f'<ul class="legend">{items}</ul>')


def label_lines(labels: Sequence[str]) -> list[list[str]]:
    """Each label on up to LABEL_LINES lines of LABEL_SIZE characters, cut on the last line if
    it is longer; labels that would read the same are numbered ("… (2)"), so no two do."""
    found = []
    for label in labels:
        lines = textwrap.wrap(label, LABEL_SIZE) or [""]
        if len(lines) > LABEL_LINES:
            rest = " ".join(lines[LABEL_LINES - 1 :])
            lines = [*lines[: LABEL_LINES - 1], _short(rest, LABEL_SIZE)]
        found.append(lines)
    seen, number = Counter(" ".join(lines) for lines in found), Counter[str]()
    for lines in found:
        text = " ".join(lines)
        if seen[text] > 1:
            number[text] += 1
            lines[-1] = f"{_short(lines[-1], LABEL_SIZE - 4)} ({number[text]})"
    return found


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"
