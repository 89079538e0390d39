"""The file formats the catalogue reads: how each is recognised and how a row becomes a supplier.

Every function here turns one row (a dict header -> cell) into a
SupplierRecord or raises RowRejected with a French reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from achatsdesk.catalogue.kinds import kind_from_text
from achatsdesk.catalogue.records import (
    RowRejected,
    SupplierRecord,
    clean,
    normalise_naf,
    normalise_siret,
    pad_digits,
    parse_float,
    parse_int,
)

Row = dict[str, str]


@dataclass(frozen=True)
class Provenance:
    source: str
    source_date: str


@dataclass(frozen=True)
class FileFormat:
    code: str
    label: str
    required: tuple[str, ...]  # headers that must be present (exact, case-insensitive)
    convert: Callable[[Row, Provenance], SupplierRecord]


def _name(value: str | None) -> str:
    name = clean(value)
    if not name:
        raise RowRejected("raison sociale absente")
    return name


def _kind(value: str | None) -> str:
    kind = kind_from_text(value or "")
    if kind is None:
        raise RowRejected(f"type de structure « {clean(value) or ''} » inconnu")
    return kind


def _dept(value: str | None) -> str | None:
    """"001" -> "01", "095" -> "95", "971" -> "971", "2A" -> "2A", "1" -> "01"."""
    text = clean(value)
    if not text:
        return None
    text = text.upper()
    if text.isdigit():
        number = int(text)
        return f"{number:02d}" if number < 100 else str(number)
    return text.lstrip("0") if len(text) == 3 else text


def _join(*parts: str | None) -> str | None:
    return clean(" ".join(p for p in parts if p))


def _asp_siae(row: Row, prov: Provenance) -> SupplierRecord:
    siret, valid = normalise_siret(row.get("SIRET"))
    return SupplierRecord(
        name=_name(row.get("DENOMINATION_SOCIALE")), kind=_kind(row.get("MESURE")),
        source=prov.source, source_date=prov.source_date, siret=siret, siret_valid=valid,
        legal_form=clean(row.get("NATURE_JURIDIQUE")), naf=normalise_naf(row.get("CODE_NAF2")),
        address=_join(row.get("NUM_RUE"), row.get("NOM_RUE")),
        postcode=pad_digits(row.get("CODE_POSTAL"), 5), commune=clean(row.get("COMMUNE")),
        departement=_dept(row.get("CODE_DEPARTEMENT")), website=clean(row.get("SITE WEB")),
    )


def _geiq(row: Row, prov: Provenance) -> SupplierRecord:
    siret, valid = normalise_siret(row.get("SIRET"))
    return SupplierRecord(
        name=_name(row.get("GEIQ")), kind="GEIQ", source=prov.source, source_date=prov.source_date,
        siret=siret, siret_valid=valid, naf=normalise_naf(row.get("NAF")),
        address=_join(row.get("ADRESSE"), row.get("COMPLEMENT ADRESSE")),
        postcode=pad_digits(row.get("CODE POSTAL"), 5), commune=clean(row.get("VILLE")),
    )


def _finess_esat(row: Row, prov: Provenance) -> SupplierRecord:
    siret, valid = normalise_siret(row.get("ET-SIRET"))
    finess = pad_digits(row.get("ET-N°FINESS"), 9)
    ej_name = clean(row.get("EJ-Raison sociale"))
    return SupplierRecord(
        name=_name(row.get("ET-Raison sociale")), kind="ESAT", source=prov.source, source_date=prov.source_date,
        siret=siret, siret_valid=valid, brand=ej_name, legal_form=clean(row.get("EJ-Statut juridique Libellé")),
        address=clean(row.get("ET-Adresse")), postcode=pad_digits(row.get("ET-Code Postal"), 5),
        commune=clean(row.get("ET-Commune Libellé")), insee=pad_digits(row.get("ET-Commune Code"), 5),
        departement=_dept(row.get("ET-Département Code")),
        capacity=parse_int(row.get("Capacité autorisée agrégée")), alt_key=f"finess:{finess}" if finess else None,
    )


def _lemarche_fixture(row: Row, prov: Provenance) -> SupplierRecord:
    siret, valid = normalise_siret(row.get("siret"))
    lat, lon = parse_float(row.get("latitude")), parse_float(row.get("longitude"))
    return SupplierRecord(
        name=_name(row.get("name")), kind=_kind(row.get("kind")), source=prov.source, source_date=prov.source_date,
        siret=siret, siret_valid=valid, brand=clean(row.get("brand")), legal_form=clean(row.get("legal_form")),
        naf=normalise_naf(row.get("naf")), address=clean(row.get("address")),
        postcode=pad_digits(row.get("post_code"), 5), commune=clean(row.get("city")),
        departement=_dept(row.get("department")), latitude=lat, longitude=lon,
        geo_precision="address" if lat is not None and lon is not None else "none",
        website=clean(row.get("website")),
    )


def _pick(row: Row, *names: str) -> str | None:
    for name in names:
        value = row.get(name)
        if value:
            return value
    return None


def _lemarche_export(row: Row, prov: Provenance) -> SupplierRecord:
    siret, valid = normalise_siret(_pick(row, "Siret", "SIRET"))
    return SupplierRecord(
        name=_name(row.get("Raison sociale")), kind=_kind(row.get("Type de structure")),
        source=prov.source, source_date=prov.source_date, siret=siret, siret_valid=valid,
        brand=clean(row.get("Enseigne")), address=clean(row.get("Adresse")),
        postcode=pad_digits(_pick(row, "Code postal", "Code Postal"), 5), commune=clean(row.get("Ville")),
        departement=_dept(row.get("Département")),
    )


def _sirene(row: Row, prov: Provenance) -> SupplierRecord:
    if (row.get("economieSocialeSolidaireUniteLegale") or "").strip().upper() != "O":
        raise RowRejected("unité légale non inscrite dans l'ESS (economieSocialeSolidaireUniteLegale ≠ O)")
    if (row.get("etatAdministratifEtablissement") or "A").strip().upper() == "F":
        raise RowRejected("établissement fermé (etatAdministratifEtablissement = F)")
    siret, valid = normalise_siret(row.get("siret"))
    person = _join(row.get("prenomUsuelUniteLegale"), row.get("nomUniteLegale"))
    name = _pick(row, "denominationUniteLegale", "denominationUsuelle1UniteLegale") or person
    brand = _pick(row, "enseigne1Etablissement", "denominationUsuelleEtablissement")
    address = _join(
        row.get("numeroVoieEtablissement"), row.get("indiceRepetitionEtablissement"),
        row.get("typeVoieEtablissement"), row.get("libelleVoieEtablissement"),
    )
    return SupplierRecord(
        name=_name(name), kind="ESS", source=prov.source, source_date=prov.source_date, siret=siret, siret_valid=valid,
        brand=clean(brand), legal_form=clean(row.get("categorieJuridiqueUniteLegale")),
        naf=normalise_naf(_pick(row, "activitePrincipaleEtablissement", "activitePrincipaleUniteLegale")),
        address=address, postcode=pad_digits(row.get("codePostalEtablissement"), 5),
        commune=clean(row.get("libelleCommuneEtablissement")), insee=pad_digits(row.get("codeCommuneEtablissement"), 5),
    )


FORMATS: dict[str, FileFormat] = {
    f.code: f
    for f in (
        FileFormat("finess-esat", "Liste FINESS des ESAT", ("ET-N°FINESS", "ET-Raison sociale", "ET-SIRET"), _finess_esat),
        FileFormat("asp-siae", "Liste ASP des SIAE", ("MESURE", "SIRET", "DENOMINATION_SOCIALE"), _asp_siae),
        FileFormat("geiq", "Liste des GEIQ", ("GEIQ", "SIRET", "CODE POSTAL", "VILLE"), _geiq),
        FileFormat("lemarche", "Marché de l'inclusion (fichier des structures)", ("siret", "name", "kind", "post_code"), _lemarche_fixture),
        FileFormat("lemarche-export", "Marché de l'inclusion (export de recherche)", ("Raison sociale", "Type de structure"), _lemarche_export),
        FileFormat("sirene", "SIRENE (extrait joint unités légales + établissements)", ("siret", "economieSocialeSolidaireUniteLegale"), _sirene),
    )
}

# The codes a user may name (the command line's --format) are in format_codes.py.


def detect_format(headers: list[str]) -> FileFormat | None:
    present = {h.strip().casefold() for h in headers}
    for fmt in FORMATS.values():
        if all(name.casefold() in present for name in fmt.required):
            return fmt
    return None
