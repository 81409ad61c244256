"""The operation's timeline drawn as SVG on the server, from the same rows as its table.

Each phase is a row: the planned period as an outlined bar, the actual period as a filled
bar (to today while the phase runs), red when late. Every bar carries its dates in a
`<title>` (read by screen readers and shown on hover) and in `data-` attributes; the page
shows the same dates in a table next to it, which is the accessible alternative.
"""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from guichet.real_estate.models import Milestone, Phase

WIDTH = 760
LABEL_WIDTH = 250
ROW_HEIGHT = 30
TOP = 30
COLOURS = {"planned": "#4d4d4d", "actual": "#000091", "late": "#b3261e", "today": "#18753c"}


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One phase as shown in both the drawing and the table."""

    label: str
    kind: str
    planned_start: datetime.date
    planned_end: datetime.date
    actual_start: datetime.date | None
    actual_end: datetime.date | None
    state: str
    is_late: bool


def timeline_rows(*, phases: list[Phase], today: datetime.date) -> list[TimelineRow]:
    return [
        TimelineRow(
            label=phase.get_kind_display(),
            kind=phase.kind,
            planned_start=phase.planned_start,
            planned_end=phase.planned_end,
            actual_start=phase.actual_start,
            actual_end=phase.actual_end,
            state=phase.state(today=today),
            is_late=phase.is_late(today=today),
        )
        for phase in phases
    ]


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def timeline_svg(
    *,
    rows: list[TimelineRow],
    milestones: list[Milestone],
    today: datetime.date,
    title_id: str = "frise-titre",
) -> SafeString:
    if not rows:
        return SafeString("")
    dates = [
        d for r in rows for d in (r.planned_start, r.planned_end, r.actual_start, r.actual_end)
    ]
    dates += [m.planned_on for m in milestones] + [today]
    first = min(d for d in dates if d is not None)
    last = max(d for d in dates if d is not None)
    span = max((last - first).days, 1)
    scale = (WIDTH - LABEL_WIDTH - 10) / span

    def x(day: datetime.date) -> float:
        return round(LABEL_WIDTH + (day - first).days * scale, 1)

    height = TOP + ROW_HEIGHT * (len(rows) + (1 if milestones else 0)) + 10
    parts = [_years(first, last, x, height)]
    for index, row in enumerate(rows):
        parts.append(_row(row, index, x, today))
    if milestones:
        parts.append(_milestones(milestones, len(rows), x))
    if first <= today <= last:
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="4 3"><title>{}</title></line>',
                x(today),
                x(today),
                TOP - 8,
                height - 5,
                COLOURS["today"],
                _("Aujourd'hui : %(date)s") % {"date": _day(today)},
            )
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'role="img" aria-labelledby="{}" class="timeline-svg" focusable="false">'
        '<title id="{}">{}</title>{}</svg>',
        WIDTH,
        height,
        title_id,
        title_id,
        _("Frise des phases de l'opération (mêmes données dans le tableau qui suit)"),
        SafeString("".join(parts)),
    )


def _years(first: datetime.date, last: datetime.date, x, height: int) -> str:
    ticks = []
    for year in range(first.year + 1, last.year + 1):
        position = x(datetime.date(year, 1, 1))
        ticks.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#767676" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="12" fill="#1e1e1e">{}</text>',
                position,
                position,
                TOP - 12,
                height - 5,
                position + 3,
                TOP - 14,
                year,
            )
        )
    return "".join(ticks)


def _row(row: TimelineRow, index: int, x, today: datetime.date) -> str:
    y = TOP + index * ROW_HEIGHT
    planned_title = _("%(phase)s — prévu du %(start)s au %(end)s") % {
        "phase": row.label,
        "start": _day(row.planned_start),
        "end": _day(row.planned_end),
    }
    parts = [
        format_html(
            '<text x="0" y="{}" font-size="13" fill="#1e1e1e">{}{}</text>',
            y + 18,
            row.label,
            " ⚠" if row.is_late else "",
        ),
        format_html(
            '<rect class="planned" x="{}" y="{}" width="{}" height="{}" fill="none" '
            'stroke="{}" stroke-width="1.5"><title>{}</title></rect>',
            x(row.planned_start),
            y + 4,
            max(x(row.planned_end) - x(row.planned_start), 2),
            ROW_HEIGHT - 8,
            COLOURS["planned"],
            planned_title,
        ),
    ]
    if row.actual_start is not None:
        end = row.actual_end or max(today, row.actual_start)
        actual_title = (
            _("%(phase)s — réalisé du %(start)s au %(end)s")
            if row.actual_end
            else _("%(phase)s — commencé le %(start)s, en cours")
        ) % {"phase": row.label, "start": _day(row.actual_start), "end": _day(end)}
        if row.is_late:
            actual_title += " — " + _("en retard")
        parts.append(
            format_html(
                '<rect class="actual" x="{}" y="{}" width="{}" height="{}" fill="{}">'
                "<title>{}</title></rect>",
                x(row.actual_start),
                y + 9,
                max(x(end) - x(row.actual_start), 2),
                ROW_HEIGHT - 18,
                COLOURS["late"] if row.is_late else COLOURS["actual"],
                actual_title,
            )
        )
    return format_html(
        '<g data-phase="{}" data-planned-start="{}" data-planned-end="{}" '
        'data-actual-start="{}" data-actual-end="{}" data-late="{}">{}</g>',
        row.kind,
        row.planned_start.isoformat(),
        row.planned_end.isoformat(),
        row.actual_start.isoformat() if row.actual_start else "",
        row.actual_end.isoformat() if row.actual_end else "",
        "true" if row.is_late else "false",
        SafeString("".join(parts)),
    )


def _milestones(milestones: list[Milestone], index: int, x) -> str:
    y = TOP + index * ROW_HEIGHT + ROW_HEIGHT // 2
    label = format_html(
        '<text x="0" y="{}" font-size="13" fill="#1e1e1e">{}</text>', y + 5, _("Jalons")
    )
    marks = format_html_join(
        "",
        '<g data-milestone="{}" data-planned-on="{}"><polygon points="{},{} {},{} {},{} {},{}" '
        'fill="{}"><title>{}</title></polygon></g>',
        (
            (
                m.name,
                m.planned_on.isoformat(),
                x(m.planned_on),
                y - 7,
                x(m.planned_on) + 7,
                y,
                x(m.planned_on),
                y + 7,
                x(m.planned_on) - 7,
                y,
                COLOURS["today"] if m.achieved_on else COLOURS["planned"],
                f"{m.name} — {_day(m.planned_on)}",
            )
            for m in milestones
        ),
    )
    return label + marks
