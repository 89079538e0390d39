"""Reads and writes of the execution area, inside a session the service opens
(one unit of work per use case: an award and the dossier's new status, or a
whole facilitator report, are committed together or not at all)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from achatsdesk.domain.award import Award
from achatsdesk.domain.execution import RealisedFigure
from achatsdesk.storage.models.catalogue import Supplier
from achatsdesk.storage.models.dossiers import DossierRow
from achatsdesk.storage.models.execution import (
    AgecSpendRow,
    AwardRow,
    PublicContractRow,
    RealisedRow,
)


def cents(euros: Decimal) -> int:
    return int((Decimal(euros) * 100).to_integral_value())


def euros(value: int) -> Decimal:
    return Decimal(int(value)).scaleb(-2)


# --- awards -------------------------------------------------------------------
def _award(row: AwardRow) -> Award:
    return Award(row.lot, row.holder_siret, row.holder_name, row.notified_on, euros(row.amount_cents),
                 row.duration_months, row.offers_received, row.procedure, row.holder_kind)


def awards(session: Session, dossier_id: int) -> list[Award]:
    rows = session.scalars(select(AwardRow).where(AwardRow.dossier_id == dossier_id).order_by(AwardRow.lot))
    return [_award(r) for r in rows]


def all_awards(session: Session) -> dict[int, list[Award]]:
    out: dict[int, list[Award]] = {}
    for row in session.scalars(select(AwardRow).order_by(AwardRow.dossier_id, AwardRow.lot)):
        out.setdefault(row.dossier_id, []).append(_award(row))
    return out


def put_award(session: Session, dossier_id: int, award: Award, status_before: str, now: datetime) -> None:
    """Insert or replace the award of one lot."""
    session.execute(delete(AwardRow).where(AwardRow.dossier_id == dossier_id, AwardRow.lot == award.lot))
    session.add(AwardRow(
        dossier_id=dossier_id, lot=award.lot, holder_siret=award.holder_siret, holder_name=award.holder_name,
        holder_kind=award.holder_kind, notified_on=award.notified_on, amount_cents=cents(award.amount_eur),
        duration_months=award.duration_months, offers_received=award.offers_received, procedure=award.procedure,
        status_before=status_before, recorded_at=now,
    ))


def remove_award(session: Session, dossier_id: int, lot: int) -> str | None:
    """Delete a lot's award; returns the status the dossier had before it, None when there was none."""
    row = session.scalar(select(AwardRow).where(AwardRow.dossier_id == dossier_id, AwardRow.lot == lot))
    if row is None:
        return None
    before = row.status_before
    session.delete(row)
    return before


def status_before_awards(session: Session, dossier_id: int) -> str | None:
    return session.scalar(select(AwardRow.status_before).where(AwardRow.dossier_id == dossier_id)
                          .order_by(AwardRow.recorded_at).limit(1))


def set_dossier_status(session: Session, dossier_id: int, status: str, now: datetime) -> None:
    row = session.get(DossierRow, dossier_id)
    if row is not None and row.status != status:
        row.status = status
        row.revision += 1
        row.updated_at = now


def supplier_kind(session: Session, siret: str) -> tuple[str, str] | None:
    """(kind, name) of the catalogue's supplier with this SIRET, inclusive kinds before ESS."""
    rows = session.execute(select(Supplier.kind, Supplier.name).where(Supplier.siret == siret)).all()
    if not rows:
        return None
    rows.sort(key=lambda r: r[0] == "ESS")
    return rows[0][0], rows[0][1]


# --- realised figures -------------------------------------------------------------
def figures(session: Session, dossier_id: int) -> list[RealisedFigure]:
    rows = session.scalars(select(RealisedRow).where(RealisedRow.dossier_id == dossier_id)
                           .order_by(RealisedRow.period, RealisedRow.clause_id, RealisedRow.lot))
    return [_figure(r) for r in rows]


def all_figures(session: Session) -> dict[int, list[RealisedFigure]]:
    out: dict[int, list[RealisedFigure]] = {}
    for row in session.scalars(select(RealisedRow).order_by(RealisedRow.dossier_id, RealisedRow.period)):
        out.setdefault(row.dossier_id, []).append(_figure(row))
    return out


def _figure(row: RealisedRow) -> RealisedFigure:
    return RealisedFigure(row.clause_id, row.lot, row.period, Decimal(row.value_hundredths).scaleb(-2),
                          row.reported_by, row.reported_at, row.source, json.loads(row.beneficiaries_json or "{}"))


def put_figure(session: Session, dossier_id: int, figure: RealisedFigure) -> None:
    """Insert or replace the figure of one clause, lot and period (a corrected report replaces it)."""
    session.execute(delete(RealisedRow).where(
        RealisedRow.dossier_id == dossier_id, RealisedRow.clause_id == figure.clause_id,
        RealisedRow.lot == figure.lot, RealisedRow.period == figure.period))
    session.add(RealisedRow(
        dossier_id=dossier_id, clause_id=figure.clause_id, lot=figure.lot, period=figure.period,
        value_hundredths=cents(figure.value), reported_by=figure.reported_by, reported_at=figure.reported_at,
        source=figure.source, beneficiaries_json=json.dumps(dict(figure.beneficiaries), sort_keys=True),
    ))
    session.flush()


# --- AGEC spend --------------------------------------------------------------------
def put_agec_spend(session: Session, dossier_id: int, lot: int, year: int, category: int,
                   total: Decimal, reuse: Decimal, donation: Decimal, recycled: Decimal) -> None:
    session.execute(delete(AgecSpendRow).where(
        AgecSpendRow.dossier_id == dossier_id, AgecSpendRow.lot == lot, AgecSpendRow.year == year,
        AgecSpendRow.category == category))
    session.add(AgecSpendRow(dossier_id=dossier_id, lot=lot, year=year, category=category, total_cents=cents(total),
                             reuse_cents=cents(reuse), donation_cents=cents(donation), recycled_cents=cents(recycled)))


def agec_spend(session: Session, year: int | None = None) -> list[AgecSpendRow]:
    query = select(AgecSpendRow).order_by(AgecSpendRow.category, AgecSpendRow.dossier_id)
    if year is not None:
        query = query.where(AgecSpendRow.year == year)
    return list(session.scalars(query))


def dossier_agec_spend(session: Session, dossier_id: int) -> list[AgecSpendRow]:
    return list(session.scalars(select(AgecSpendRow).where(AgecSpendRow.dossier_id == dossier_id)))


# --- published contracts (DECP) -------------------------------------------------------
def known_contract_keys(session: Session) -> set[str]:
    return set(session.scalars(select(PublicContractRow.row_key)))


def add_contracts(session: Session, rows: Iterable[PublicContractRow]) -> None:
    session.add_all(rows)


def contracts_won_by(session: Session, siret: str) -> list[PublicContractRow]:
    return list(session.scalars(select(PublicContractRow).where(PublicContractRow.holder_siret == siret)
                                .order_by(PublicContractRow.notified_on.desc())))


def count_contracts(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(PublicContractRow)) or 0)


def public_contracts(session: Session) -> list[PublicContractRow]:
    return list(session.scalars(select(PublicContractRow)))


def catalogue_sirets(session: Session, sirets: Iterable[str]) -> dict[str, str]:
    """SIRET -> kind for those of ``sirets`` the catalogue holds (inclusive kinds first)."""
    wanted = sorted(set(sirets))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for siret, kind in session.execute(select(Supplier.siret, Supplier.kind).where(Supplier.siret.in_(chunk))):
            if siret not in found or found[siret] == "ESS":
                found[siret] = kind
    return found
