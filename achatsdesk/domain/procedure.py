"""The procedure a dossier needs, and its notice, for the whole and lot by lot.

Besides the amount (domain/thresholds.py), the procedure depends on:
- the object: social and other specific services (R2123-1 3°, resources/rules/ssas_cpv.json)
  may be bought in procédure adaptée whatever the amount;
- the lots: in a divided contract whose whole is formalised, lots under 80 000 € HT
  (supplies, services) or 1 000 000 € HT (works) may use procédure adaptée (R2123-1 2°) and
  lots under the dispense amounts may go without publicity (R2122-8), as long as those lots
  stay within 20 % of the value of all lots; the buyer chooses which (``Lot.small_lot``), and
  when the buyer has not chosen, the eligible lots are proposed, smallest first;
- the kind of contract: a framework agreement counts its maximum, a defence or security
  contract has its own thresholds (Livre III), a concession is not judged at all.

A lot without an amount is "à renseigner": nothing is computed on 0 €.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from achatsdesk.domain.amounts import format_amount
from achatsdesk.domain.dossier import AMOUNT_INCLUDES, ContractKind, Dossier
from achatsdesk.domain.formatting import format_date_long, format_money
from achatsdesk.domain.obligations import Procedure, Publicity
from achatsdesk.domain.thresholds import (
    PROCEDURE_LABELS,
    ThresholdTable,
    check_schema_version,
    derive_procedure,
)
from achatsdesk.errors import ReferenceDataError

CONCESSION_REASON = (
    "Concession (délégation de service public ou autre concession) : achatsdesk ne juge pas les concessions, "
    "qui suivent la troisième partie du code (seuil de 5 404 000 € HT, L3114-2-1 pour la condition sociale). "
    "Aucune procédure ni obligation n'est déduite : faites examiner ce dossier par votre service juridique."
)


# --- SSAS list ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SsasCategory:
    id: str
    label: str
    codes: frozenset[str]
    ranges: tuple[tuple[str, str], ...]

    def matches(self, code8: str) -> bool:
        return code8 in self.codes or any(low <= code8 <= high for low, high in self.ranges)


@dataclass(frozen=True)
class SsasList:
    categories: tuple[SsasCategory, ...] = ()
    source: str = ""
    to_confirm: bool = True

    def category_of(self, cpv: str | None) -> SsasCategory | None:
        if not cpv:
            return None
        code8 = cpv.split("-")[0].strip()
        if len(code8) != 8 or not code8.isdigit():
            return None
        return next((c for c in self.categories if c.matches(code8)), None)


def load_ssas(directory: Path) -> SsasList:
    path = directory / "ssas_cpv.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        check_schema_version(data, path.name)
        return SsasList(
            tuple(SsasCategory(c["id"], c["label"], frozenset(c["codes"]), tuple((lo, hi) for lo, hi in c["ranges"]))
                  for c in data["categories"]),
            data["source"], bool(data.get("to_confirm", True)),
        )
    except ReferenceDataError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReferenceDataError(
            "La liste des services sociaux et autres services spécifiques livrée avec achatsdesk est illisible.",
            hint="Réinstallez achatsdesk ou restaurez le fichier « resources/rules/ssas_cpv.json ».",
            detail=repr(exc),
        ) from exc


# --- results --------------------------------------------------------------------------------
@dataclass(frozen=True)
class LotProcedure:
    index: int  # counted from 1, as the buyer reads it
    title: str
    amount_eur: Decimal | None  # None: "à renseigner"
    procedure: Procedure
    small_lot: bool  # uses the small-lots exemption
    eligible: str | None = None  # "mapa" | "dispense": the lighter procedure the lot may use


@dataclass(frozen=True)
class SmallLots:
    cap_eur: Decimal
    used_eur: Decimal
    within_cap: bool
    proposal: bool  # True: the buyer has not chosen, the lots shown are achatsdesk's proposal
    applicable: bool  # False: the whole is not formalised nor adapted, no lot gains anything
    explanation: str

    @property
    def remaining_eur(self) -> Decimal:
        return max(self.cap_eur - self.used_eur, Decimal(0))


@dataclass(frozen=True)
class ValueEstimation:
    basis: str  # montant_estime | somme_des_lots | maximum_accord_cadre
    includes: tuple[str, ...]
    explanation: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProcedureAssessment:
    whole: Procedure
    lots: list[LotProcedure] = field(default_factory=list)
    small_lots: SmallLots | None = None
    estimation: ValueEstimation | None = None
    ssas: SsasCategory | None = None
    eu_threshold_eur: int | None = None


def audience(dossier: Dossier) -> str:
    """Whose thresholds apply: a defence or security contract has its own, whoever the buyer."""
    if dossier.contract_kind == ContractKind.DEFENSE_SECURITE:
        return "defense_securite"
    return dossier.buyer.kind.value


# --- publicity ------------------------------------------------------------------------------
def publicity_for(table: ThresholdTable, procedure_id: str, amount: Decimal, nature: str, launch: date,
                  ssas: SsasCategory | None = None) -> Publicity:
    """The notice: free in form below 90 000 € HT in procédure adaptée, BOAMP or a JAL from 90 000 €
    (works included), JOUE and BOAMP in formalised procedure; and whether the documents go online."""
    online = table.pick("documents_online", launch, nature)
    documents_online = bool(online and procedure_id not in ("dispense", "a_renseigner") and amount >= online.amount_eur)
    if online:
        since = f" depuis le {format_date_long(online.threshold.valid_from)}" if online.threshold.valid_from else ""
        docs = (f" Documents de la consultation gratuitement en ligne sur le profil d'acheteur : "
                f"{'obligatoire' if documents_online else 'non exigé'} (à partir de {format_money(online.amount_eur)}"
                f"{since}, {online.threshold.source}{' ; à vérifier' if online.to_confirm else ''}).")
    else:
        docs = ""
    amount_text = format_amount(amount)
    if procedure_id == "dispense":
        return Publicity("libre", "Marché sans publicité ni mise en concurrence préalables : aucun avis n'est exigé "
                                  "(R2122-8). Une publicité reste possible." , False)
    if procedure_id == "formalisee":
        return Publicity("joue_boamp", f"Procédure formalisée ({amount_text}) : avis de marché au Journal officiel de "
                                       "l'Union européenne (JOUE) et au BOAMP (R2131-16 et suivants)." + docs,
                         documents_online)
    if ssas is not None:
        eu_notice = table.pick("ssas_eu_notice", launch, "services")
        if eu_notice and amount >= eu_notice.amount_eur:
            return Publicity("joue_boamp", f"Services sociaux et autres services spécifiques ({ssas.label}) de "
                                           f"{amount_text} ≥ {format_money(eu_notice.amount_eur)} (seuil de la directive "
                                           "pour ces services) : avis au JOUE, ou avis de préinformation, et au BOAMP "
                                           f"({eu_notice.threshold.source}) ; à vérifier." + docs,
                             documents_online, to_confirm=True)
    publicity = table.pick("publicity", launch, nature)
    if publicity and amount >= publicity.amount_eur:
        return Publicity("boamp_jal", f"Procédure adaptée de {amount_text} ≥ {format_money(publicity.amount_eur)} : "
                                      "avis au BOAMP ou dans un journal d'annonces légales (JAL), pour les travaux comme "
                                      f"pour les fournitures et services ({publicity.threshold.source}) ; selon l'objet, "
                                      "une publication complémentaire dans la presse spécialisée peut être utile."
                                      + docs, documents_online, to_confirm=bool(ssas) or publicity.to_confirm)
    limit = format_money(publicity.amount_eur) if publicity else "90 000 € HT"
    return Publicity("libre", f"Procédure adaptée de {amount_text} < {limit} : publicité libre dans sa forme, adaptée "
                              "au montant et à l'objet (R2131-12)." + docs, documents_online, to_confirm=bool(ssas))


# --- the whole ------------------------------------------------------------------------------
def _with(procedure: Procedure, explanation: str, publicity: Publicity, basis: str, to_confirm: bool = False) -> Procedure:
    return Procedure(procedure.id, procedure.threshold_eur, explanation, basis=basis, publicity=publicity,
                     to_confirm=to_confirm or procedure.to_confirm)


def estimate_value(dossier: Dossier) -> ValueEstimation:
    """What the amount the law looks at is made of, in the dossier's own words (R2121-1 to R2121-9)."""
    includes = tuple(i for i in dossier.amount_includes if i in AMOUNT_INCLUDES)
    warnings = []
    if dossier.contract_kind == ContractKind.ACCORD_CADRE and dossier.framework_max_eur:
        basis = "maximum_accord_cadre"
        text = f"Accord-cadre : la valeur retenue est son montant maximum de {format_amount(dossier.framework_max_eur)} (R2121-8)."
    elif dossier.lots:
        basis = "somme_des_lots"
        text = f"Valeur retenue : la somme des {len(dossier.lots)} lots, soit {format_amount(dossier.amount_eur)} (R2121-4)."
    else:
        basis = "montant_estime"
        text = f"Valeur retenue : le montant estimé de {format_amount(dossier.amount_eur)}."
    if dossier.contract_kind == ContractKind.ACCORD_CADRE and not dossier.framework_max_eur:
        warnings.append("Accord-cadre sans montant maximum renseigné : la valeur à comparer aux seuils est la valeur "
                        "maximale estimée des commandes sur toute sa durée (R2121-8). Indiquez « framework_max_eur ».")
    if includes:
        text += " Elle comprend " + ", ".join(AMOUNT_INCLUDES[i] for i in includes) + " (R2121-1)."
    else:
        text += (" Le dossier ne dit pas si elle comprend les options et les reconductions : la valeur estimée doit "
                 "les inclure (R2121-1) ; cochez ce qu'elle comprend.")
    if dossier.nature.value == "travaux":
        text += " Pour des travaux, elle couvre toute l'opération (R2121-5), même passée en plusieurs marchés."
    else:
        text += (" Pour des fournitures et services, elle additionne les besoins homogènes de l'année (R2121-6), "
                 "même achetés par plusieurs dossiers.")
    return ValueEstimation(basis, includes, text, tuple(warnings))


