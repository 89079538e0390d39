"""The whole purchase programme judged in one pass, line by line, with the same engine as a dossier.

Each readable line becomes a ``Dossier``; its procedure and obligations are
``check_dossier`` of that dossier (what ``dossier check`` prints), its lever
``advise_lever`` (what ``levers`` prints) and its hours ``size_dossier_insertion``
(what ``clauses suggest`` prints). There is no second engine: the programme
only adds what needs the whole year at once (lines of one CPV family that add
up across a threshold) and the totals.

The catalogue is asked once per (sectors, place) and the reference data once
per distinct CPV or commune text: a programme repeats them, which is what makes
2 000 lines fast.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from achatsdesk.domain.amounts import amount_json
from achatsdesk.domain.dossier import Buyer, BuyerKind, Dossier
from achatsdesk.domain.formatting import format_money
from achatsdesk.domain.insertion import InsertionSizing
from achatsdesk.domain.levers import LEVER_LABELS, Lever
from achatsdesk.domain.text import fold, words
from achatsdesk.domain.thresholds import PROCEDURE_LABELS, derive_procedure
from achatsdesk.errors import Cancelled, ValidationError
from achatsdesk.services.dossier_rules import check_dossier, rule_resources
from achatsdesk.services.insertion_sizing import size_dossier_insertion
from achatsdesk.services.lever_advice import LeverAdvice, SupplyCounter, advise_lever
from achatsdesk.services.programme_lines import (
    CpvMatch,
    PlaceMatch,
    PlannedPurchase,
    Resolvers,
    line_uid,
    read_line,
)
from achatsdesk.services.programme_reader import ProgrammeTable, read_table
from achatsdesk.services.rule_settings import config_folder, labour_table, lever_settings

ORGANISATION_FILE = "organisation.json"
PROCEDURE_RANK = {"dispense": 0, "mapa": 1, "formalisee": 2}
RESERVATION_LEVERS = (Lever.RESERVE_CONTRACT, Lever.RESERVE_LOT)
SUPPLIERS_SHOWN = 10  # the nearest ones, in the detail of a line; the catalogue has the rest
HOMOGENEOUS_BASIS = "Art. R. 2121-6 et R. 2121-7 du code de la commande publique"


# --- the buyer ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeBuyer:
    """Who buys: from the organisation settings (organisation.json in the configuration folder),
    each value replaceable on the command line."""

    name: str = ""
    kind: BuyerKind = BuyerKind.COLLECTIVITE
    annual_purchases_eur: Decimal | None = None
    default_place: str | None = None  # commune name or INSEE code for lines without a place

    def as_buyer(self) -> Buyer:
        return Buyer(name=self.name, kind=self.kind, annual_purchases_eur=self.annual_purchases_eur)


def organisation_buyer(config: Path | None = None) -> ProgrammeBuyer:
    """The organisation's settings; the defaults (a collectivité) when the file is absent.
    ``config``: the caller's configuration folder (None: the command line's own)."""
    path = config_folder(config) / ORGANISATION_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ProgrammeBuyer()
    except (OSError, ValueError) as exc:
        raise ValidationError(f"Le fichier des réglages de l'organisation « {path} » est illisible ({exc}).",
                              hint="Corrigez-le ou supprimez-le pour revenir aux valeurs par défaut.") from None
    if not isinstance(data, dict):
        raise ValidationError(f"Le fichier « {path.name} » doit contenir un objet JSON.")
    probe = Dossier.from_dict({"title": "-", "buyer": {k: data.get(k) for k in ("name", "kind", "annual_purchases_eur")
                                                       if data.get(k) is not None}})
    return ProgrammeBuyer(probe.buyer.name, probe.buyer.kind, probe.buyer.annual_purchases_eur,
                          str(data["default_place"]) if data.get("default_place") else None)


# --- reference look-ups --------------------------------------------------------------


def database_resolvers(database) -> Resolvers:
    """CPV and commune look-ups in the reference data, each distinct text asked once."""
    from achatsdesk.services.reference import ReferenceService

    reference = ReferenceService(database)
    cpv_cache: dict[str, CpvMatch | None] = {}
    commune_cache: dict[str, PlaceMatch | None] = {}

    def cpv(text: str) -> CpvMatch | None:
        if text not in cpv_cache:
            cpv_cache[text] = _find_cpv(reference, text)
        return cpv_cache[text]

    def commune(text: str) -> PlaceMatch | None:
        if text not in commune_cache:
            commune_cache[text] = _find_commune(reference, text)
        return commune_cache[text]

    return Resolvers(cpv, commune)


def _find_cpv(reference, text: str) -> CpvMatch | None:
    import re

    raw = text.strip()
    code = re.match(r"^(\d{8})(?:\s*-\s*(\d))?\s*(.*)$", raw)
    if code:
        entry = reference.get_cpv(code[1])
        if entry is None or (code[2] and not entry.code.endswith("-" + code[2])):
            return None
        return CpvMatch(entry.code, entry.label, entry.nature)
    wanted = words(raw)
    if not wanted:
        return None
    for entry in reference.search_cpv(raw, limit=10):
        label_words = words(entry.label)
        # Every word of the text must start a word of the label: "nettoyage batiments" finds
        # "Services de nettoyage de bâtiments", never a code that only shares one word.
        if all(any(lw.startswith(w) for lw in label_words) for w in wanted):
            return CpvMatch(entry.code, entry.label, entry.nature)
    return None


def _find_commune(reference, text: str) -> PlaceMatch | None:
    raw = text.strip()
    if not raw:
        return None
    entry = reference.get_commune(raw.upper())
    if entry is None:
        wanted = " ".join(fold(raw).replace("-", " ").replace("'", " ").split())
        for candidate in reference.search_communes(raw, limit=10):
            if " ".join(fold(candidate.name).replace("-", " ").replace("'", " ").split()) == wanted:
                entry = candidate
                break
    return PlaceMatch(entry.insee, entry.name, entry.departement) if entry else None


def cached_counter(counter: SupplyCounter) -> SupplyCounter:
    """The same counter, asked once per distinct question (a programme repeats sectors and places)."""
    memo: dict[tuple, Any] = {}

    def count(sectors, kinds, near, radius_km, departement, limit):
        key = (tuple(sectors), tuple(kinds), near, radius_km, departement, limit)
        if key not in memo:
            memo[key] = counter(sectors, kinds, near, radius_km, departement, limit)
        return memo[key]

    return count


# Counts the inclusive suppliers near a place whose sector is unknown (no sector recorded).
UnknownSectorCounter = Callable[[str], int | None]


def catalogue_unknown_sectors(database, kinds: tuple[str, ...], radius_km: float) -> UnknownSectorCounter:
    """All suppliers of the kinds within the radius minus those with at least one sector,
    through the catalogue's own search; once per place."""
    from achatsdesk.services.catalogue import list_sectors, search_suppliers

    all_sectors = tuple(s.id for s in list_sectors(database))
    memo: dict[str, int | None] = {}

    def count(insee: str) -> int | None:
        if insee not in memo:
            try:
                everyone = search_suppliers(database, kinds=kinds, near=insee, radius_km=radius_km, limit=1).total
                with_sector = search_suppliers(database, kinds=kinds, sectors=all_sectors, near=insee,
                                               radius_km=radius_km, limit=1).total if all_sectors else 0
                memo[insee] = max(0, everyone - with_sector)
            except ValidationError:
                memo[insee] = None
        return memo[insee]

    return count


