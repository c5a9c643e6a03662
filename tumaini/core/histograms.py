"""Medians and percentiles of values given as a histogram {value: how many}, without listing them:
the pre-computed dashboard counts keep histograms so that these summaries stay exact when months
are added together, and the live figures count the same histograms in SQL."""

from __future__ import annotations

import math
import statistics


def _values_at(histogram: dict[int, int], ranks: list[int]) -> list[int]:
    """The values at these positions (0-based, ascending) of the sorted list the histogram stands
    for."""
    wanted, found, seen = sorted(set(ranks)), [], 0
    for value in sorted(histogram):
        seen += histogram[value]
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
        if not wanted:
            break
    return found


def median(histogram: dict[int, int]) -> float | int | None:
    """statistics.median of the values: the middle one, or the mean of the two middle ones."""
    total = sum(histogram.values())
    if not total:
        return None
    found = _values_at(histogram, [(total - 1) // 2, total // 2])
    return found[0] if len(found) == 1 else statistics.median(found)


def nearest_rank(histogram: dict[int, int], share: float) -> int | None:
    """The percentile by nearest rank: the smallest value that at least `share` of them meet."""
    total = sum(histogram.values())
    if not total:
        return None
    return _values_at(histogram, [max(0, math.ceil(share * total) - 1)])[0]
