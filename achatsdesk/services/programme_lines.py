"""One programme line as the buyer wrote it -> the dossier it describes, or the reason it cannot be read.

The line becomes a ``Dossier`` (the same object the editor and ``dossier check``
use), so that the judgement of the line is the judgement of that dossier.
Cells are read leniently where the meaning is plain ("T2 2027", "mars 2027",
"120 000 €", "Services") and refused with a French reason otherwise; a refused
line never stops the others.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from achatsdesk.domain.amounts import CENT, parse_amount_text
from achatsdesk.domain.dossier import Buyer, Dossier, Lot, Nature
from achatsdesk.domain.text import fold
from achatsdesk.errors import ValidationError
from achatsdesk.services.programme_reader import SheetRow

# Dossiers created from a programme line get a uid derived from the line's identity
# (service, object, year): a second "Créer les dossiers" finds them instead of adding copies.
PROGRAMME_NAMESPACE = uuid.UUID("7a0f3c52-5d0e-4c3b-9a51-2f6c1e0b8d17")


@dataclass(frozen=True)
class CpvMatch:
    code: str
    label: str
    nature: str | None  # travaux | fournitures | services, from the CPV reference


@dataclass(frozen=True)
class PlaceMatch:
    insee: str
    name: str
    departement: str


@dataclass(frozen=True)
class Resolvers:
    """Look-ups in the reference data, given by the caller (database-backed, cached)."""

    cpv: Callable[[str], CpvMatch | None]
    commune: Callable[[str], PlaceMatch | None]


@dataclass
class PlannedPurchase:
    line: int
    title: str
    service: str
    cells: dict[str, str]
    dossier: Dossier | None = None
    cpv_label: str = ""
    place_name: str = ""
    departement: str | None = None
    launch_text: str = ""  # "T2 2027" as written, when not a date
    error: str | None = None
    uid: str = ""
    notes: list[str] = field(default_factory=list)


_NATURES = {
    "travaux": Nature.TRAVAUX, "travail": Nature.TRAVAUX, "t": Nature.TRAVAUX,
    "fournitures": Nature.FOURNITURES, "fourniture": Nature.FOURNITURES, "f": Nature.FOURNITURES,
    "fcs": Nature.FOURNITURES, "achats": Nature.FOURNITURES,
    "services": Nature.SERVICES, "service": Nature.SERVICES, "prestations": Nature.SERVICES,
    "prestation": Nature.SERVICES, "prestations de services": Nature.SERVICES, "s": Nature.SERVICES,
}
_MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5,
    "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}
_QUARTER = re.compile(r"^(?:(\d{4})\s*[-/ ]?\s*)?(?:t|q|trimestre\s*)([1-4])(?:\s*[-/ ]?\s*(\d{4}))?$")
_QUARTER_WORDS = re.compile(r"^([1-4])(?:er|e|eme)?\s*trimestre\s*(\d{4})?$")
_SEMESTER = re.compile(r"^(?:s|semestre\s*)([12])\s*[-/ ]?\s*(\d{4})?$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ t]\d{2}:\d{2}(?::\d{2})?)?$")
_CPV_CODE = re.compile(r"^(\d{8})(?:\s*-\s*(\d))?")
_INSEE = re.compile(r"^(\d{5}|2[ab]\d{3})$")


def parse_launch(text: str, default_year: int | None) -> tuple[date, str]:
    """A date ("15/03/2027", "2027-03-15"), a month ("mars 2027", "03/2027"), a quarter ("T2 2027",
    "2e trimestre") or a half-year ("S2 2027"): the first day it names, and the text kept when it
    is not a day. French ValidationError otherwise."""
    raw = text.strip()
    folded = fold(raw).replace("  ", " ")
    if not folded:
        raise ValidationError("Date de lancement absente : indiquez une date (15/03/2027), un mois (mars 2027) "
                              "ou un trimestre (T2 2027).")

    def year_or_default(value: str | None) -> int:
        if value:
            return int(value)
        if default_year is None:
            raise ValidationError(f"La période « {raw} » n'a pas d'année : écrivez par exemple « {raw} 2027 » "
                                  "ou indiquez l'année du programme.")
        return default_year

    try:
        if m := _ISO.match(folded):
            return date(int(m[1]), int(m[2]), int(m[3])), ""
        if m := _DAY.match(folded):
            return date(int(m[3]), int(m[2]), int(m[1])), ""
        if m := _MONTH_YEAR.match(folded):
            return date(int(m[2]), int(m[1]), 1), raw
        if m := _QUARTER.match(folded):
            return date(year_or_default(m[1] or m[3]), 3 * (int(m[2]) - 1) + 1, 1), raw
        if m := _QUARTER_WORDS.match(folded):
            return date(year_or_default(m[2]), 3 * (int(m[1]) - 1) + 1, 1), raw
        if m := _SEMESTER.match(folded):
            return date(year_or_default(m[2]), 1 if m[1] == "1" else 7, 1), raw
        parts = folded.replace(".", " ").split()
        if parts and parts[0] in _MONTHS and len(parts) <= 2:
            return date(year_or_default(parts[1] if len(parts) == 2 and parts[1].isdigit() else None),
                        _MONTHS[parts[0]], 1), raw
    except ValueError:
        pass
    raise ValidationError(f"Date de lancement « {raw} » incomprise : indiquez une date (15/03/2027), un mois "
                          "(mars 2027) ou un trimestre (T2 2027).")


def parse_amount(text: str) -> Decimal:
    raw = text.strip()
    if not raw:
        raise ValidationError("Montant estimé absent : indiquez le montant HT de l'achat sur toute sa durée.")
    if re.fullmatch(r"\d+\.\d+", raw.replace(" ", "")):  # a spreadsheet's float ("120000.0")
        value = Decimal(raw.replace(" ", ""))
        if value == value.quantize(CENT):
            return value.quantize(CENT)
    try:
        value = parse_amount_text(raw)
    except ValidationError as exc:
        raise ValidationError(f"Montant « {raw} » illisible : {exc.message}") from None
    if value is None:
        raise ValidationError("Montant estimé absent : indiquez le montant HT de l'achat sur toute sa durée.")
    return value


def parse_nature(text: str, cpv: CpvMatch | None) -> Nature:
    key = fold(text.strip()).rstrip(".")
    if not key:
        if cpv and cpv.nature in Nature.__members__.values():
            return Nature(cpv.nature)
        if cpv:
            return _nature_of_code(cpv.code)
        raise ValidationError("Nature absente : indiquez travaux, fournitures ou services.")
    if key in _NATURES:
        return _NATURES[key]
    raise ValidationError(f"Nature « {text.strip()} » inconnue : indiquez travaux, fournitures ou services.")


def _nature_of_code(code: str) -> Nature:
    division = int(code[:2])
    if division == 45:
        return Nature.TRAVAUX
    return Nature.FOURNITURES if division < 45 else Nature.SERVICES


def parse_cpv(text: str, resolvers: Resolvers) -> CpvMatch | None:
    raw = text.strip()
    if not raw:
        return None
    found = resolvers.cpv(raw)
    if found is None:
        if _CPV_CODE.match(raw):
            raise ValidationError(f"Code CPV « {raw} » inconnu de la nomenclature : vérifiez les chiffres "
                                  "(forme 12345678-9).")
        raise ValidationError(f"Aucun code CPV ne correspond à « {raw} » : indiquez le code (forme 12345678-9) "
                              "ou un libellé de la nomenclature.")
    return found


def parse_duration(text: str) -> int | None:
    raw = fold(text.strip())
    if not raw:
        return None
    m = re.fullmatch(r"(\d+(?:[.,]0+)?)\s*(mois|m)?", raw)
    if m:
        return int(Decimal(m[1].replace(",", ".")))
    m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(ans?|annees?)", raw)
    if m:
        return int(Decimal(m[1].replace(",", ".")) * 12)
    raise ValidationError(f"Durée « {text.strip()} » incomprise : indiquez un nombre de mois (48) ou d'ans (4 ans).")


def parse_lots(text: str, amount: Decimal, cpv: str | None) -> list[Lot]:
    """"3" (three lots sharing the amount), "Lot A; Lot B" (titles sharing it) or
    "Entretien=80000; Vitres=40000" (each lot's own amount, adding up to the line's)."""
    raw = text.strip()
    if not raw or fold(raw) in ("non", "0", "1", "aucun", "sans", "-", "marche global"):
        return []
    if re.fullmatch(r"\d+(?:[.,]0+)?", raw):
        count = int(Decimal(raw.replace(",", ".")))
        if count > 100:
            raise ValidationError(f"{count} lots : indiquez un nombre de lots raisonnable (100 au plus).")
        return _shared([f"Lot {i}" for i in range(1, count + 1)], amount, cpv)
    parts = [p.strip() for p in re.split(r"[;\n|]", raw) if p.strip()]
    if all("=" in p or ":" in p for p in parts):
        lots = []
        for part in parts:
            title, _, value = part.replace(":", "=").partition("=")
            lots.append(Lot(title=title.strip() or f"Lot {len(lots) + 1}", cpv=cpv, amount_eur=parse_amount(value)))
        total = sum((lot.amount_eur for lot in lots), Decimal(0))
        if total != amount:
            raise ValidationError(
                f"Les montants des lots ({_plain_money(total)}) ne font pas le montant de la ligne "
                f"({_plain_money(amount)}) : corrigez l'un ou l'autre.")
        return lots
    return _shared(parts, amount, cpv)


def _plain_money(value: Decimal) -> str:
    from achatsdesk.domain.formatting import format_money

    return format_money(value)


def _shared(titles: list[str], amount: Decimal, cpv: str | None) -> list[Lot]:
    """Equal shares to the cent; the last lot takes the remainder so that the sum is the line's amount."""
    if len(titles) < 2:
        return []
    share = (amount / len(titles)).quantize(CENT, rounding=ROUND_DOWN)
    lots = [Lot(title=t, cpv=cpv, amount_eur=share) for t in titles[:-1]]
    lots.append(Lot(title=titles[-1], cpv=cpv, amount_eur=amount - share * (len(titles) - 1)))
    return lots


