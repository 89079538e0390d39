"""Copy the reference data achatsdesk embeds from ../shared/data into resources/data.

Rerunnable by anyone: `make catalogue` (or `python scripts/build_reference_data.py
[SHARED_DATA_DIR]`). The files are copied as they are (they are already
normalised UTF-8 CSV); their origin and licence are in resources/data/ATTRIBUTION.md.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared" / "data"
TARGET = ROOT / "resources" / "data"

# source (relative to shared/data) -> name in resources/data
FILES = {
    "cpv/cpv_2008_fr_en.csv": "cpv_2008_fr_en.csv",
    "naf/naf_rev2_tous_niveaux.csv": "naf_rev2_tous_niveaux.csv",
    "communes/communes_france_cog2026_cp_latlon.csv": "communes_cog2026.csv",
    "communes/decoupage-administratif_sources_departements.csv": "departements_cog2026.csv",
    "communes/decoupage-administratif_sources_regions.csv": "regions_cog2026.csv",
    "cpv-article77/cpv_article77_services_reserves.csv": "cpv_article77_services_reserves.csv",
}


def main(argv: list[str]) -> int:
    shared = Path(argv[1]) if len(argv) > 1 else DEFAULT_SHARED
    if not shared.is_dir():
        print(f"Dossier de données introuvable : {shared}", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for source, name in FILES.items():
        shutil.copyfile(shared / source, TARGET / name)
        print(f"{source} -> resources/data/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
