"""Any CSV or XLSX with a column-mapping step: which column holds which supplier field."""

from __future__ import annotations

from collections.abc import Callable

from achatsdesk.catalogue.formats import Provenance, Row, _dept, _kind, _name
from achatsdesk.catalogue.records import (
    SupplierRecord,
    clean,
    normalise_naf,
    normalise_siret,
    pad_digits,
    parse_float,
    parse_int,
)
from achatsdesk.domain.text import fold

# Field -> French label shown in the mapping step.
FIELDS: dict[str, str] = {
    "name": "Raison sociale",
    "siret": "SIRET",
    "kind": "Type de structure",
    "brand": "Enseigne",
    "legal_form": "Forme juridique",
    "naf": "Code NAF",
    "address": "Adresse",
    "postcode": "Code postal",
    "commune": "Commune",
    "insee": "Code commune INSEE",
    "departement": "Département",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "capacity": "Capacité",
    "website": "Site web",
}
REQUIRED_FIELDS = ("name",)

# Folded header spellings seen in real files, per field.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "nom", "raison sociale", "denomination", "denomination sociale", "denominationunitelegale"),
    "siret": ("siret", "n siret", "numero siret", "et siret"),
    "kind": ("kind", "type", "type de structure", "mesure", "categorie"),
    "brand": ("brand", "enseigne", "nom commercial"),
    "legal_form": ("legal form", "forme juridique", "nature juridique", "statut juridique"),
    "naf": ("naf", "code naf", "ape", "code ape", "code naf2", "activiteprincipaleetablissement"),
    "address": ("address", "adresse", "adresse postale"),
    "postcode": ("post code", "postcode", "code postal", "cp"),
    "commune": ("city", "ville", "commune", "libelle commune"),
    "insee": ("insee", "code insee", "code commune", "code commune insee"),
    "departement": ("department", "departement", "code departement", "dept"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng"),
    "capacity": ("capacity", "capacite", "capacite autorisee", "effectif"),
    "website": ("website", "site web", "site internet", "url"),
}


def _header_key(header: str) -> str:
    return " ".join(fold(header).replace("_", " ").replace("-", " ").replace("°", " ").split())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Field -> header for every field a header obviously names."""
    mapping: dict[str, str] = {}
    keyed = {_header_key(h): h for h in headers if h.strip()}
    for field, spellings in _SYNONYMS.items():
        for spelling in spellings:
            if spelling in keyed and keyed[spelling] not in mapping.values():
                mapping[field] = keyed[spelling]
                break
    return mapping


def convert_generic(row: Row, prov: Provenance, mapping: dict[str, str], default_kind: str | None) -> SupplierRecord:
    return generic_converter(prov, mapping, default_kind)(row)


def generic_converter(prov: Provenance, mapping: dict[str, str], default_kind: str | None) -> Callable[[Row], SupplierRecord]:
    """convert_generic for every row of one file: the mapping is looked up once, not per cell.
    A field no column holds reads the header None, which no row has."""
    h = {field: mapping.get(field) or None for field in FIELDS}

    def convert(row: Row) -> SupplierRecord:
        get = row.get
        siret, valid = normalise_siret(get(h["siret"]))
        kind_text = get(h["kind"])
        kind = _kind(kind_text) if kind_text or not default_kind else default_kind
        lat, lon = parse_float(get(h["latitude"])), parse_float(get(h["longitude"]))
        has_coords = lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180
        return SupplierRecord(
            name=_name(get(h["name"])), kind=kind, source=prov.source, source_date=prov.source_date,
            siret=siret, siret_valid=valid, brand=clean(get(h["brand"])), legal_form=clean(get(h["legal_form"])),
            naf=normalise_naf(get(h["naf"])), address=clean(get(h["address"])), postcode=pad_digits(get(h["postcode"]), 5),
            commune=clean(get(h["commune"])), insee=pad_digits(get(h["insee"]), 5), departement=_dept(get(h["departement"])),
            latitude=lat if has_coords else None, longitude=lon if has_coords else None,
            geo_precision="address" if has_coords else "none",
            capacity=parse_int(get(h["capacity"])), website=clean(get(h["website"])),
        )

    return convert
