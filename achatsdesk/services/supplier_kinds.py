"""The kinds of inclusive and ESS structures (EA, ESAT, SIAE, GEIQ…) as the shells show and filter them.

One vocabulary, defined in catalogue/kinds.py; the shells reach it through here
(the layers contract lets them import services and domain only).
"""

from __future__ import annotations

from achatsdesk.catalogue.kinds import KIND_GROUPS, KIND_LABELS

__all__ = ["KIND_GROUPS", "KIND_LABELS"]