def _lot_label(index: int, title: str) -> str:
    return f"lot n° {index} « {title} »"


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _whole(dossier: Dossier, table: ThresholdTable, ssas_list: SsasList, launch: date, launch_given: bool) -> tuple[Procedure, SsasCategory | None, int | None]:
    nature = dossier.nature.value
    who = audience(dossier)
    amount = dossier.amount_eur
    procedure, eu, dispense = derive_procedure(table, amount, nature, who, launch, launch_date_given=launch_given)
    eu_amount = eu.amount_eur if eu else None
    basis = "montant"
    missing = [(i, lot.title) for i, lot in enumerate(dossier.lots, start=1) if not lot.amount_known]
    framework = dossier.contract_kind == ContractKind.ACCORD_CADRE and dossier.framework_max_eur
    if missing and not framework and not (eu and amount >= eu.amount_eur):
        names = ", ".join(_lot_label(i, t) for i, t in missing)
        explanation = (f"Montant à renseigner pour le {names} : achatsdesk ne peut pas conclure sur la procédure de "
                       f"l'ensemble (les lots connus totalisent {format_amount(amount)}). Indiquez le montant estimé "
                       "de chaque lot.")
        return (Procedure("a_renseigner", eu_amount, explanation, basis="a_renseigner",
                          publicity=Publicity("libre", "Publicité à déterminer une fois tous les montants connus.", False)),
                None, eu_amount)
    if missing:  # the known lots alone reach the EU threshold: the whole is formalised whatever the others
        procedure = Procedure(procedure.id, procedure.threshold_eur, procedure.explanation.replace(
            "Montant estimé", "Montant des lots connus (au moins)", 1) + " Montant à renseigner pour le "
            + ", ".join(_lot_label(i, t) for i, t in missing) + ".")
    main = dossier.main_cpv or next((lot.cpv for lot in dossier.lots if lot.cpv), None)
    ssas = ssas_list.category_of(main) if nature == "services" else None
    if ssas is not None and procedure.id == "formalisee":
        explanation = (
            f"Objet principal (CPV {main}) parmi les services sociaux et autres services "
            f"spécifiques ({ssas.label}) : procédure adaptée quel que soit le montant (R2123-1 3°), ici "
            f"{format_amount(amount)} au-delà du seuil européen de {format_money(eu_amount or 0)}. Liste de "
            f"l'annexe XIV de la directive 2014/24/UE reprise par l'avis du 31 mars 2019, saisie par achatsdesk : "
            "à vérifier."
        )
        procedure = Procedure("mapa", eu_amount, explanation)
        basis = "ssas"
    elif ssas is not None and procedure.id == "mapa":
        procedure = Procedure("mapa", procedure.threshold_eur, procedure.explanation + (
            f" L'objet relève en outre des services sociaux et autres services spécifiques ({ssas.label}, R2123-1 3°) : "
            "la procédure adaptée resterait possible au-delà du seuil européen (à vérifier)."))
        basis = "ssas"
    publicity = publicity_for(table, procedure.id, amount, nature, launch, ssas)
    text = f"{procedure.explanation} Publicité : {publicity.explanation}"
    return _with(procedure, text, publicity, basis, to_confirm=ssas is not None), ssas, eu_amount


