"""Charts as SVG drawn on the server: no script, no chart library, nothing from a CDN.

Each chart is read at a glance (bars with their numbers written on them) and carries a title
for screen readers; the table behind it is the CSV download next to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from ivr.core.call_figures import Table

INK, MUTED, LINE = "#1b1f23", "#4a5560", "#c9d1d9"
BLUE, GREEN = "#0b4f8a", "#1e6b35"
# Outcome colours: good (green) … lost (grey), readable for colour-blind eyes by order too.
SEGMENT_COLOURS = ("#1e6b35", "#0b4f8a", "#b26b00", "#8a3b3b", "#5d6b78", "#9aa5b1", "#c7ced6")
FONT = 'font-family="system-ui, sans-serif"'
LEGEND_COLUMNS = 3  # names of up to about 30 characters side by side


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="chart" {FONT} font-size="13"><title>{escape(title)}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _text(x: float, y: float, text: object, anchor: str = "start", **extra: str) -> str:
    attrs = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in extra.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{attrs}>{escape(text)}</text>'


def day_columns(table: Table, title: str) -> Markup:
    """Calls per day: one column a day, the number above it, a date under every seventh."""
    rows = table.rows
    width, height, left, bottom = 760, 220, 8, 36
    step = (width - 2 * left) / max(len(rows), 1)
    top = max((int(r[1]) for r in rows), default=0) or 1
    body = [f'<line x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
            f'stroke="{LINE}"/>']  # fmt: skip
    for i, (day, calls) in enumerate(rows):
        h = (height - bottom - 24) * int(calls) / top
        x = left + i * step
        body.append(
            f'<rect x="{x + 1:.1f}" y="{height - bottom - h:.1f}" width="{max(step - 2, 1):.1f}" '
            f'height="{h:.1f}" fill="{BLUE}"><title>{escape(day)}: {calls}</title></rect>'
        )
        if calls and len(rows) <= 45:
            body.append(_text(x + step / 2, height - bottom - h - 4, calls, "middle", fill=INK))
        if i % 7 == 0 or (i == len(rows) - 1 and i % 7 > 3):
            body.append(_text(x + step / 2, height - 14, str(day)[5:], "middle", fill=MUTED))
    return _svg(width, height, title, body)


def week_grid(table: Table, title: str) -> Markup:
    """Calls per hour of the week: darker is busier; a green frame where the helpdesk is open."""
    width, left, top, cell = 760, 92, 22, 27.0
    height = int(top + 7 * cell + 8)
    most = max((int(r[2]) for r in table.rows), default=0) or 1
    body = [_text(left + h * cell + cell / 2, 15, h, "middle", fill=MUTED) for h in range(0, 24, 2)]
    for i, (day, hour, calls, open_) in enumerate(table.rows):
        row, col = divmod(i, 24)
        if col == 0:
            body.append(_text(left - 8, top + row * cell + cell * 0.65, day, "end", fill=INK))
        x, y = left + int(hour) * cell, top + row * cell
        shade = 0.08 + 0.92 * int(calls) / most if calls else 0.0
        frame = f'stroke="{GREEN}" stroke-width="2"' if open_ == "ja" else f'stroke="{LINE}"'
        body.append(
            f'<rect x="{x + 1:.1f}" y="{y + 1:.1f}" width="{cell - 2:.1f}" height="{cell - 2:.1f}"'
            f' fill="{BLUE}" fill-opacity="{shade:.2f}" {frame}>'
            f"<title>{escape(day)} {hour}:00: {calls} gesprekken"
            f"{' (helpdesk open)' if open_ == 'ja' else ''}</title></rect>"
        )
        if calls:
            colour = "#fff" if shade > 0.5 else INK
            body.append(_text(x + cell / 2, y + cell * 0.65, calls, "middle", fill=colour))
    return _svg(width, height, title, body)


def stacked_bars(
    labels: Sequence[str], parts: Sequence[Sequence[int]], names: Sequence[str], title: str
) -> Markup:
    """One horizontal bar per label, split into its parts; a legend of the parts' names."""
    width, left, bar, gap = 760, 250, 24, 12
    top = _legend_height(names)
    height = top + len(labels) * (bar + gap) + 4
    most = max((sum(p) for p in parts), default=0) or 1
    body = _legend(names)
    for row, (label, values) in enumerate(zip(labels, parts, strict=True)):
        y = top + row * (bar + gap)
        body.append(_text(left - 8, y + bar * 0.7, _short(label, 32), "end", fill=INK))
        x = float(left)
        for i, value in enumerate(values):
            w = (width - left - 40) * value / most
            if value:
                colour = SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)]
                body.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}">'
                    f"<title>{escape(label)}: {escape(names[i])} {value}</title></rect>"
                )
                if w > 22:
                    body.append(_text(x + w / 2, y + bar * 0.7, value, "middle", fill="#fff"))
            x += w
        body.append(_text(x + 6, y + bar * 0.7, sum(values), fill=MUTED))
    return _svg(width, height, title, body)


def share_bars(
    labels: Sequence[str], shares: Sequence[Sequence[float]], names: Sequence[str], title: str
) -> Markup:
    """Per label, one thin bar per share (0-100 %): the questions that confuse callers."""
    width, left, thin = 760, 250, 11
    group = thin * len(names) + 12
    top = _legend_height(names)
    height = top + len(labels) * group + 4
    body = _legend(names)
    for row, (label, values) in enumerate(zip(labels, shares, strict=True)):
        y0 = top + row * group
        body.append(_text(left - 8, y0 + group / 2, _short(label, 32), "end", fill=INK))
        for i, share in enumerate(values):
            y, w = y0 + i * thin, (width - left - 60) * share / 100
            colour = SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)]
            body.append(
                f'<rect x="{left}" y="{y}" width="{max(w, 1):.1f}" height="{thin - 2}" '
                f'fill="{colour}"><title>{escape(label)}: {escape(names[i])} {share} %</title>'
                "</rect>"
            )
            if share:
                label_x = left + w + 4
                body.append(
                    _text(label_x, y + thin - 2.5, f"{share:g} %", fill=INK, font_size="10")
                )
    return _svg(width, height, title, body)


def _legend(names: Sequence[str]) -> list[str]:
    """Each part's colour and name, in rows of LEGEND_COLUMNS above the bars."""
    body = []
    for i, name in enumerate(names):
        x, y = 8 + (i % LEGEND_COLUMNS) * 250, 8 + (i // LEGEND_COLUMNS) * 22
        colour = SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)]
        body.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour}"/>')
        body.append(_text(x + 20, y + 12, name, fill=INK))
    return body


def _legend_height(names: Sequence[str]) -> int:
    return 8 + 22 * ((len(names) + LEGEND_COLUMNS - 1) // LEGEND_COLUMNS)


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"