# --- the judgement ---------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    id: str  # besoin-homogene | agec | egalim
    label: str
    explanation: str
    legal_basis: str = ""
    to_confirm: bool = False
    related_lines: tuple[int, ...] = ()


@dataclass
class LineJudgement:
    purchase: PlannedPurchase
    check: dict[str, Any] | None = None  # check_dossier(dossier): the document of `dossier check --json`
    lever: LeverAdvice | None = None
    unknown_sector_suppliers: int | None = None
    sizing: InsertionSizing | None = None
    flags: list[Flag] = field(default_factory=list)

    @property
    def line(self) -> int:
        return self.purchase.line

    @property
    def title(self) -> str:
        return self.purchase.title

    @property
    def service(self) -> str:
        return self.purchase.service or "Sans service"

    @property
    def error(self) -> str | None:
        return self.purchase.error

    @property
    def dossier(self) -> Dossier | None:
        return self.purchase.dossier

    @property
    def amount_eur(self) -> Decimal:
        return self.dossier.amount_eur if self.dossier else Decimal(0)

    @property
    def procedure_id(self) -> str | None:
        return self.check["procedure"]["id"] if self.check else None

    @property
    def hours(self) -> int:
        return self.sizing.total_hours if self.sizing else 0

    @property
    def lever_id(self) -> str | None:
        return self.lever.decision.lever.value if self.lever else None

    def obligation_status(self, obligation_id: str) -> str | None:
        if not self.check:
            return None
        return next((o["status"] for o in self.check["obligations"] if o["id"] == obligation_id), None)

    @property
    def mandatory(self) -> list[dict[str, Any]]:
        return [o for o in (self.check or {}).get("obligations", []) if o["status"] == "obligatoire"]

    @property
    def social_mandatory(self) -> bool:
        return self.obligation_status("social-execution-condition") == "obligatoire"

    @property
    def environmental_mandatory(self) -> bool:
        return self.obligation_status("env-execution-condition") == "obligatoire"

    @property
    def reservation_possible(self) -> bool:
        return bool(self.lever and self.lever.decision.lever in RESERVATION_LEVERS)