# --- lots -----------------------------------------------------------------------------------
def _eligible(lot_amount: Decimal, whole_id: str, small: int | None, dispense: int | None) -> str | None:
    if whole_id not in ("mapa", "formalisee"):
        return None
    if dispense is not None and lot_amount < dispense:
        return "dispense"
    if whole_id == "formalisee" and small is not None and lot_amount < small:
        return "mapa"
    return None


def _chosen(dossier: Dossier, eligible: dict[int, str], cap: Decimal) -> tuple[set[int], bool]:
    """The lots using the exemption (positions from 0) and whether they are the buyer's choice."""
    if any(lot.small_lot is not None for lot in dossier.lots):
        return {i for i, lot in enumerate(dossier.lots) if lot.small_lot}, False
    proposal: set[int] = set()
    used = Decimal(0)
    for i in sorted(eligible, key=lambda i: (dossier.lots[i].amount_eur, i)):  # smallest first
        if used + dossier.lots[i].amount_eur <= cap:
            proposal.add(i)
            used += dossier.lots[i].amount_eur
    return proposal, True


def assess_procedure(dossier: Dossier, table: ThresholdTable, ssas_list: SsasList, launch: date,
                     launch_given: bool = True) -> ProcedureAssessment:
    estimation = estimate_value(dossier)
    if dossier.contract_kind == ContractKind.CONCESSION:
        return ProcedureAssessment(Procedure("non_examinee", None, CONCESSION_REASON, basis="concession"),
                                   estimation=estimation)
    whole, ssas, eu_amount = _whole(dossier, table, ssas_list, launch, launch_given)
    whole = Procedure(whole.id, whole.threshold_eur, f"{whole.explanation} {estimation.explanation}",
                      basis=whole.basis, publicity=whole.publicity, to_confirm=whole.to_confirm)
    if not dossier.lots:
        return ProcedureAssessment(whole, estimation=estimation, ssas=ssas, eu_threshold_eur=eu_amount)
    nature = dossier.nature.value
    small = table.pick("small_lot", launch, nature)
    dispense = table.pick("dispense", launch, nature)
    cap_row = table.pick("small_lots_cap_percent", launch)
    percent = Decimal(cap_row.amount_eur if cap_row else 20)
    total = dossier.amount_eur
    cap = (total * percent / 100).quantize(Decimal("0.01"))
    eligible = {
        i: kind for i, lot in enumerate(dossier.lots)
        if lot.amount_known and (kind := _eligible(lot.amount_eur, whole.id, small.amount_eur if small else None,
                                                   dispense.amount_eur if dispense else None))
    }
    chosen, proposal = _chosen(dossier, eligible, cap)
    used = sum((dossier.lots[i].amount_eur for i in chosen if i in eligible), Decimal(0))
    within = used <= cap
    lots = []
    for i, lot in enumerate(dossier.lots):
        index = i + 1
        if not lot.amount_known:
            lots.append(LotProcedure(index, lot.title, None, Procedure(
                "a_renseigner", None, f"Montant à renseigner pour le {_lot_label(index, lot.title)} : achatsdesk ne "
                "peut pas conclure sur sa procédure sans son montant estimé.", basis="a_renseigner",
                publicity=Publicity("libre", "Publicité à déterminer une fois le montant connu.", False)), False))
            continue
        kind = eligible.get(i)
        uses = i in chosen and kind is not None and within
        label = _lot_label(index, lot.title)
        if uses:
            limit = dispense if kind == "dispense" else small
            reference = "R2122-8" if kind == "dispense" else "R2123-1 2°"
            if dossier.contract_kind == ContractKind.DEFENSE_SECURITE:
                reference += " ; pour un marché de défense ou de sécurité, article du livre III à vérifier"
            who = "proposé par achatsdesk (à confirmer par l'acheteur)" if proposal else "choisi par l'acheteur"
            explanation = (
                f"{_first_upper(label)} de {format_amount(lot.amount_eur)} < {format_money(limit.amount_eur if limit else 0)} "
                f"et petits lots dans la limite de {percent} % de la valeur de tous les lots ({format_amount(used)} sur "
                f"{format_amount(cap)}) : {PROCEDURE_LABELS[kind]} ({reference}), {who}."
            )
            publicity = publicity_for(table, kind, lot.amount_eur, nature, launch)
            procedure = Procedure(kind, limit.amount_eur if limit else None, f"{explanation} Publicité : {publicity.explanation}",
                                  basis="petit_lot", publicity=publicity, to_confirm=True)
        else:
            reason = ""
            if i in chosen and kind is None:
                reason = " Ce lot ne peut pas bénéficier des petits lots : son montant n'est pas sous le plafond."
            elif i in chosen and not within:
                reason = (f" Choix « petit lot » refusé : les lots choisis totalisent {format_amount(used)}, au-delà de "
                          f"{percent} % de la valeur de tous les lots ({format_amount(cap)}).")
            explanation = (f"{_first_upper(label)} de {format_amount(lot.amount_eur)} : il suit la procédure de "
                           f"l'ensemble, {PROCEDURE_LABELS.get(whole.id, whole.id)}.{reason}")
            publicity = whole.publicity
            procedure = Procedure(whole.id, whole.threshold_eur, explanation, basis="ensemble", publicity=publicity,
                                  to_confirm=whole.to_confirm)
        lots.append(LotProcedure(index, lot.title, lot.amount_eur, procedure, uses, kind))
    applicable = whole.id in ("mapa", "formalisee")
    if whole.id == "a_renseigner":
        text = "Petits lots : à déterminer une fois connus les montants de tous les lots (la limite de 20 % porte sur leur total)."
    elif not applicable:
        text = "Les petits lots ne changent rien ici : l'ensemble est passé sans publicité ni mise en concurrence préalables."
    elif within:
        who = ("Proposition d'achatsdesk, à confirmer : les lots éligibles, du plus petit au plus grand, dans la limite"
               if proposal else "Choix de l'acheteur, dans la limite")
        text = (f"{who} de {percent} % de la valeur de tous les lots ({format_amount(cap)}) : "
                f"{format_amount(used)} utilisés (R2123-1 2°, R2122-8).")
    else:
        text = (f"Les lots choisis comme petits lots totalisent {format_amount(used)}, au-delà de {percent} % de la valeur "
                f"de tous les lots ({format_amount(cap)}) : retirez-en pour rester dans la limite (R2123-1 2°, R2122-8).")
    summary = SmallLots(cap, used, within, proposal, applicable, text)
    return ProcedureAssessment(whole, lots, summary, estimation, ssas, eu_amount)


