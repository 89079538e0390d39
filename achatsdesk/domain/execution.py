"""Execution follow-up: what each measurable clause commits to, what was realised,
period by period, the balance and the penalty the clause's own terms give.

A commitment is a clause variable declared measurable: any variable pre-filled
with the insertion hours (unit "heures"), and those listed in
resources/rules/measurable_commitments.json (apprentices, shares of reuse or
recycled supplies, low-emission deliveries). Hours add up over the periods;
a share (%) is followed as the latest figure reported.

The penalty is computed and explained, never applied: the buyer decides,
after the formal notice the clause provides for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from achatsdesk.domain.award import Award, months_between
from achatsdesk.domain.clauses import ClauseTemplate
from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.formatting import format_date_short, format_money, format_number
from achatsdesk.errors import ValidationError

HOURS = "heures"
# A report is expected every quarter; one month of grace before a contract is flagged late.
LATE_AFTER_MONTHS = 4
# The publics a facilitator's report counts (beneficiaries), key -> French label.
PUBLICS = {
    "chomeurs_longue_duree": "Demandeurs d'emploi de longue durée",
    "moins_26_ans": "Jeunes de moins de 26 ans",
    "rsa": "Allocataires du RSA",
    "handicap": "Travailleurs handicapés",
    "qpv": "Résidents des quartiers prioritaires (QPV)",
    "femmes": "Femmes",
}

_PERIOD = re.compile(r"^(\d{4})-T([1-4])$")


# --- periods -----------------------------------------------------------------
def check_period(text: Any) -> str:
    """A quarter written 2027-T1 (also read: 2027T1, T1 2027, 2027-Q1)."""
    raw = str(text or "").strip().upper().replace(" ", "")
    raw = re.sub(r"^T([1-4])-?(\d{4})$", r"\2-T\1", raw)
    raw = re.sub(r"^(\d{4})-?[TQ]([1-4])$", r"\1-T\2", raw)
    if not _PERIOD.match(raw):
        raise ValidationError(f"Période « {text} » invalide : un trimestre s'écrit 2027-T1 (T1 à T4).")
    return raw


def period_of(day: date) -> str:
    return f"{day.year}-T{(day.month - 1) // 3 + 1}"


# --- commitments ---------------------------------------------------------------
@dataclass(frozen=True)
class CommitmentRule:
    clause_id: str
    variable: str
    unit: str
    label: str


@dataclass(frozen=True)
class PenaltyRule:
    clause_id: str
    unit: str
    per_unit_variable: str
    cap_percent_variable: str | None
    legal_basis: str


@dataclass(frozen=True)
class ExecutionRules:
    commitments: tuple[CommitmentRule, ...] = ()
    penalties: tuple[PenaltyRule, ...] = ()


def rules_from_dict(data: Mapping[str, Any]) -> ExecutionRules:
    return ExecutionRules(
        tuple(CommitmentRule(str(c["clause_id"]), str(c["variable"]), str(c["unit"]), str(c["label"]))
              for c in data.get("commitments", [])),
        tuple(PenaltyRule(str(p["clause_id"]), str(p["unit"]), str(p["per_unit_variable"]),
                          p.get("cap_percent_variable"), str(p.get("legal_basis") or ""))
              for p in data.get("penalties", [])),
    )


@dataclass(frozen=True)
class Commitment:
    clause_id: str
    clause_title: str
    lot: int  # 0: the whole contract, else the 1-based lot number
    variable: str
    unit: str
    label: str
    planned: Decimal

    @property
    def cumulative(self) -> bool:
        """Counts add up over the periods; a share is read from the latest report."""
        return self.unit != "%"


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def commitments_of(dossier: Dossier, library: Mapping[str, ClauseTemplate], rules: ExecutionRules) -> list[Commitment]:
    """The measurable commitments of the dossier's chosen clauses, in the order chosen."""
    listed = {(r.clause_id, r.variable): r for r in rules.commitments}
    out: list[Commitment] = []
    for selection in dossier.clauses:
        template = library.get(selection.clause_id)
        if template is None:
            continue
        values = {**template.defaults(), **selection.variables}
        for variable in template.variables:
            rule = listed.get((template.id, variable.name))
            if variable.prefill == "insertion_hours":
                unit, label = HOURS, "Heures d'insertion"
            elif rule is not None:
                unit, label = rule.unit, rule.label
            else:
                continue
            planned = _number(values.get(variable.name))
            if planned is None:
                continue
            lot = 0 if selection.lot is None else selection.lot + 1
            out.append(Commitment(template.id, template.title, lot, variable.name, unit, label, planned))
    return out