@dataclass(frozen=True)
class ServiceTotals:
    service: str
    lines: int
    amount_eur: Decimal
    hours: int


@dataclass(frozen=True)
class ProgrammeTotals:
    lines: int
    judged: int
    errors: int
    amount_eur: Decimal
    social_mandatory: int
    social_amount_eur: Decimal
    environmental_mandatory: int
    environmental_amount_eur: Decimal
    condition_mandatory: int  # a mandatory social OR environmental condition
    condition_amount_eur: Decimal
    potential_hours: int
    reservation_possible: int
    homogeneous_flagged: int
    by_lever: dict[str, int]
    by_procedure: dict[str, int]
    by_service: tuple[ServiceTotals, ...]

    def share(self, amount: Decimal) -> Decimal | None:
        return (amount / self.amount_eur) if self.amount_eur else None


@dataclass
class ProgrammeResult:
    source: str
    year: int | None
    buyer: ProgrammeBuyer
    lines: list[LineJudgement]
    totals: ProgrammeTotals
    mapping_origin: str = ""

    def line(self, number: int) -> LineJudgement:
        for judged in self.lines:
            if judged.line == number:
                return judged
        raise ValidationError(f"La ligne {number} n'existe pas dans le programme.",
                              hint="Indiquez le numéro de ligne du tableur (la ligne d'en-tête est la ligne 1).")


def _judge_line(purchase: PlannedPurchase, counter: SupplyCounter | None, unknown: UnknownSectorCounter | None,
                settings, table, today: date | None) -> LineJudgement:
    judged = LineJudgement(purchase)
    dossier = purchase.dossier
    if dossier is None:
        return judged
    judged.check = check_dossier(dossier, today)
    judged.sizing = size_dossier_insertion(dossier, table=table)
    if counter is not None:
        place_name = f"{purchase.place_name} ({dossier.place_insee})" if purchase.place_name else None
        try:
            judged.lever = advise_lever(dossier, counter, settings=settings, place_name=place_name,
                                       departement=purchase.departement)
        except ValidationError:
            judged.lever = None  # a commune without a position: the line keeps its other answers
        if unknown is not None and dossier.place_insee and judged.lever and judged.lever.sectors:
            judged.unknown_sector_suppliers = unknown(dossier.place_insee)
    for obligation in judged.check["obligations"]:
        if obligation["id"] == "agec-reuse-recycled":
            judged.flags.append(Flag("agec", "Catégorie AGEC", obligation["explanation"], obligation["legal_basis"],
                                     obligation["to_confirm"]))
        elif obligation["id"] == "egalim":
            judged.flags.append(Flag("egalim", "EGalim (restauration)", obligation["explanation"],
                                     obligation["legal_basis"], obligation["to_confirm"]))
    return judged


def cpv_family(code: str | None) -> str | None:
    """The CPV group (first three digits): the level at which buyers usually compare purchases
    when they look for one homogeneous need over the year."""
    return code[:3] if code else None


