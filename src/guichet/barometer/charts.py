"""Charts rendered on the server as SVG (no script), each with a title and description for
assistive technologies; pages print the data table beside each chart."""

import hashlib
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

# Levels 0-4 from light to dark (contrast against white text checked for 2-4).
LEVEL_COLOURS = ("#e3e3fd", "#b1b1f9", "#6a6af4", "#313178", "#1b1b35")
LEVEL_TEXT = ("#161616", "#161616", "#ffffff", "#ffffff", "#ffffff")
INTERNAL_COLOUR = "#000091"
RELATION_COLOUR = "#c9191e"
GRID = "#929292"
FONT = 'font-family="Marianne, Arial, sans-serif" font-size="12"'


@dataclass(frozen=True)
class Bar:
    label: str
    parts: tuple[float, ...]  # shares of each level, summing to 1
    note: str = ""


def _label_width(labels: list[str]) -> int:
    """Room for the longest label at 12 px (about 6.6 units a character)."""
    return int(max([len(label) for label in labels] + [10]) * 6.6) + 16


def _svg(width: int, height: int, title: str, description: str, body: list[str]) -> SafeString:
    ident = "c" + hashlib.sha256(f"{title}|{description}".encode()).hexdigest()[:10]
    return mark_safe(  # noqa: S308 - every text below is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{ident}-t {ident}-d" class="chart">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def stacked(*, title: str, description: str, bars: list[Bar], legend: list[str]) -> SafeString:
    """Horizontal bars, each stacked over levels 0-4, with a legend."""
    label_width = _label_width([bar.label for bar in bars])
    bar_width, row = 360, 26
    height = 40 + row * len(bars) + 30
    body = []
    for index, bar in enumerate(bars):
        y = 30 + index * row
        body.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" {FONT} fill="#161616">'
            f"{escape(bar.label)}</text>"
        )
        x = float(label_width)
        for level, share in enumerate(bar.parts):
            width = share * bar_width
            if width <= 0:
                continue
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="20" '
                f'fill="{LEVEL_COLOURS[level]}"/>'
            )
            if width >= 26:
                body.append(
                    f'<text x="{x + width / 2:.1f}" y="{y + 14}" text-anchor="middle" '
                    f'{FONT} fill="{LEVEL_TEXT[level]}">{round(share * 100)}</text>'
                )
            x += width
        if bar.note:
            body.append(
                f'<text x="{label_width + bar_width + 6}" y="{y + 15}" {FONT} fill="#161616">'
                f"{escape(bar.note)}</text>"
            )
    y = 30 + row * len(bars) + 8
    for level, text in enumerate(legend):
        x = label_width + level * 72
        body.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{LEVEL_COLOURS[level]}" stroke="{GRID}"/>'
        )
        body.append(f'<text x="{x + 16}" y="{y + 11}" {FONT} fill="#161616">{escape(text)}</text>')
    return _svg(label_width + bar_width + 90, height, title, description, body)


def dots(
    *,
    title: str,
    description: str,
    rows: list[tuple[str, float, float]],
    legend: tuple[str, str],
) -> SafeString:
    """A gap dot-plot: per row, two shares (0-1) joined by a line."""
    label_width = _label_width([label for label, _first, _second in rows])
    scale, row = 360, 26
    height = 50 + row * len(rows) + 24
    body = []
    for tick in range(0, 101, 25):
        x = label_width + tick / 100 * scale
        body.append(
            f'<line x1="{x}" y1="24" x2="{x}" y2="{24 + row * len(rows)}" stroke="{GRID}" stroke-width="0.5"/>'
        )
        body.append(
            f'<text x="{x}" y="18" text-anchor="middle" {FONT} fill="#161616">{tick} %</text>'
        )
    for index, (label, first, second) in enumerate(rows):
        y = 36 + index * row
        x1, x2 = label_width + first * scale, label_width + second * scale
        body.append(
            f'<text x="{label_width - 8}" y="{y + 4}" text-anchor="end" {FONT} fill="#161616">'
            f"{escape(label)}</text>"
        )
        body.append(
            f'<line x1="{x1:.1f}" y1="{y}" x2="{x2:.1f}" y2="{y}" stroke="{GRID}" stroke-width="2"/>'
        )
        body.append(f'<circle cx="{x1:.1f}" cy="{y}" r="6" fill="{INTERNAL_COLOUR}"/>')
        body.append(
            f'<rect x="{x2 - 5:.1f}" y="{y - 5}" width="10" height="10" fill="{RELATION_COLOUR}"/>'
        )
    y = 36 + row * len(rows) + 4
    body.append(f'<circle cx="{label_width + 6}" cy="{y + 6}" r="6" fill="{INTERNAL_COLOUR}"/>')
    body.append(
        f'<text x="{label_width + 16}" y="{y + 10}" {FONT} fill="#161616">{escape(legend[0])}</text>'
    )
    body.append(
        f'<rect x="{label_width + 170}" y="{y + 1}" width="10" height="10" fill="{RELATION_COLOUR}"/>'
    )
    body.append(
        f'<text x="{label_width + 186}" y="{y + 10}" {FONT} fill="#161616">{escape(legend[1])}</text>'
    )
    return _svg(label_width + scale + 30, height, title, description, body)


def columns(
    *, title: str, description: str, points: list[tuple[str, float | None]], unit: str = "%"
) -> SafeString:
    """Vertical bars of shares (0-1) or values; None draws nothing (not measurable)."""
    width, height, left, bottom = 520, 200, 40, 160
    values = [v for _l, v in points if v is not None]
    top = max([*values, 1.0]) if unit == "%" else max([*values, 1e-9])
    step = (width - left - 10) / max(1, len(points))
    body = [f'<line x1="{left}" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="{GRID}"/>']
    for index, (label, value) in enumerate(points):
        x = left + index * step + step * 0.15
        body.append(
            f'<text x="{x + step * 0.35:.1f}" y="{bottom + 16}" text-anchor="middle" {FONT} '
            f'fill="#161616">{escape(label)}</text>'
        )
        if value is None:
            continue
        bar = value / top * (bottom - 30)
        body.append(
            f'<rect x="{x:.1f}" y="{bottom - bar:.1f}" width="{step * 0.7:.1f}" '
            f'height="{bar:.1f}" fill="{INTERNAL_COLOUR}"/>'
        )
        shown = f"{round(value * 100)}" if unit == "%" else f"{value:g}"
        body.append(
            f'<text x="{x + step * 0.35:.1f}" y="{bottom - bar - 4:.1f}" text-anchor="middle" '
            f'{FONT} fill="#161616">{escape(shown)}</text>'
        )
    return _svg(width, height + 10, title, description, body)