# --- realised figures ------------------------------------------------------------
@dataclass(frozen=True)
class RealisedFigure:
    clause_id: str
    lot: int
    period: str  # 2027-T1
    value: Decimal
    reported_by: str
    reported_at: datetime
    source: str = "saisie"  # saisie, or the facilitator report's file name
    beneficiaries: Mapping[str, int] = field(default_factory=dict)  # PUBLICS key -> people


def check_value(value: Any) -> Decimal:
    number = _number(str(value).strip().replace("\u202f", "").replace(" ", "")) if value is not None else None
    if number is None:
        raise ValidationError(f"La valeur réalisée « {value} » n'est pas un nombre.")
    if number < 0:
        raise ValidationError(f"La valeur réalisée ne peut pas être négative (reçu {value}).")
    return number


# --- the follow-up -------------------------------------------------------------------
@dataclass(frozen=True)
class Progress:
    commitment: Commitment
    by_period: dict[str, Decimal]  # period -> value, oldest first
    realised: Decimal
    reports: tuple[RealisedFigure, ...] = ()  # who reported each period, and when

    @property
    def balance(self) -> Decimal:
        """What remains to be done (never below zero)."""
        return max(self.commitment.planned - self.realised, Decimal(0))

    @property
    def ratio(self) -> Decimal:
        """Realised over planned, 0 to 1 (capped): the progress bar."""
        if self.commitment.planned <= 0:
            return Decimal(1)
        return min(self.realised / self.commitment.planned, Decimal(1))


@dataclass(frozen=True)
class Penalty:
    missing: Decimal
    per_unit: Decimal
    cap: Decimal | None
    amount: Decimal
    due: bool  # the end date has passed: the shortfall is final
    explanation: str
    legal_basis: str


@dataclass(frozen=True)
class LotFollowUp:
    lot: int
    title: str
    award: Award | None
    progress: list[Progress]
    penalty: Penalty | None
    last_report: datetime | None
    late_months: int | None  # months without a report when late, else None

    @property
    def end_date(self) -> date | None:
        return self.award.end_date if self.award else None

    @property
    def late_label(self) -> str:
        return f"aucun relevé depuis {self.late_months} mois" if self.late_months is not None else ""


@dataclass(frozen=True)
class FollowUp:
    lots: list[LotFollowUp]

    def totals(self, unit: str = HOURS) -> tuple[Decimal, Decimal]:
        """Planned and realised of every lot's cumulative commitments in ``unit``."""
        planned = realised = Decimal(0)
        for lot in self.lots:
            for p in lot.progress:
                if p.commitment.unit == unit:
                    planned += p.commitment.planned
                    realised += p.realised
        return planned, realised

    @property
    def balance(self) -> Decimal:
        planned, realised = self.totals()
        return max(planned - realised, Decimal(0))

    @property
    def late(self) -> list[LotFollowUp]:
        return [lot for lot in self.lots if lot.late_months is not None]


def lot_titles(dossier: Dossier) -> list[str]:
    return [lot.title for lot in dossier.lots] or [dossier.title]


def progress_of(commitment: Commitment, figures: Iterable[RealisedFigure]) -> Progress:
    mine = sorted((f for f in figures if f.clause_id == commitment.clause_id and f.lot == commitment.lot),
                  key=lambda f: f.period)
    by_period: dict[str, Decimal] = {}
    for figure in mine:
        by_period[figure.period] = by_period.get(figure.period, Decimal(0)) + figure.value
    if commitment.cumulative:
        realised = sum(by_period.values(), Decimal(0))
    else:
        realised = by_period[max(by_period)] if by_period else Decimal(0)
    return Progress(commitment, by_period, realised, tuple(mine))


def _lot_of_commitment(commitment_lot: int, lot: int, lot_count: int) -> bool:
    """A clause chosen for the whole contract is followed on each awarded lot only when
    there is a single lot; with several lots it is followed as lot 0 (the whole contract)."""
    return commitment_lot == lot or (commitment_lot == 0 and lot_count <= 1 and lot == 1)