def flag_homogeneous(lines: list[LineJudgement], today: date | None = None) -> None:
    """Lines of the same CPV family, nature and launch year whose sum reaches a threshold
    that none reaches alone: possibly one need, whose procedure follows the sum."""
    thresholds = rule_resources().thresholds
    groups: dict[tuple, list[LineJudgement]] = defaultdict(list)
    for judged in lines:
        dossier = judged.dossier
        if dossier is None or not dossier.main_cpv or judged.check is None or dossier.launch_date is None:
            continue
        key = (cpv_family(dossier.main_cpv), dossier.nature.value, dossier.buyer.kind.value, dossier.launch_date.year)
        groups[key].append(judged)
    for (family, nature, kind, year), members in groups.items():
        if len(members) < 2:
            continue
        total = sum((m.amount_eur for m in members), Decimal(0))
        first_launch = min(m.dossier.launch_date for m in members)
        together, eu, _ = derive_procedure(thresholds, total, nature, kind, first_launch)
        alone = max(PROCEDURE_RANK.get(m.procedure_id or "", 0) for m in members)
        # The sum is judged by the same engine as each line (a social or specific service stays
        # in procédure adaptée whatever the sum, so adding such lines up crosses nothing).
        summed = replace(members[0].dossier, estimated_amount_eur=total, lots=[])
        if PROCEDURE_RANK.get(check_dossier(summed, today)["procedure"]["id"], 0) <= alone:
            continue
        numbers = tuple(m.line for m in members)
        listing = " + ".join(f"{format_money(m.amount_eur)} (ligne {m.line})" for m in members)
        crossed = ("le seuil européen" if together.id == "formalisee"
                   else "le seuil de dispense de procédure")
        threshold = format_money(together.threshold_eur) if together.id == "formalisee" and together.threshold_eur else ""
        if together.id == "mapa":
            dispense = thresholds.pick("dispense", first_launch, nature, kind)
            threshold = format_money(dispense.amount_eur) if dispense else ""
        text = (
            f"Famille CPV {family} ({nature}), lancements en {year} : {listing} = {format_money(total)}, "
            f"ce qui atteint {crossed}{f' ({threshold})' if threshold else ''} qu'aucune ligne n'atteint seule. "
            f"S'il s'agit d'un même besoin (fournitures ou services homogènes, ou une même opération de travaux), "
            f"la procédure se détermine sur la somme : {PROCEDURE_LABELS[together.id]}. À vérifier ligne à ligne."
        )
        for member in members:
            member.flags.insert(0, Flag("besoin-homogene", "Besoin homogène possible", text, HOMOGENEOUS_BASIS,
                                        True, tuple(n for n in numbers if n != member.line)))


def programme_totals(lines: list[LineJudgement]) -> ProgrammeTotals:
    judged = [j for j in lines if j.check is not None]

    def amount(selected) -> Decimal:
        return sum((j.amount_eur for j in selected), Decimal(0))

    social = [j for j in judged if j.social_mandatory]
    environmental = [j for j in judged if j.environmental_mandatory]
    condition = [j for j in judged if j.social_mandatory or j.environmental_mandatory]
    services: dict[str, list[LineJudgement]] = defaultdict(list)
    for j in judged:
        services[j.service].append(j)
    return ProgrammeTotals(
        lines=len(lines), judged=len(judged), errors=len(lines) - len(judged),
        amount_eur=amount(judged),
        social_mandatory=len(social), social_amount_eur=amount(social),
        environmental_mandatory=len(environmental), environmental_amount_eur=amount(environmental),
        condition_mandatory=len(condition), condition_amount_eur=amount(condition),
        potential_hours=sum(j.hours for j in judged),
        reservation_possible=sum(1 for j in judged if j.reservation_possible),
        homogeneous_flagged=sum(1 for j in judged if any(f.id == "besoin-homogene" for f in j.flags)),
        by_lever=dict(Counter(j.lever_id for j in judged if j.lever_id)),
        by_procedure=dict(Counter(j.procedure_id for j in judged if j.procedure_id)),
        by_service=tuple(
            ServiceTotals(name, len(items), amount(items), sum(i.hours for i in items))
            for name, items in sorted(services.items(), key=lambda kv: fold(kv[0]))
        ),
    )


