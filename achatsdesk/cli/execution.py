"""Commands after the award: dossier award / realised / import-report / follow-up /
agec-spend / returns, and contracts import-decp / won."""

from __future__ import annotations

from pathlib import Path

from achatsdesk.cli.common import add_json_flag, open_db, print_json
from achatsdesk.domain.amounts import amount_json
from achatsdesk.domain.award import PROCEDURES
from achatsdesk.domain.formatting import format_date_short, format_money, format_number
from achatsdesk.domain.plural import count_of

RETURNS = ("spaser", "decp", "agec")


def register_dossier_actions(dossier) -> None:
    """Add the execution actions to the ``dossier`` command's sub-parsers."""
    award = dossier.add_parser("award", help="enregistre l'attribution d'un lot d'un dossier validé")
    award.add_argument("id", type=int, metavar="ID")
    award.add_argument("--lot", type=int, default=1, metavar="N", help="numéro du lot (1 pour un marché sans lots)")
    award.add_argument("--siret", required=True, metavar="S", help="SIRET du titulaire")
    award.add_argument("--date", required=True, metavar="D", help="date de notification (AAAA-MM-JJ)")
    award.add_argument("--amount", required=True, metavar="A", help="montant attribué, en euros HT")
    award.add_argument("--name", default="", help="raison sociale (reprise du catalogue si le SIRET y figure)")
    award.add_argument("--duration", metavar="MOIS", help="durée en mois (par défaut celle du dossier)")
    award.add_argument("--offers", metavar="N", help="nombre d'offres reçues")
    award.add_argument("--procedure", default="adaptee", choices=list(PROCEDURES), help="procédure de passation")
    award.add_argument("--undo", action="store_true", help="annule l'attribution du lot")
    add_json_flag(award)
    award.set_defaults(func=cmd_award)

    realised = dossier.add_parser("realised", help="enregistre le réalisé d'une clause pour un trimestre")
    realised.add_argument("id", type=int, metavar="ID")
    realised.add_argument("--clause", required=True, metavar="C", help="identifiant de la clause")
    realised.add_argument("--period", required=True, metavar="P", help="trimestre, par exemple 2027-T1")
    realised.add_argument("--value", required=True, metavar="V", help="valeur réalisée (heures, apprentis, %%)")
    realised.add_argument("--lot", type=int, metavar="N", help="lot (si la clause est choisie pour plusieurs lots)")
    realised.add_argument("--by", default="", help="qui a transmis le chiffre")
    add_json_flag(realised)
    realised.set_defaults(func=cmd_realised)

    report = dossier.add_parser("import-report", help="importe le relevé d'heures d'un facilitateur (CSV ou XLSX)")
    report.add_argument("id", type=int, metavar="ID")
    report.add_argument("file", metavar="FICHIER")
    report.add_argument("--by", default="", help="structure du facilitateur")
    add_json_flag(report)
    report.set_defaults(func=cmd_import_report)

    follow = dossier.add_parser("follow-up", help="prévu et réalisé par lot, solde, pénalité et relevés en retard")
    follow.add_argument("id", type=int, metavar="ID")
    add_json_flag(follow)
    follow.set_defaults(func=cmd_follow_up)

    agec = dossier.add_parser("agec-spend", help="dépense de l'année d'un lot sur une catégorie AGEC (art. 58)")
    agec.add_argument("id", type=int, metavar="ID")
    agec.add_argument("--lot", type=int, default=1, metavar="N")
    agec.add_argument("--year", type=int, required=True, metavar="AAAA")
    agec.add_argument("--category", type=int, required=True, metavar="N", help="numéro de catégorie, 1 à 17")
    agec.add_argument("--total", required=True, metavar="EUR")
    agec.add_argument("--reuse", default="0", metavar="EUR", help="dont réemploi ou réutilisation")
    agec.add_argument("--donation", default="0", metavar="EUR", help="dont produits issus de dons")
    agec.add_argument("--recycled", default="0", metavar="EUR", help="dont produits intégrant des matières recyclées")
    add_json_flag(agec)
    agec.set_defaults(func=cmd_agec_spend)

    returns = dossier.add_parser("returns", help="déclarations annuelles : SPASER (XLSX), DECP (JSON), AGEC (CSV)")
    returns.add_argument("kind", choices=RETURNS)
    returns.add_argument("--year", type=int, required=True, metavar="AAAA")
    returns.add_argument("-o", "--output", required=True, metavar="FICHIER")
    returns.add_argument("--buyer-siret", default="", metavar="SIRET", help="SIRET de l'acheteur (DECP, AGEC)")
    returns.add_argument("--buyer-name", default="", help="raison sociale de l'acheteur (AGEC)")
    add_json_flag(returns)
    returns.set_defaults(func=cmd_returns)