def follow_up(dossier: Dossier, awards: Iterable[Award], figures: Iterable[RealisedFigure],
              library: Mapping[str, ClauseTemplate], rules: ExecutionRules, today: date) -> FollowUp:
    awards_by_lot = {a.lot: a for a in awards}
    figures = list(figures)
    commitments = commitments_of(dossier, library, rules)
    titles = lot_titles(dossier)
    lots: list[LotFollowUp] = []
    numbers = list(range(1, len(titles) + 1))
    if len(titles) > 1 and any(c.lot == 0 for c in commitments):
        numbers = [0, *numbers]
    for number in numbers:
        award = awards_by_lot.get(number) if number else _first_award(awards_by_lot)
        mine = [c for c in commitments if _lot_of_commitment(c.lot, number, len(titles))]
        single = len(titles) <= 1
        progress = [progress_of(c if not (single and c.lot == 0) else _as_lot(c, 1), figures) for c in mine]
        lot_figures = [f for f in figures if f.lot == number]
        last = max((f.reported_at for f in lot_figures), default=None)
        penalty = _penalty(dossier, number, award, progress, library, rules, today)
        title = "Ensemble du marché" if number == 0 else titles[number - 1]
        lots.append(LotFollowUp(number, title, award, progress, penalty, last, _late(award, last, today)))
    return FollowUp(lots)


def _as_lot(commitment: Commitment, lot: int) -> Commitment:
    from dataclasses import replace

    return replace(commitment, lot=lot)


def _first_award(awards: Mapping[int, Award]) -> Award | None:
    return awards[min(awards)] if awards else None


def _late(award: Award | None, last: datetime | None, today: date) -> int | None:
    """Months without a report for an awarded, running contract, when more than allowed."""
    if award is None:
        return None
    end = award.end_date
    if end is not None and today > end:
        return None
    since = last.date() if last is not None else award.notified_on
    months = months_between(since, today)
    return months if months >= LATE_AFTER_MONTHS else None


def _penalty(dossier: Dossier, lot: int, award: Award | None, progress: list[Progress],
             library: Mapping[str, ClauseTemplate], rules: ExecutionRules, today: date) -> Penalty | None:
    """The penalty of the first penalty clause chosen for this lot or the whole contract."""
    for rule in rules.penalties:
        selection = next((c for c in dossier.clauses if c.clause_id == rule.clause_id and
                          (0 if c.lot is None else c.lot + 1) in (lot, 0)), None)
        template = library.get(rule.clause_id)
        if selection is None or template is None:
            continue
        values = {**template.defaults(), **selection.variables}
        per_unit = _number(values.get(rule.per_unit_variable))
        if per_unit is None:
            continue
        followed = [p for p in progress if p.commitment.unit == rule.unit]
        if not followed:
            continue
        planned = sum((p.commitment.planned for p in followed), Decimal(0))
        realised = sum((p.realised for p in followed), Decimal(0))
        missing = max(planned - realised, Decimal(0))
        raw = (missing * per_unit).quantize(Decimal("0.01"), ROUND_HALF_UP)
        cap = None
        cap_percent = _number(values.get(rule.cap_percent_variable)) if rule.cap_percent_variable else None
        if cap_percent is not None and award is not None:
            cap = (award.amount_eur * cap_percent / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        amount = min(raw, cap) if cap is not None else raw
        end = award.end_date if award else None
        due = end is not None and today > end
        return Penalty(missing, per_unit, cap, amount, due,
                       _explain(planned, realised, missing, per_unit, raw, cap, cap_percent, amount, end, due),
                       rule.legal_basis)
    return None


def _explain(planned, realised, missing, per_unit, raw, cap, cap_percent, amount, end, due) -> str:
    hours = f"{format_number(planned)} h prévues, {format_number(realised)} h réalisées"
    if missing == 0:
        return f"{hours} : l'engagement est tenu, aucune pénalité n'est encourue."
    text = (f"{hours} : {format_number(missing)} h manquent. La clause prévoit {format_money(per_unit)} "
            f"par heure non réalisée, soit {format_number(missing)} × {format_money(per_unit)} = {format_money(raw)}")
    if cap is not None:
        text += (f", dans la limite de {format_number(cap_percent)} % du montant attribué ({format_money(cap)})"
                 f" : pénalité de {format_money(amount)}")
    text += "."
    if due:
        text += f" Le marché a pris fin le {format_date_short(end)} : la pénalité est encourue"
    else:
        until = f" d'ici le {format_date_short(end)}" if end else ""
        text += f" À ce jour seulement : les heures peuvent encore être réalisées{until}"
    return text + (" ; elle n'est jamais appliquée automatiquement : mise en demeure préalable, "
                   "justifications du titulaire, puis décision de l'acheteur.")
