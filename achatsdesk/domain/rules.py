"""The obligations engine: declarative rules (resources/rules/obligations.json) over facts
computed from the dossier.

A rule has an id, a French title, a legal basis and ordered cases; the first
case whose condition holds gives the status, dates and explanation template.
Conditions are small JSON trees ({"all": [...]}, {"any": [...]}, {"not": ...},
{"fact": name, "eq"|"in"|"gte"|"lt": value}) so that a jurist can read and
change them without touching code.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from achatsdesk.domain.conditions import condition_holds, condition_problems
from achatsdesk.domain.dossier import ContractKind, Dossier, format_amount
from achatsdesk.domain.formatting import format_date_long, format_money, format_number
from achatsdesk.domain.obligations import OBLIGATION_IDS, Assessment, Obligation, ObligationStatus
from achatsdesk.domain.procedure import SsasList, assess_procedure, audience, load_ssas
from achatsdesk.domain.thresholds import (
    BUYER_KIND_PHRASES,
    ThresholdTable,
    eu_threshold_phrase,
    load_thresholds,
)
from achatsdesk.errors import ReferenceDataError

RULES_SCHEMA_VERSION = 1



@dataclass(frozen=True)
class RuleCase:
    when: Any
    status: ObligationStatus
    explanation: str
    applies_from: date | None = None
    applies_until: date | None = None
    to_confirm: bool = False  # this case rests on a reading to check, even when the rule as a whole does not


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    legal_basis: str
    cases: tuple[RuleCase, ...]
    to_confirm: bool = False


@dataclass(frozen=True)
class CpvGroup:
    id: str
    label: str
    prefixes: tuple[str, ...]
    exclude: tuple[str, ...] = ()

    def matches(self, code: str) -> bool:
        digits = code.split("-")[0]
        return any(digits.startswith(p) for p in self.prefixes) and not any(digits.startswith(p) for p in self.exclude)


@dataclass(frozen=True)
class CpvFamily:
    """A family of purchases recognised from CPV codes (AGEC categories, catering, ...)."""

    title: str
    groups: tuple[CpvGroup, ...]
    natures: tuple[str, ...] = ()  # a nature that makes every purchase belong (works are labour-intensive)
    to_confirm: bool = True

    def matching_groups(self, codes: list[str]) -> list[CpvGroup]:
        return [g for g in self.groups if any(g.matches(code) for code in codes)]


@dataclass
class RuleSet:
    rules: list[Rule]
    families: dict[str, CpvFamily] = field(default_factory=dict)
    ssas: SsasList = field(default_factory=SsasList)
    art77: frozenset[str] = frozenset()  # 8-digit CPV codes that may be reserved to ESS enterprises (L2113-15)


def _load_art77(path: Path) -> frozenset[str]:
    """The 115 codes of art. 77 of Directive 2014/24 (eForms SDK list, resources/data/ATTRIBUTION.md)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["code8"] for row in csv.DictReader(handle))


def _parse_date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def load_rules(directory: Path) -> RuleSet:
    """Read obligations.json and cpv_mappings.json from ``directory``; French error if unreadable."""
    try:
        data = json.loads((directory / "obligations.json").read_text(encoding="utf-8"))
        version = data.get("schema_version") if isinstance(data, dict) else None
        if version != RULES_SCHEMA_VERSION:
            raise ReferenceDataError(
                f"Les règles d'obligations sont au format {version!r}, cette version d'achatsdesk lit le format "
                f"{RULES_SCHEMA_VERSION}.",
                hint="Installez la version d'achatsdesk qui accompagne ces règles, ou restaurez le fichier d'origine.",
            )
        rules = [
            Rule(
                id=row["id"],
                title=row["title"],
                legal_basis=row["legal_basis"],
                to_confirm=bool(row.get("to_confirm")),
                cases=tuple(
                    RuleCase(
                        when=case.get("when"),
                        status=ObligationStatus(case["status"]),
                        explanation=case["explanation"],
                        applies_from=_parse_date(case.get("applies_from")),
                        applies_until=_parse_date(case.get("applies_until")),
                        to_confirm=bool(case.get("to_confirm")),
                    )
                    for case in row["cases"]
                ),
            )
            for row in data["rules"]
        ]
        mappings = json.loads((directory / "cpv_mappings.json").read_text(encoding="utf-8"))
        families = {
            name: CpvFamily(
                title=family["title"],
                natures=tuple(family.get("natures") or ()),
                to_confirm=bool(family.get("to_confirm", True)),
                groups=tuple(
                    CpvGroup(g["id"], g["label"], tuple(g["prefixes"]), tuple(g.get("exclude") or ()))
                    for g in family["groups"]
                ),
            )
            for name, family in mappings.items()
            if isinstance(family, dict) and "groups" in family
        }
        ssas = load_ssas(directory)
        art77 = _load_art77(directory.parent / "data" / "cpv_article77_services_reserves.csv")
    except ReferenceDataError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReferenceDataError(
            "Les règles d'obligations livrées avec achatsdesk sont illisibles.",
            hint="Réinstallez achatsdesk ou restaurez le dossier « resources/rules » d'origine.",
            detail=repr(exc),
        ) from exc
    unknown = [r.id for r in rules if r.id not in OBLIGATION_IDS]
    if unknown:
        raise ReferenceDataError(
            f"Règle d'obligation inconnue : {', '.join(unknown)}.",
            hint="Les identifiants de règles sont fixes ; restaurez le fichier d'origine.",
        )
    problems = [p for r in rules for i, c in enumerate(r.cases, start=1)
                for p in condition_problems(c.when, f"règle « {r.id} », cas n° {i}")]
    if problems:
        raise ReferenceDataError(
            "Les règles d'obligations contiennent une condition incomprise : " + " ; ".join(problems) + ".",
            hint="Corrigez le fichier « resources/rules/obligations.json » (voir resources/rules/README.md) "
                 "ou restaurez-le.",
        )
    return RuleSet(rules, families, ssas, art77)


