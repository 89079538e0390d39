"""Build the embedded supplier catalogue from the team's public data (rerunnable by anyone).

Usage: python scripts/build_catalogue.py [SHARED_DATA_DIR]
(default: ../shared/data relative to the repository root). Writes
resources/data/catalogue_structures.csv, catalogue_sector_groups.csv,
catalogue_sectors.csv and naf_to_sectors.csv; prints the counts as JSON
(copy them into resources/data/CATALOGUE.md when they change).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from achatsdesk.catalogue.embedded import build_embedded  # noqa: E402


def main(argv: list[str]) -> int:
    shared = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "data"
    out_dir = ROOT / "resources" / "data"
    stats = build_embedded(shared.resolve(), out_dir)
    reasons: dict[str, int] = {}
    for _file, _line, reason in stats.rejected:
        reasons[reason] = reasons.get(reason, 0) + 1
    print(json.dumps({
        "total": stats.total,
        "kinds": dict(stats.kinds.most_common()),
        "geo_precision": dict(stats.precision),
        "invalid_siret_kept": stats.invalid_siret,
        "read": dict(stats.read),
        "kept": dict(stats.kept),
        "duplicates": dict(stats.duplicates),
        "rejected": len(stats.rejected),
        "rejected_reasons": reasons,
    }, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