def register(subparsers) -> None:
    contracts = subparsers.add_parser("contracts", help="marchés publiés (données essentielles DECP)").add_subparsers(
        dest="contracts_command", metavar="ACTION")
    imp = contracts.add_parser("import-decp", help="importe un fichier DECP v2 (JSON) ou le format tabulaire (CSV)")
    imp.add_argument("file", metavar="FICHIER")
    add_json_flag(imp)
    imp.set_defaults(func=cmd_import_decp)
    won = contracts.add_parser("won", help="marchés publiés remportés par un fournisseur (SIRET)")
    won.add_argument("siret", metavar="SIRET")
    add_json_flag(won)
    won.set_defaults(func=cmd_won)


# --- commands -------------------------------------------------------------------------
def cmd_award(args) -> int:
    from achatsdesk.services import execution

    database = open_db()
    if args.undo:
        done = execution.undo_award(database, args.id, args.lot)
        if args.json:
            print_json({"undone": done, "lot": args.lot})
        else:
            print(f"Attribution du lot n° {args.lot} annulée." if done else f"Le lot n° {args.lot} n'était pas attribué.")
        return 0
    award = execution.award_lot(database, args.id, lot=args.lot, siret=args.siret, notified_on=args.date,
                                amount=args.amount, name=args.name, duration_months=args.duration,
                                offers_received=args.offers, procedure=args.procedure)
    if args.json:
        print_json({**award.to_dict(), "inclusive": award.inclusive,
                    "end_date": award.end_date.isoformat() if award.end_date else None})
        return 0
    kind = f" ({award.holder_kind}, structure du catalogue)" if award.holder_kind else ""
    print(f"Lot n° {award.lot} attribué à {award.holder_name or award.holder_siret}{kind} pour "
          f"{format_money(award.amount_eur)}, notifié le {format_date_short(award.notified_on)}.")
    return 0


def cmd_realised(args) -> int:
    from achatsdesk.services import execution

    figure = execution.record_realised(open_db(), args.id, clause_id=args.clause, period=args.period,
                                       value=args.value, lot=args.lot, reported_by=args.by)
    if args.json:
        print_json({"clause_id": figure.clause_id, "lot": figure.lot, "period": figure.period,
                    "value": figure.value, "reported_by": figure.reported_by, "reported_at": figure.reported_at})
        return 0
    print(f"{figure.period} : {format_number(figure.value, 2).removesuffix(',00')} enregistré pour la clause "
          f"« {figure.clause_id} » (lot n° {figure.lot}).")
    return 0


def cmd_import_report(args) -> int:
    from achatsdesk.services.execution_report import import_report

    outcome = import_report(open_db(), args.id, Path(args.file), reported_by=args.by)
    if args.json:
        print_json({"rows_read": outcome.rows_read, "rows_kept": outcome.rows_kept,
                    "rejected": [{"line": r.line, "reason": r.reason} for r in outcome.rejected],
                    "figures": [{"lot": f.lot, "clause_id": f.clause_id, "period": f.period, "value": f.value,
                                 "beneficiaries": dict(f.beneficiaries)} for f in outcome.figures]})
        return 0
    print(outcome.summary)
    for rejected in outcome.rejected:
        print(f"  ligne {rejected.line} rejetée : {rejected.reason}.")
    return 0


