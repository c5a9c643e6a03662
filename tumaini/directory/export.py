"""The directory as an HSDS 3.0 tabular data package: one CSV per object and `datapackage.json`, zipped.

Rows come from the same HSDS objects as the API (tumaini/directory/hsds.py), so the package can
never publish more than the API: no contact persons, no MoU, no shelter whereabouts. Columns follow
the HSDS descriptor (tumaini/directory/data/hsds_datapackage.json) field by field.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from tumaini.directory import hsds

_DESCRIPTOR = Path(__file__).parent / "data" / "hsds_datapackage.json"


@cache
def descriptor() -> dict[str, Any]:
    return json.loads(_DESCRIPTOR.read_text(encoding="utf-8"))


def data_package_filename() -> str:
    return f"tumaini-directory-hsds-{timezone.localdate():%Y-%m-%d}.zip"


def _cell(value: Any, field_type: str) -> str:
    if value is None:
        return ""
    if field_type == "datetime" and isinstance(value, str):
        # Frictionless reads ISO 8601 in UTC with a Z and no fraction.
        moment = datetime.fromisoformat(value).astimezone(UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if field_type == "time" and isinstance(value, str) and len(value) == 5:
        return f"{value}:00"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def tables() -> dict[str, list[dict[str, Any]]]:
    """Every published object, flat, by HSDS resource name."""
    out: dict[str, list[dict[str, Any]]] = {
        resource["name"]: [] for resource in descriptor()["resources"]
    }
    seen_locations: set[str] = set()

    def add_location(data: dict[str, Any]) -> None:
        if data["id"] in seen_locations:
            return
        seen_locations.add(data["id"])
        out["location"].append(data)
        out["address"].extend(data.get("addresses", []))
        for item in data.get("phones", []):
            out["phone"].append({**item, "location_id": data["id"]})
        out["schedule"].extend(data.get("schedules", []))

    for profile in hsds.organisation_queryset(with_services=True).order_by("organisation__name"):
        organisation = hsds.organisation_full(profile)
        out["organization"].append(organisation)
        out["phone"].extend(organisation["phones"])
        for data in organisation["locations"]:
            add_location(data)
        for service in organisation["services"]:
            out["service"].append(service)
            for item in service["phones"]:
                out["phone"].append({**item, "service_id": service["id"]})
            out["schedule"].extend(service["schedules"])
            out["service_area"].extend(service["service_areas"])
            out["language"].extend(service["languages"])
            out["attribute"].extend(service["attributes"])
            for item in service["service_at_locations"]:
                add_location(item["location"])
                out["service_at_location"].append(item)
    out["taxonomy"].append(hsds.taxonomy())
    out["taxonomy_term"].extend(hsds.taxonomy_terms())
    return out


def _csv(resource: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    fields = resource["schema"]["fields"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([field["name"] for field in fields])
    for row in rows:
        writer.writerow([_cell(row.get(field["name"]), field["type"]) for field in fields])
    return buffer.getvalue()


def data_package_files() -> dict[str, str]:
    """File name -> content of the package (the CSVs and `datapackage.json`)."""
    package = descriptor()
    by_name = tables()
    files = {
        resource["path"]: _csv(resource, by_name[resource["name"]])
        for resource in package["resources"]
    }
    meta = {
        **package,
        "name": "tumaini-partner-directory",
        "title": "Tumaini partner directory (Open Referral HSDS 3.0)",
        "description": (
            "Partner organisations and services of the Tumaini counter-trafficking referral "
            "network, as Open Referral HSDS 3.0 tables. Confidential locations are never included."
        ),
        "created": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resources": [{**resource, "encoding": "utf-8"} for resource in package["resources"]],
    }
    files["datapackage.json"] = json.dumps(meta, indent=1, ensure_ascii=False)
    return files


def data_package_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in data_package_files().items():
            archive.writestr(name, content)
    return buffer.getvalue()