Progress = Callable[[int, int, str], None]


def judge_purchases(
    purchases: list[PlannedPurchase],
    *,
    counter: SupplyCounter | None = None,
    unknown_sectors: UnknownSectorCounter | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    config: Path | None = None,
) -> list[LineJudgement]:
    """``config``: the configuration folder of the labour shares and lever thresholds (the window's
    context paths; None for the command line's own)."""
    settings = lever_settings(config)
    table = labour_table(config)
    counter = cached_counter(counter) if counter is not None else None
    judged: list[LineJudgement] = []
    total = len(purchases)
    for index, purchase in enumerate(purchases, start=1):
        if cancelled is not None and index % 25 == 0 and cancelled():
            raise Cancelled("Analyse du programme annulée : rien n'a été enregistré.")
        judged.append(_judge_line(purchase, counter, unknown_sectors, settings, table, today))
        if progress is not None and (index % 50 == 0 or index == total):
            progress(index, total, f"Ligne {index} sur {total}")
    flag_homogeneous(judged, today)
    return judged


def read_purchases(table: ProgrammeTable, buyer: ProgrammeBuyer, resolvers: Resolvers,
                   year: int | None) -> list[PlannedPurchase]:
    """Every line of the table as a planned purchase (or its reason); the same service and object
    in the same year count their occurrences so that each keeps its own dossier identity."""
    missing = table.missing
    if missing:
        from achatsdesk.services.programme_reader import FIELDS

        raise ValidationError(
            "Colonnes indispensables non reconnues : " + ", ".join(FIELDS[m] for m in missing) + ".",
            hint="Faites correspondre les colonnes du fichier (dans la fenêtre, l'assistant de correspondance ; "
                 "en ligne de commande, --column title=… --column amount=… --column launch=…) : "
                 "la correspondance sera retenue pour les fichiers de même présentation.",
        )
    default_place = resolvers.commune(buyer.default_place) if buyer.default_place else None
    as_buyer = buyer.as_buyer()
    seen: Counter = Counter()
    purchases = []
    prefix = f"PROG-{year}-" if year else "PROG-"
    for row in table.rows():
        purchase = read_line(row, as_buyer, resolvers, default_year=year, default_place=default_place,
                             reference_prefix=prefix)
        if purchase.dossier is not None and purchase.dossier.launch_date is not None:
            launch = purchase.dossier.launch_date.year
            key = (" ".join(fold(purchase.service).split()), " ".join(fold(purchase.title).split()), launch)
            purchase.uid = line_uid(purchase.service, purchase.title, launch, seen[key])
            seen[key] += 1
        purchases.append(purchase)
    return purchases


def judge_programme(
    path: Path,
    database,
    *,
    buyer: ProgrammeBuyer | None = None,
    year: int | None = None,
    mapping: dict[str, str] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    with_lever: bool = True,
    config: Path | None = None,
) -> ProgrammeResult:
    """Read the file and judge every line; the database gives the reference data and the catalogue;
    ``config`` the folder of the rule settings (the window's paths; None: the command line's own)."""
    from achatsdesk.services.lever_advice import catalogue_counter

    buyer = buyer or organisation_buyer(config)
    table = read_table(path, mapping)
    purchases = read_purchases(table, buyer, database_resolvers(database), year)
    settings = lever_settings(config)
    lines = judge_purchases(
        purchases,
        counter=catalogue_counter(database) if with_lever else None,
        unknown_sectors=catalogue_unknown_sectors(database, settings.kinds, float(settings.radius_km))
        if with_lever else None,
        today=today, progress=progress, cancelled=cancelled, config=config,
    )
    return ProgrammeResult(path.name, year, buyer, lines, programme_totals(lines), table.mapping_origin)


# --- the JSON form ------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return amount_json(value)
    return value