def parse_place(text: str, resolvers: Resolvers, default: PlaceMatch | None) -> PlaceMatch | None:
    raw = text.strip()
    if not raw:
        return default
    if re.fullmatch(r"\d{4}", raw):  # a spreadsheet dropped the leading zero of 01xxx-09xxx
        raw = "0" + raw
    found = resolvers.commune(raw)
    if found is None:
        raise ValidationError(f"Commune « {raw} » introuvable : indiquez son nom exact ou son code INSEE (5 caractères).")
    return found


def line_uid(service: str, title: str, year: int, occurrence: int) -> str:
    key = f"{' '.join(fold(service).split())}|{' '.join(fold(title).split())}|{year}|{occurrence}"
    return str(uuid.uuid5(PROGRAMME_NAMESPACE, key))


def read_line(row: SheetRow, buyer: Buyer, resolvers: Resolvers, *, default_year: int | None,
              default_place: PlaceMatch | None, occurrence: int = 0, reference_prefix: str = "") -> PlannedPurchase:
    """The line as a dossier; ``error`` set (and no dossier) when a cell cannot be read."""
    cells = row.cells
    title = cells.get("title", "").strip()
    service = cells.get("service", "").strip()
    line = PlannedPurchase(row.line, title or f"(ligne {row.line} sans objet)", service, dict(cells))
    try:
        if not title:
            raise ValidationError("Objet de l'achat absent : chaque ligne doit dire ce qui est acheté.")
        amount = parse_amount(cells.get("amount", ""))
        cpv = parse_cpv(cells.get("cpv", ""), resolvers)
        nature = parse_nature(cells.get("nature", ""), cpv)
        launch, launch_text = parse_launch(cells.get("launch", ""), default_year)
        place = parse_place(cells.get("place", ""), resolvers, default_place)
        duration = parse_duration(cells.get("duration", ""))
        lots = parse_lots(cells.get("lots", ""), amount, cpv.code if cpv else None)
    except ValidationError as exc:
        line.error = exc.message
        return line
    reference = cells.get("reference", "").strip() or f"{reference_prefix}L{row.line:03d}"
    line.uid = line_uid(service, title, launch.year, occurrence)
    line.dossier = Dossier(
        title=title, buyer=buyer, nature=nature, cpv=[cpv.code] if cpv else [],
        estimated_amount_eur=amount, duration_months=duration,
        place_insee=place.insee if place else None, launch_date=launch, lots=lots,
        reference=reference[:80],
    )
    line.cpv_label = cpv.label if cpv else ""
    line.place_name = place.name if place else ""
    line.departement = place.departement if place else None
    line.launch_text = launch_text
    if cpv is None:
        line.notes.append("Sans code CPV : les obligations propres à un secteur ne peuvent pas être reconnues.")
    return line
