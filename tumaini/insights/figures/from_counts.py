"""The dashboard's figures built from pre-computed counts (insights/aggregates.py sums them): the
same structures the live figures give, so suppression and templates treat both alike."""

from __future__ import annotations

from collections import Counter, defaultdict

from tumaini.core.histograms import median
from tumaini.insights import figures

SEP = "\t"  # between the parts of a key (a partner's name may hold anything printable)


def _of(counts: Counter, figure: str) -> Counter:
    return Counter({key: n for (fig, key), n in counts.items() if fig == figure})


def _codes(counter: Counter) -> Counter:
    return Counter({int(code): n for code, n in counter.items()})


def scope_from(counts: Counter) -> dict:
    counters = {name: _of(counts, name) for name in figures.SCOPE_COUNTERS}
    counters["age_sex"] = Counter(
        {tuple(key.split(SEP, 1)): n for key, n in counters["age_sex"].items()}
    )
    for name in figures.SCOPE_COUNTERS:
        if name.endswith(("_sub_county", "_ward")):
            counters[name] = _codes(counters[name])
    return figures.scope_result(counts.get(("total", ""), 0), counters)


def reports_from(counts: Counter) -> dict:
    return figures.report_result(
        _of(counts, "channels"),
        _codes(_of(counts, "reports_by_sub_county")),
        _codes(_of(counts, "reports_by_ward")),
    )


def justice_from(counts: Counter) -> dict:
    justice = _of(counts, "justice")
    return {name: justice.get(name, 0) for name in ("reported", "prosecuted", "convicted")}


def _histograms(counter: Counter) -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = defaultdict(dict)
    for key, n in counter.items():
        kind, days = key.rsplit(SEP, 1)
        out[kind][int(days)] = out[kind].get(int(days), 0) + n
    return out


def gaps_from(counts: Counter, shelter: dict) -> dict:
    from tumaini.care.enums import ServiceType
    from tumaini.cases.enums import NeedType
    from tumaini.referrals.enums import ReferralStatus

    needs = _of(counts, "needs")
    need_days = _histograms(_of(counts, "need_days"))
    need_rows = []
    for need_type in NeedType.values:
        identified = needs.get(need_type + SEP + "identified", 0)
        if identified:
            need_rows.append(
                {
                    "need_type": need_type,
                    "label": NeedType(need_type).label,
                    "identified": identified,
                    **{
                        status: needs.get(need_type + SEP + status, 0)
                        for status in ("delivered", "planned", "missing")
                    },
                    "median_days_to_service": median(need_days.get(need_type, {})),
                }
            )
    labels = dict(ServiceType.choices)
    waits = _histograms(_of(counts, "first_service"))
    first_service = [
        {
            "label": str(labels.get(kind, kind)),
            "cases": sum(days.values()),
            "median_days": median(days),
        }
        for kind, days in sorted(waits.items(), key=lambda item: str(labels.get(item[0])))
    ]
    by_partner: dict[str, dict] = {}
    for key, n in _of(counts, "referrals").items():
        name, status = key.rsplit(SEP, 1)
        row = by_partner.setdefault(
            name, {"partner": name, "sent": 0, "accepted": 0, "completed": 0, "declined": 0}
        )
        row["sent"] += n
        if status in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED):
            row["accepted"] += n
        if status == ReferralStatus.COMPLETED:
            row["completed"] += n
        if status == ReferralStatus.DECLINED:
            row["declined"] += n
    return {
        "needs": need_rows,
        "first_service": first_service,
        "shelter": shelter,
        "referrals": sorted(by_partner.values(), key=lambda row: row["partner"]),
    }