def load_thresholds_from(directory: Path) -> ThresholdTable:
    return load_thresholds(directory / "thresholds.json")


# --- facts ------------------------------------------------------------------
def compute_facts(dossier: Dossier, rules: RuleSet, thresholds: ThresholdTable, today: date | None = None) -> dict[str, Any]:
    """Everything a condition or an explanation may use, computed once from the dossier."""
    launch = dossier.launch_date or today or date.today()
    nature = dossier.nature.value
    kind = dossier.buyer.kind.value
    who = audience(dossier)
    amount = dossier.amount_eur
    details = assess_procedure(dossier, thresholds, rules.ssas, launch, launch_given=dossier.launch_date is not None)
    procedure = details.whole
    eu = thresholds.pick("eu", launch, nature, who)
    codes = list(dossier.cpv) + [lot.cpv for lot in dossier.lots if lot.cpv]

    def groups(name: str) -> list[CpvGroup]:
        family = rules.families.get(name)
        return family.matching_groups(codes) if family else []

    labour = groups("labour_intensive")
    labour_family = rules.families.get("labour_intensive")
    labour_by_nature = bool(labour_family and nature in labour_family.natures)
    labour_labels = [g.label for g in labour] or (["travaux"] if labour_by_nature else [])
    catering, agec = groups("catering"), groups("agec")
    agec_family = rules.families.get("agec")
    included = [g for g in (agec_family.groups if agec_family else ()) if g.id in dossier.agec_included_supplies]
    art77 = sorted({code for code in codes if code.split("-")[0] in rules.art77})
    annual = dossier.buyer.annual_purchases_eur or Decimal(0)
    spaser = thresholds.pick("spaser", launch)
    return {
        "launch_date": launch,
        "amount_eur": amount,
        "nature": nature,
        "buyer_kind": kind,
        "contract_kind": dossier.contract_kind.value,
        "procedure": procedure.id,
        "procedure_obj": procedure,
        "procedure_details": details,
        "reaches_eu": bool(eu and amount >= eu.amount_eur),
        "annual_purchases_eur": annual,
        # L2111-3: "supérieur à" — strictly above the yearly volume.
        "reaches_spaser": bool(spaser and not spaser.approximate and annual > spaser.amount_eur),
        "labour_intensive": bool(labour) or labour_by_nature,
        "catering": bool(catering),
        "agec": bool(agec),
        "agec_included": bool(included) and nature in ("travaux", "services"),
        "ess_reservable": bool(art77),
        "ssas": details.ssas is not None,
        "pouvoir_adjudicateur": kind != "entite_adjudicatrice",
        "prison_work_fits": nature in ("fournitures", "services"),
        "lots_count": len(dossier.lots),
        # formatted values for explanations
        "_text": {
            "amount": format_amount(amount),
            "launch_date": format_date_long(launch) if dossier.launch_date
            else f"{format_date_long(launch)} (date de lancement non renseignée : date du jour retenue)",
            "eu_threshold": format_money(eu.amount_eur) if eu else "—",
            "eu_threshold_phrase": eu_threshold_phrase(eu, nature, who) if eu else "seuil européen inconnu",
            "buyer_kind_phrase": BUYER_KIND_PHRASES.get(kind, kind),
            "annual_purchases": format_amount(annual),
            "spaser_threshold": format_money(spaser.amount_eur) if spaser else "—",
            "procedure_explanation": procedure.explanation,
            "labour_groups": ", ".join(labour_labels),
            "catering_groups": ", ".join(g.label for g in catering),
            "agec_groups": ", ".join([g.label for g in agec] + [f"{g.label} (fournitures comprises dans le marché)"
                                                                 for g in included if g not in agec]),
            "ess_groups": ", ".join(art77),
            "ssas_group": details.ssas.label if details.ssas else "",
            "lots_count": format_number(len(dossier.lots)),
        },
    }


class _Blank(dict):
    def __missing__(self, key: str) -> str:  # an unknown placeholder shows, never crashes
        return "{" + key + "}"


def evaluate(dossier: Dossier, rules: RuleSet, thresholds: ThresholdTable, today: date | None = None) -> Assessment:
    """The procedure and the obligations for this dossier on its launch date (``today`` when not given).

    A concession is not judged: the assessment says so and derives no obligation."""
    facts = compute_facts(dossier, rules, thresholds, today)
    details = facts["procedure_details"]
    if dossier.contract_kind == ContractKind.CONCESSION:
        return Assessment(procedure=facts["procedure_obj"], obligations=[], judged=False,
                          scope_reason=facts["procedure_obj"].explanation, details=details, facts=facts)
    text = _Blank(facts["_text"])
    obligations: list[Obligation] = []
    for rule in rules.rules:
        case = next((c for c in rule.cases if condition_holds(c.when, facts)), None)
        if case is None:
            continue
        obligations.append(
            Obligation(
                id=rule.id,
                status=case.status,
                title=rule.title,
                legal_basis=rule.legal_basis,
                applies_from=case.applies_from,
                applies_until=case.applies_until,
                explanation=case.explanation.format_map(text),
                to_confirm=rule.to_confirm or case.to_confirm,
            )
        )
    return Assessment(procedure=facts["procedure_obj"], obligations=obligations, details=details, facts=facts)
