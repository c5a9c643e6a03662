"""Charts drawn on the server as SVG: no JavaScript, no tile server, and they print into PDFs.

Colours come from classes in our stylesheet (the strict CSP allows no inline style); every chart has a
title and a description for screen readers, and the numbers are shown beside it in a table.
"""

from __future__ import annotations

import json
from functools import lru_cache
from math import cos, radians
from pathlib import Path

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from tumaini.insights.figures import Distribution

GEO = Path(__file__).resolve().parents[1] / "core" / "data" / "geo"
MAP_WIDTH = 560
LEVELS = 5
# Colours as SVG presentation attributes (not CSS): the PDF renderer does not apply stylesheets
# inside SVG, and the CSP forbids inline style. Light to dark blue; grey for a suppressed count.
TEXT, BAR, SUPPRESSED = "#1b1b1b", "#2f5d8a", "#c9c9c9"
MAP_FILLS = ["#f0f0f0", "#d6e4f0", "#a9c6e0", "#6f9fc9", "#3b73a8", "#1d4a75"]


def bar_chart(
    distribution: Distribution, *, title: str, width: int = 420, suppressed: str = "<5"
) -> SafeString:
    """Horizontal bars, one per cell; a suppressed cell is drawn as a hatched stub, not a length."""
    bar_height, gap, label_width = 18, 6, 170
    cells = distribution.cells
    height = max(1, len(cells)) * (bar_height + gap) + gap
    largest = distribution.largest or 1
    plot = width - label_width - 50
    parts = [
        format_html(
            '<svg class="chart bar-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t">'
            '<title id="{}-t">{}</title>',
            width,
            height,
            distribution.title,
            distribution.title,
            title,
        )
    ]
    for index, cell in enumerate(cells):
        y = gap + index * (bar_height + gap)
        label = cell.label if len(cell.label) <= 26 else cell.label[:25] + "…"
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                label_width - 6,
                y + bar_height - 5,
                TEXT,
                label,
            )
        )
        if cell.count is None:
            parts.append(
                format_html(
                    '<rect class="chart-bar chart-bar-suppressed" x="{}" y="{}" width="{}" '
                    'height="{}" fill="{}"/><text class="chart-value" x="{}" y="{}" fill="{}">{}</text>',
                    label_width,
                    y,
                    12,
                    bar_height,
                    SUPPRESSED,
                    label_width + 18,
                    y + bar_height - 5,
                    TEXT,
                    suppressed,
                )
            )
            continue
        length = round(plot * cell.count / largest) if cell.count else 0
        parts.append(
            format_html(
                '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text class="chart-value" x="{}" y="{}" fill="{}">{}</text>',
                label_width,
                y,
                max(length, 1),
                bar_height,
                BAR,
                label_width + max(length, 1) + 6,
                y + bar_height - 5,
                TEXT,
                cell.count,
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - our own constant markup
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part is escaped above


@lru_cache(maxsize=2)
def _shapes(kind: str) -> list[tuple[int, str, list]]:
    """(code, name, rings) of Nairobi's sub-counties or wards, read once per process."""
    if kind == "ward":
        data = json.loads((GEO / "nairobi_wards_simplified.geojson").read_text(encoding="utf-8"))
        key, name = "ward_code", "ward_name"
    else:
        data = json.loads(
            (GEO / "nairobi_subcounties_from_wards.geojson").read_text(encoding="utf-8")
        )
        key, name = "constituency_code", "sub_county"
    shapes = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings = [ring for polygon in polygons for ring in polygon]
        props = feature["properties"]
        shapes.append((int(props[key]), str(props[name]).title(), rings))
    return shapes


def _projection(shapes):
    """Longitude/latitude to SVG pixels: equirectangular, scaled by the cosine of the latitude."""
    points = [pt for _, _, rings in shapes for ring in rings for pt in ring]
    min_x = min(p[0] for p in points)
    max_x = max(p[0] for p in points)
    min_y = min(p[1] for p in points)
    max_y = max(p[1] for p in points)
    squash = cos(radians((min_y + max_y) / 2))
    scale = MAP_WIDTH / ((max_x - min_x) * squash)
    height = round((max_y - min_y) * scale)

    def project(point):
        return (
            round((point[0] - min_x) * squash * scale, 1),
            round((max_y - point[1]) * scale, 1),
        )

    return project, height


def nairobi_map(
    counts: dict[int, int | None],
    *,
    title: str,
    kind: str = "sub_county",
    link: str | None = None,
    selected: int | None = None,
    suppressed: str = "<5",
) -> SafeString:
    """A choropleth of Nairobi. `counts` maps IEBC codes to a count (None when suppressed);
    `link` is a URL with `{code}` where a click on an area should go (filter by sub-county)."""
    shapes = _shapes(kind)
    project, height = _projection(shapes)
    largest = max((c for c in counts.values() if c), default=0)
    parts = [
        format_html(
            '<svg class="chart nairobi-map" viewBox="0 0 {} {}" role="img" aria-labelledby="map-t">'
            '<title id="map-t">{}</title>',
            MAP_WIDTH,
            height,
            title,
        )
    ]
    for code, name, rings in shapes:
        count = counts.get(code, 0)
        if count is None:
            level, fill, shown = "suppressed", SUPPRESSED, suppressed
        else:
            step = 0 if not count else 1 + min(LEVELS - 1, (LEVELS * (count - 1)) // largest)
            level, fill, shown = str(step), MAP_FILLS[step], str(count)
        path = " ".join(
            "M" + " L".join(f"{x},{y}" for x, y in (project(p) for p in ring)) + " Z"
            for ring in rings
        )
        classes = f"map-area map-level-{level}" + (" map-selected" if code == selected else "")
        shape = format_html(
            '<path class="{}" d="{}" fill="{}" stroke="#ffffff" stroke-width="1">'
            "<title>{}: {}</title></path>",
            classes,
            path,
            fill,
            name,
            shown,
        )
        if link:
            shape = format_html(
                '<a href="{}" aria-label="{}: {}">{}</a>',
                link.replace("{code}", str(code)),
                name,
                shown,
                shape,
            )
        parts.append(shape)
    parts.append(mark_safe("</svg>"))  # noqa: S308 - our own constant markup
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part is escaped above


def map_names(kind: str = "sub_county") -> dict[int, str]:
    return {code: name for code, name, _ in _shapes(kind)}


BEFORE_BAR = "#a9c6e0"


def paired_bar_chart(
    rows: list[dict],
    *,
    chart_id: str,
    title: str,
    before_label: str,
    during_label: str,
    width: int = 420,
    suppressed: str = "<5",
) -> SafeString:
    """Two horizontal bars per row, "before" (light) over "during" (dark), sized by each row's
    `before_per_week` and `during_per_week`; a suppressed value (None) is a grey stub."""
    bar_height, pair_gap, label_width, legend = 12, 10, 170, 22
    height = legend + max(1, len(rows)) * (2 * bar_height + pair_gap) + pair_gap
    largest = max(
        (v for r in rows for v in (r["before_per_week"], r["during_per_week"]) if v), default=0
    )
    largest = largest or 1
    plot = width - label_width - 50
    parts = [
        format_html(
            '<svg class="chart paired-bar-chart" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="{}-t"><title id="{}-t">{}</title>',
            width,
            height,
            chart_id,
            chart_id,
            title,
        ),
        format_html(
            '<rect x="{}" y="4" width="10" height="10" fill="{}"/>'
            '<text class="chart-label" x="{}" y="13" fill="{}">{}</text>'
            '<rect x="{}" y="4" width="10" height="10" fill="{}"/>'
            '<text class="chart-label" x="{}" y="13" fill="{}">{}</text>',
            label_width,
            BEFORE_BAR,
            label_width + 14,
            TEXT,
            before_label,
            label_width + 120,
            BAR,
            label_width + 134,
            TEXT,
            during_label,
        ),
    ]
    for index, row in enumerate(rows):
        y = legend + pair_gap + index * (2 * bar_height + pair_gap)
        label = row["label"] if len(row["label"]) <= 26 else row["label"][:25] + "…"
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                label_width - 6,
                y + bar_height + 4,
                TEXT,
                label,
            )
        )
        for offset, value, fill in (
            (0, row["before_per_week"], BEFORE_BAR),
            (bar_height, row["during_per_week"], BAR),
        ):
            if value is None:
                length, fill, shown = 12, SUPPRESSED, suppressed
            else:
                length, shown = max(round(plot * value / largest), 1), f"{value:g}"
            parts.append(
                format_html(
                    '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text class="chart-value" x="{}" y="{}" fill="{}">{}</text>',
                    label_width,
                    y + offset,
                    length,
                    bar_height - 1,
                    fill,
                    label_width + length + 6,
                    y + offset + bar_height - 2,
                    TEXT,
                    shown,
                )
            )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - our own constant markup
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part is escaped above


def campaign_charts(campaigns: list[dict], *, suppressed: str = "<5") -> list[dict]:
    """Each campaign of the figures with its table (`figures.campaign_table`) and its chart of
    reports per week before and during, for the dashboard and the situation report alike."""
    from django.utils.translation import gettext as _

    from tumaini.insights.figures import campaign_table

    sections = []
    for index, campaign in enumerate(campaigns):
        table = campaign_table(campaign)
        sections.append(
            {
                "campaign": campaign,
                "table": table,
                "svg": paired_bar_chart(
                    table["rows"],
                    chart_id=f"campaign-{index}",
                    title=_("Reports per week before and during %(name)s")
                    % {"name": campaign["name"]},
                    before_label=_("Before"),
                    during_label=_("During"),
                    suppressed=suppressed,
                ),
            }
        )
    return sections