def line_document(judged: LineJudgement) -> dict[str, Any]:
    base: dict[str, Any] = {"line": judged.line, "title": judged.title, "service": judged.purchase.service,
                            "error": judged.error}
    if judged.check is None:
        return {**base, "procedure": None, "obligations": [], "lever": None, "lever_detail": None, "hours": None,
                "flags": []}
    dossier = judged.dossier
    lever = judged.lever
    return {
        **base,
        "reference": dossier.reference,
        "cpv": dossier.main_cpv,
        "cpv_label": judged.purchase.cpv_label,
        "nature": dossier.nature.value,
        "amount_eur": amount_json(dossier.amount_eur),
        "launch_date": dossier.launch_date.isoformat() if dossier.launch_date else None,
        "launch_text": judged.purchase.launch_text,
        "place_insee": dossier.place_insee,
        "place": judged.purchase.place_name,
        "lots": [{"title": lot.title, "amount_eur": amount_json(lot.amount_eur)} for lot in dossier.lots],
        "procedure": judged.check["procedure"],
        "obligations": [{"id": o["id"], "status": o["status"], "title": o["title"], "to_confirm": o["to_confirm"]}
                        for o in judged.check["obligations"]],
        "mandatory_count": len(judged.mandatory),
        "warnings": judged.check["warnings"],
        "lever": lever.decision.lever.value if lever else None,
        "lever_detail": {
            "label": lever.decision.label,
            "supplier_count": lever.decision.supplier_count,
            "unknown_sector_count": judged.unknown_sector_suppliers,
            "area": lever.area,
            "reasons": list(lever.decision.reasons),
            "sectors": [m.label for m in lever.sectors],
            "suppliers": [
                {"name": h.name, "kind": h.kind, "commune": h.commune,
                 "distance_km": round(h.distance_km, 1) if h.distance_km is not None else None}
                for h in lever.suppliers[:SUPPLIERS_SHOWN]
            ],
        } if lever else None,
        "hours": judged.hours,
        "sizing": [
            {"label": s.label, "amount_eur": _plain(s.amount_eur), "labour_share": _plain(s.labour_share),
             "labour_share_to_confirm": s.share_to_confirm, "rate": _plain(s.rate),
             "hourly_cost": _plain(s.hourly_cost), "hours": s.hours, "formula": s.formula()}
            for s in (judged.sizing.lines if judged.sizing else ())
        ],
        "flags": [{"id": f.id, "label": f.label, "explanation": f.explanation, "legal_basis": f.legal_basis,
                   "to_confirm": f.to_confirm, "lines": list(f.related_lines)} for f in judged.flags],
        "dossier": dossier.to_dict(),
    }


def totals_document(totals: ProgrammeTotals) -> dict[str, Any]:
    def share(amount: Decimal) -> float | None:
        ratio = totals.share(amount)
        return float(round(ratio, 4)) if ratio is not None else None

    return {
        "lines": totals.lines, "judged": totals.judged, "errors": totals.errors,
        "amount_eur": amount_json(totals.amount_eur),
        "social_mandatory": totals.social_mandatory, "social_amount_share": share(totals.social_amount_eur),
        "environmental_mandatory": totals.environmental_mandatory,
        "environmental_amount_share": share(totals.environmental_amount_eur),
        "condition_mandatory": totals.condition_mandatory, "condition_amount_eur": amount_json(totals.condition_amount_eur),
        "condition_amount_share": share(totals.condition_amount_eur),
        "potential_hours": totals.potential_hours,
        "reservation_possible": totals.reservation_possible,
        "homogeneous_flagged": totals.homogeneous_flagged,
        "by_lever": totals.by_lever, "by_procedure": totals.by_procedure,
        "by_service": [{"service": s.service, "lines": s.lines, "amount_eur": amount_json(s.amount_eur), "hours": s.hours}
                       for s in totals.by_service],
    }


def result_document(result: ProgrammeResult) -> dict[str, Any]:
    return {
        "source": result.source, "year": result.year,
        "buyer": {"name": result.buyer.name, "kind": result.buyer.kind.value,
                  "annual_purchases_eur": amount_json(result.buyer.annual_purchases_eur)},
        "lines": [line_document(j) for j in result.lines],
        "totals": totals_document(result.totals),
    }


LEVER_NAMES = {lever.value: label for lever, label in LEVER_LABELS.items()}


def export_programme(document: dict, target: Path) -> Path:
    """The judged programme as a print-ready workbook (for the shells: the window reaches the
    document writers through the services only)."""
    from achatsdesk.documents.xlsx_programme import write_programme

    return write_programme(document, target)
