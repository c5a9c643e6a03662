"""The CTDC export: built, k-anonymised, written as CSV, and audited as an export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction

from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.insights import ctdc
from tumaini.insights.selectors import ctdc_cases, ctdc_survivors


@dataclass
class CtdcExport:
    csv_text: str
    anonymised: ctdc.Anonymised
    excluded: dict[str, int]
    considered: int

    @property
    def summary(self) -> dict:
        return {
            "cases_considered": self.considered,
            "rows_exported": len(self.anonymised.rows),
            "rows_left_out_for_k": self.anonymised.rows_left_out,
            "values_suppressed": self.anonymised.suppressed_values,
            "k": self.anonymised.k,
            "smallest_group": self.anonymised.smallest_group,
            **self.excluded,
        }


def ctdc_export(*, actor=None, organisation_id=None, request=None, k: int = ctdc.K) -> CtdcExport:
    """The export for a director (their organisation, through the access policy) or, with no actor,
    for the `export_ctdc` command (every organisation, or the one named)."""
    cases = ctdc_cases(user=actor, organisation_id=organisation_id)
    survivors, excluded = ctdc_survivors(cases)
    anonymised = ctdc.anonymise([ctdc.row_for(s) for s in survivors], k=k)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ctdc.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(anonymised.rows)
    export = CtdcExport(
        csv_text=buffer.getvalue(),
        anonymised=anonymised,
        excluded=excluded,
        considered=len(survivors) + sum(excluded.values()),
    )
    with transaction.atomic():
        audit_record(
            action=AuditAction.EXPORT,
            actor=actor,
            request=request,
            object_type="insights.ctdcexport",
            object_organisation_id=organisation_id
            if organisation_id is not None
            else getattr(actor, "organisation_id", None),
            detail=export.summary,
            username="" if actor else "manage.py export_ctdc",
        )
    return export
