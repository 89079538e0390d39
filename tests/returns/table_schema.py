"""A small Table Schema (frictionless) check of a CSV: the fields, their order, required
cells, patterns, enums, years and numbers: what the AGEC declaration schema uses."""

from __future__ import annotations

import csv
import re
from pathlib import Path


def table_errors(path: Path, schema: dict) -> list[str]:
    fields = schema["fields"]
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    errors = []
    if rows[0] != [f["name"] for f in fields]:
        errors.append(f"en-tête {rows[0]}")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(fields):
            errors.append(f"ligne {number} : {len(row)} cellules")
            continue
        for spec, value in zip(fields, row, strict=True):
            constraints = spec.get("constraints", {})
            if not value:
                if constraints.get("required"):
                    errors.append(f"ligne {number} : {spec['name']} vide")
                continue
            if spec["type"] == "year" and not re.fullmatch(r"\d{4}", value):
                errors.append(f"ligne {number} : {spec['name']} n'est pas une année")
            if spec["type"] == "number":
                try:
                    float(value)
                except ValueError:
                    errors.append(f"ligne {number} : {spec['name']} n'est pas un nombre")
            if "pattern" in constraints and not re.fullmatch(constraints["pattern"], value):
                errors.append(f"ligne {number} : {spec['name']} ne suit pas le motif")
            if "enum" in constraints and value not in constraints["enum"]:
                errors.append(f"ligne {number} : {spec['name']} « {value} » hors liste")
    return errors