def cmd_follow_up(args) -> int:
    from achatsdesk.services.execution import dossier_follow_up

    follow = dossier_follow_up(open_db(), args.id)
    if args.json:
        print_json({"lots": [{
            "lot": lot.lot, "title": lot.title, "award": lot.award.to_dict() if lot.award else None,
            "end_date": lot.end_date, "late": lot.late_label or None,
            "commitments": [{"clause_id": p.commitment.clause_id, "label": p.commitment.label,
                             "unit": p.commitment.unit, "planned": p.commitment.planned, "realised": p.realised,
                             "balance": p.balance, "by_period": p.by_period,
                             "reports": [{"period": f.period, "value": f.value, "reported_by": f.reported_by,
                                          "reported_at": f.reported_at, "source": f.source,
                                          "beneficiaries": dict(f.beneficiaries)} for f in p.reports]}
                            for p in lot.progress],
            "penalty": None if lot.penalty is None else {
                "missing": lot.penalty.missing, "per_unit_eur": amount_json(lot.penalty.per_unit),
                "cap_eur": amount_json(lot.penalty.cap), "amount_eur": amount_json(lot.penalty.amount),
                "due": lot.penalty.due, "explanation": lot.penalty.explanation},
        } for lot in follow.lots], "hours": dict(zip(("planned", "realised"), follow.totals(), strict=True)),
            "balance": follow.balance})
        return 0
    for lot in follow.lots:
        holder = f" — {lot.award.holder_name or lot.award.holder_siret}" if lot.award else " — non attribué"
        end = f", fin le {format_date_short(lot.end_date)}" if lot.end_date else ""
        print(f"Lot n° {lot.lot} : {lot.title}{holder}{end}")
        for p in lot.progress:
            print(f"  {p.commitment.label} : {format_number(p.realised)} réalisé(es) sur "
                  f"{format_number(p.commitment.planned)} {p.commitment.unit} (solde {format_number(p.balance)})")
        if lot.penalty is not None:
            print(f"  Pénalité : {lot.penalty.explanation}")
        if lot.late_label:
            print(f"  Attention : {lot.late_label}.")
    planned, realised = follow.totals()
    print(f"Total : {format_number(realised)} h réalisées sur {format_number(planned)} h prévues, "
          f"solde {format_number(follow.balance)} h.")
    return 0


def cmd_agec_spend(args) -> int:
    from achatsdesk.services.returns import record_agec_spend

    record_agec_spend(open_db(), args.id, lot=args.lot, year=args.year, category=args.category, total=args.total,
                      reuse=args.reuse, donation=args.donation, recycled=args.recycled)
    if args.json:
        print_json({"recorded": True, "lot": args.lot, "year": args.year, "category": args.category})
    else:
        print(f"Dépense {args.year} de la catégorie AGEC n° {args.category} enregistrée pour le lot n° {args.lot}.")
    return 0


def cmd_returns(args) -> int:
    from achatsdesk.services import returns

    database = open_db()
    target = Path(args.output)
    if args.kind == "decp":
        outcome = returns.export_decp(database, args.year, target, args.buyer_siret)
    elif args.kind == "agec":
        outcome = returns.export_agec(database, args.year, target, args.buyer_siret, args.buyer_name)
    else:
        outcome = returns.export_spaser(database, args.year, target)
    if args.json:
        print_json({"path": outcome.path, "rows": outcome.rows, "skipped": outcome.skipped,
                    "to_check": outcome.to_check, "notes": outcome.notes})
        return 0
    print(f"{outcome.path} : {count_of(outcome.rows, 'ligne')}.")
    for line in outcome.skipped:
        print(f"  non exporté : {line}")
    if outcome.to_check:
        print("  À vérifier avant publication (valeurs usuelles) : " + ", ".join(outcome.to_check) + ".")
    for note in outcome.notes:
        print(f"  {note}")
    return 0


def cmd_import_decp(args) -> int:
    from achatsdesk.services.decp_import import import_decp

    outcome = import_decp(open_db(), Path(args.file))
    if args.json:
        print_json({"rows_read": outcome.rows_read, "imported": outcome.imported,
                    "already_present": outcome.already_present, "inclusive_holders": outcome.inclusive_holders,
                    "rejected": [{"line": r.line, "reason": r.reason} for r in outcome.rejected]})
        return 0
    print(outcome.summary)
    for rejected in outcome.rejected[:50]:
        print(f"  ligne {rejected.line} rejetée : {rejected.reason}.")
    if len(outcome.rejected) > 50:
        print(f"  … et {count_of(len(outcome.rejected) - 50, 'autre')}.")
    return 0


def cmd_won(args) -> int:
    from achatsdesk.services.decp_import import contracts_won

    won = contracts_won(open_db(), "".join(args.siret.split()))
    if args.json:
        print_json({"contracts": [{"buyer": w.buyer_name, "object": w.object, "amount_eur": amount_json(w.amount_eur),
                                   "notified_on": w.notified_on, "procedure": w.procedure, "source": w.source}
                                  for w in won]})
        return 0
    if not won:
        print("Aucun marché publié importé pour ce SIRET.")
    for w in won:
        when = format_date_short(w.notified_on) if w.notified_on else "date inconnue"
        print(f"{when} : {w.buyer_name} — {w.object} — {format_money(w.amount_eur)} ({w.procedure})")
    return 0
