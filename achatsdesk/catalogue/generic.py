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
    """convert_generic for every row of one file: the mapping is looked up once, not per cell, and
    a field no column holds is None without a look-up and a clean per row (a file often maps half
    the fields; this runs for every row of a million-row import)."""
    h = {field: mapping.get(field) or None for field in FIELDS}
    name_h, siret_h, kind_h, brand_h, legal_form_h = h["name"], h["siret"], h["kind"], h["brand"], h["legal_form"]
    naf_h, address_h, postcode_h, commune_h, insee_h = h["naf"], h["address"], h["postcode"], h["commune"], h["insee"]
    departement_h, latitude_h, longitude_h = h["departement"], h["latitude"], h["longitude"]
    capacity_h, website_h = h["capacity"], h["website"]
    source, source_date = prov.source, prov.source_date

    def convert(row: Row) -> SupplierRecord:
        get = row.get
        siret, valid = normalise_siret(get(siret_h)) if siret_h else (None, False)
        kind_text = get(kind_h) if kind_h else None
        kind = _kind(kind_text) if kind_text or not default_kind else default_kind
        lat = parse_float(get(latitude_h)) if latitude_h else None
        lon = parse_float(get(longitude_h)) if longitude_h else None
        has_coords = lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180
        return SupplierRecord(
            name=_name(get(name_h)), kind=kind, source=source, source_date=source_date,
            siret=siret, siret_valid=valid,
            brand=clean(get(brand_h)) if brand_h else None,
            legal_form=clean(get(legal_form_h)) if legal_form_h else None,
            naf=normalise_naf(get(naf_h)) if naf_h else None,
            address=clean(get(address_h)) if address_h else None,
            postcode=pad_digits(get(postcode_h), 5) if postcode_h else None,
            commune=clean(get(commune_h)) if commune_h else None,
            insee=pad_digits(get(insee_h), 5) if insee_h else None,
            departement=_dept(get(departement_h)) if departement_h else None,
            latitude=lat if has_coords else None, longitude=lon if has_coords else None,
            geo_precision="address" if has_coords else "none",
            capacity=parse_int(get(capacity_h)) if capacity_h else None,
            website=clean(get(website_h)) if website_h else None,
        )

    return convert