def small_lot_choice(dossier: Dossier, details: ProcedureAssessment, position: int,
                     chosen: bool) -> tuple[list[bool], str | None]:
    """The buyer ticks (or unticks) the lot at ``position`` (from 0) as a small lot.

    Returns every lot's choice after the change (the proposal shown becomes the buyer's own
    choice) and, when the change cannot be accepted, the French reason: the lot is not under
    the small-lot or dispense amount, or the chosen lots would exceed the 20 % cap."""
    current = [lot.small_lot for lot in details.lots]
    after = list(current)
    after[position] = chosen
    if not chosen:
        return after, None
    lot = details.lots[position]
    summary = details.small_lots
    if summary is None or not summary.applicable or lot.eligible is None:
        reason = ("son montant n'est pas renseigné" if lot.amount_eur is None
                  else "l'ensemble n'est ni en procédure adaptée ni en procédure formalisée" if summary is None
                  or not summary.applicable
                  else "son montant n'est pas sous le plafond des petits lots (80 000 € HT, 1 000 000 € HT pour des "
                       "travaux) ni sous le seuil de dispense")
        return current, f"Le {_lot_label(lot.index, lot.title)} ne peut pas être un petit lot : {reason}."
    used = sum((lt.amount_eur or Decimal(0) for i, lt in enumerate(details.lots) if after[i] and lt.eligible),
               Decimal(0))
    if used > summary.cap_eur:
        return current, (
            f"Petit lot refusé : avec le {_lot_label(lot.index, lot.title)}, les petits lots totaliseraient "
            f"{format_amount(used)}, au-delà du plafond de 20 % de la valeur de tous les lots "
            f"({format_amount(summary.cap_eur)}). Retirez d'abord un autre petit lot."
        )
    return after, None
