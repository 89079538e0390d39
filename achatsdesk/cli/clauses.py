"""Commands: clauses list|show|suggest|render|export|import, insertion hours, levers."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from achatsdesk.cli.common import CliError, add_json_flag, open_db, print_json
from achatsdesk.domain.formatting import format_number, format_percent
from achatsdesk.domain.plural import count_of, word_for


def register(subparsers) -> None:
    clauses = subparsers.add_parser("clauses", help="bibliothèque de clauses sociales et environnementales")
    actions = clauses.add_subparsers(dest="clauses_command", metavar="ACTION")

    listing = actions.add_parser("list", help="liste les clauses de la bibliothèque")
    listing.add_argument("--text", default="", help="mots à chercher")
    listing.add_argument("--family", help="famille (ex. condition-sociale)")
    listing.add_argument("--document", choices=["RC", "CCAP", "CCTP", "AAPC"])
    listing.add_argument("--kind", help="nature (ex. critere-attribution)")
    add_json_flag(listing)
    listing.set_defaults(func=cmd_list)

    show = actions.add_parser("show", help="affiche une clause et ses variables")
    show.add_argument("clause_id", metavar="ID")
    add_json_flag(show)
    show.set_defaults(func=cmd_show)

    suggest = actions.add_parser("suggest", help="clauses suggérées pour un dossier (fichier JSON)")
    suggest.add_argument("dossier", metavar="DOSSIER.json", type=Path)
    suggest.add_argument("--taken-over-share", type=_ratio_arg, default=None,
                         help="part de la main-d'œuvre reprise du titulaire sortant (0 à 1, propreté) ; "
                              "sinon celle du champ « insertion » du dossier, ou 0")
    suggest.add_argument("--no-lever", action="store_true", help="ne pas consulter le catalogue pour le levier")
    add_json_flag(suggest)
    suggest.set_defaults(func=cmd_suggest)

    render = actions.add_parser("render", help="rédige une clause avec ses variables")
    render.add_argument("clause_id", metavar="ID")
    render.add_argument("--var", action="append", default=[], metavar="NOM=VALEUR", help="valeur d'une variable")
    add_json_flag(render)
    render.set_defaults(func=cmd_render)

    export = actions.add_parser("export", help="exporte vos clauses dans un paquet (un fichier)")
    export.add_argument("target", metavar="FICHIER", type=Path)
    export.add_argument("--id", action="append", dest="ids", metavar="ID", help="seulement ces clauses")
    add_json_flag(export)
    export.set_defaults(func=cmd_export)

    imp = actions.add_parser("import", help="importe un paquet de clauses (tout ou rien)")
    imp.add_argument("source", metavar="FICHIER", type=Path)
    add_json_flag(imp)
    imp.set_defaults(func=cmd_import)

    insertion = subparsers.add_parser("insertion", help="dimensionnement des heures d'insertion")
    ins_actions = insertion.add_subparsers(dest="insertion_command", metavar="ACTION")
    hours = ins_actions.add_parser("hours", help="heures = montant HT × part de main-d'œuvre × taux ÷ coût horaire")
    hours.add_argument("--amount", type=_number_arg, required=True, help="montant HT en euros")
    hours.add_argument("--labour-share", type=_ratio_arg, help="part de main-d'œuvre (0 à 1) ; sinon d'après --cpv")
    hours.add_argument("--cpv", help="code CPV pour trouver la part de main-d'œuvre dans le tableau")
    hours.add_argument("--rate", type=_ratio_arg, help="taux d'insertion (0 à 1), 0,05 par défaut")
    hours.add_argument("--hourly-cost", type=_number_arg, help="coût horaire chargé en euros, 30 par défaut")
    hours.add_argument("--taken-over-share", type=_ratio_arg, default=Decimal(0),
                       help="part de la main-d'œuvre reprise, exclue de l'assiette (0 à 1)")
    add_json_flag(hours)
    hours.set_defaults(func=cmd_insertion_hours)

    levers = subparsers.add_parser("levers", help="levier conseillé selon l'offre inclusive locale (dossier JSON)")
    levers.add_argument("dossier", metavar="DOSSIER.json", type=Path)
    levers.add_argument("--scope", choices=["rayon", "departement"], default="rayon")
    add_json_flag(levers)
    levers.set_defaults(func=cmd_levers)


# --- argument types -------------------------------------------------------------


def _number_arg(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise CliArgumentError(f"« {text} » n'est pas un nombre") from None
    if not value.is_finite() or value < 0:
        raise CliArgumentError(f"« {text} » doit être un nombre positif")
    return value


def _ratio_arg(text: str) -> Decimal:
    value = _number_arg(text)
    if value > 1:
        raise CliArgumentError(f"« {text} » doit être compris entre 0 et 1 (0.05 pour 5 %)")
    return value


class CliArgumentError(argparse.ArgumentTypeError):
    """argparse prints this message as the usage error (exit 2)."""


def _read_dossier(path: Path):
    from achatsdesk.domain.dossier import Dossier

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise CliError(f"Le fichier « {path} » est introuvable ou illisible.") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise CliError(f"Le fichier « {path} » n'est pas un JSON valide.") from None
    return Dossier.from_dict(data)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# --- clauses ------------------------------------------------------------------------


def clause_summary(clause) -> dict[str, Any]:
    return {
        "id": clause.id,
        "title": clause.title,
        "family": clause.family,
        "family_label": clause.family_label,
        "kind": clause.kind,
        "kind_label": clause.kind_label,
        "document": clause.document,
        "legal_basis": clause.legal_basis,
        "applies_from": clause.applies_from,
        "version": clause.version,
        "source": clause.source,
        "sectors": list(clause.sectors),
        "cpv_prefixes": list(clause.cpv_prefixes),
        "obligations": list(clause.obligations),
        "eforms": clause.eforms,
        "to_confirm": list(clause.to_confirm),  # each note says "à vérifier"
        "variables": [
            {
                "name": v.name, "label": v.label, "type": v.type, "default": _plain(v.default),
                "min": _plain(v.minimum), "max": _plain(v.maximum), "required": v.required,
                "choices": list(v.choices), "prefill": v.prefill,
            }
            for v in clause.variables
        ],
    }


def cmd_list(args) -> int:
    from achatsdesk.services.clause_library import ClauseFilter, load_library

    library = load_library(open_db())
    found = library.search(ClauseFilter(text=args.text, family=args.family, document=args.document, kind=args.kind))
    if args.json:
        print_json({"total": len(found), "clauses": [clause_summary(c) for c in found]})
    else:
        for clause in found:
            print(f"{clause.id:40}  {clause.document:5} {clause.kind_label:28} {clause.title}")
        print(f"{count_of(len(found), 'clause')}.")
    return 0


def cmd_show(args) -> int:
    from achatsdesk.domain.clauses import render_clause
    from achatsdesk.services.clause_library import load_library

    clause = load_library(open_db()).get(args.clause_id)
    if args.json:
        print_json({**clause_summary(clause), "body": clause.body, "rendered_with_defaults": render_clause(clause)})
    else:
        print(f"{clause.title} ({clause.id}, version {clause.version}, {clause.source})")
        print(f"{clause.family_label} · {clause.kind_label} · {clause.document}")
        print(f"Base légale : {clause.legal_basis}")
        if clause.applies_from:
            print(f"Applicable à compter du : {clause.applies_from.strftime('%d/%m/%Y')}")
        for note in clause.to_confirm:
            print(note)
        for v in clause.variables:
            print(f"  {v.name} ({v.type}) : {v.label} — par défaut {_plain(v.default)}")
        print()
        print(render_clause(clause))
    return 0


def _parse_vars(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CliError(f"« {pair} » : forme attendue NOM=VALEUR.")
        values[name.strip()] = value
    return values


def cmd_render(args) -> int:
    from achatsdesk.domain.clauses import render_clause, resolve_values
    from achatsdesk.services.clause_library import load_library

    clause = load_library(open_db()).get(args.clause_id)
    given = _parse_vars(args.var)
    text = render_clause(clause, given)
    if args.json:
        values = {k: _plain(v) for k, v in resolve_values(clause, given).items()}
        print_json({"id": clause.id, "version": clause.version, "document": clause.document, "variables": values, "text": text})
    else:
        print(text)
    return 0


def cmd_suggest(args) -> int:
    from achatsdesk.services.clause_library import load_library
    from achatsdesk.services.clause_suggestions import suggest_for_dossier

    dossier = _read_dossier(args.dossier)
    database = open_db()
    advice = suggest_for_dossier(
        dossier,
        database=None if args.no_lever else database,  # no database: no catalogue, no lever
        library=load_library(database),
        taken_over_share=args.taken_over_share,
    )
    report = advice.report
    from achatsdesk.services.clause_suggestions import checklist_clause_links
    from achatsdesk.services.dossier_rules import analyse

    document = {
        "dossier": dossier.title,
        "checklist_links": checklist_clause_links(analyse(dossier).steps, load_library(database), dossier),
        "insertion": {**sizing_document(advice.sizing), "factors_from_dossier": dossier.insertion is not None},
        "lever": lever_document(advice.lever) if advice.lever else None,
        "uncovered_obligations": [o.id for o in report.uncovered],
        "suggestions": [
            {
                "rank": rank,
                "id": s.clause.id,
                "title": s.clause.title,
                "document": s.clause.document,
                "kind": s.clause.kind,
                "score": s.score,
                "obligations": list(s.obligation_ids),
                "reasons": list(s.reasons),
                "variables": {k: _plain(v) for k, v in s.variables.items()},
                "lots": [
                    {"lot": lv.lot, "label": lv.label, "variables": {k: _plain(v) for k, v in lv.variables.items()}}
                    for lv in s.lot_variables
                ],
            }
            for rank, s in enumerate(report.suggestions, start=1)
        ],
    }
    if args.json:
        print_json(document)
    else:
        print(f"Heures d'insertion : {advice.sizing.lines[0].formula() if len(advice.sizing.lines) == 1 else format_number(advice.sizing.total_hours) + ' h (total des lots)'}")
        if advice.lever:
            print(f"Levier conseillé : {advice.lever.decision.label} — {advice.lever.decision.reasons[0]}")
        for item in document["suggestions"]:
            print(f"{item['rank']:>2}. [{item['document']}] {item['title']} ({item['id']})")
            print(f"    {' ; '.join(item['reasons'])}")
        for obligation in report.uncovered:
            print(f"Aucune clause de la bibliothèque ne répond à : {obligation.title}")
    return 0


def cmd_export(args) -> int:
    from achatsdesk.services.clause_packs import export_pack

    count = export_pack(open_db(), args.target, args.ids)
    if args.json:
        print_json({"file": str(args.target), "clauses": count})
    else:
        print(f"{count_of(count, 'clause')} {word_for(count, 'exportée')} dans « {args.target} ».")
    return 0


def cmd_import(args) -> int:
    from achatsdesk.services.clause_packs import import_pack

    report = import_pack(open_db(), args.source)
    if args.json:
        print_json({"added": list(report.added), "updated": list(report.updated),
                    "copied": [{"from": pack_id, "as": copy_id} for pack_id, copy_id in report.copied]})
    else:
        print(report.summary())
    return 0


# --- insertion and levers ----------------------------------------------------------------


def sizing_document(sizing) -> dict[str, Any]:
    return {
        "total_hours": sizing.total_hours,
        "lines": [
            {
                "label": line.label,
                "cpv": line.cpv,
                "amount_eur": _plain(line.amount_eur),
                "labour_share": _plain(line.labour_share),
                "labour_share_source": line.share_source,
                "labour_share_to_confirm": line.share_to_confirm,
                "rate": _plain(line.rate),
                "hourly_cost": _plain(line.hourly_cost),
                "taken_over_share": _plain(line.taken_over_share),
                "exact_hours": float(round(line.exact_hours, 2)),
                "hours": line.hours,
                "formula": line.formula(),
            }
            for line in sizing.lines
        ],
    }


def cmd_insertion_hours(args) -> int:
    from achatsdesk.paths import app_paths
    from achatsdesk.services.insertion_sizing import size_amount
    from achatsdesk.services.rule_settings import labour_table

    if args.labour_share is None and not args.cpv:
        raise CliError("Indiquez --labour-share (par exemple 0.5) ou --cpv pour la lire dans le tableau.")
    table = labour_table(app_paths().config)  # the command line's own configuration folder
    # The defaults (the CPV's labour share, the default rate and hourly cost) are the core's.
    line = size_amount(args.amount, labour_share=args.labour_share, cpv=args.cpv, rate=args.rate,
                       hourly_cost=args.hourly_cost, taken_over_share=args.taken_over_share, table=table)
    source, to_confirm, share = line.share_source, line.share_to_confirm, line.labour_share
    if args.json:
        print_json({
            "hours": line.hours,
            "exact_hours": float(round(line.exact_hours, 4)),
            "amount_eur": _plain(line.amount_eur),
            "labour_share": _plain(line.labour_share),
            "labour_share_source": source,
            "labour_share_to_confirm": to_confirm,
            "rate": _plain(line.rate),
            "hourly_cost": _plain(line.hourly_cost),
            "taken_over_share": _plain(line.taken_over_share),
            "formula": line.formula(),
            "rounding": table.rounding,
        })
    else:
        print(line.formula())
        if to_confirm:
            print(f"Part de main-d'œuvre {format_percent(share)} à vérifier : {source}")
    return 0


def lever_document(advice) -> dict[str, Any]:
    decision = advice.decision
    return {
        "lever": decision.lever.value,
        "label": decision.label,
        "supplier_count": decision.supplier_count,
        "dependency": _plain(decision.dependency) if decision.dependency is not None else None,
        "reasons": list(decision.reasons),
        "clauses": list(decision.clause_ids),
        "area": advice.area,
        "budget_per_year_eur": _plain(advice.budget_eur.quantize(Decimal(1))),
        "sectors": [{"cpv": m.cpv, "prefix": m.prefix, "label": m.label, "sectors": list(m.sectors)} for m in advice.sectors],
        "notes": list(advice.notes),
        "suppliers": [
            {"name": s.name, "kind": s.kind, "commune": s.commune, "dept": s.departement,
             "distance_km": s.distance_km, "siret": s.siret, "source": s.source, "source_date": s.source_date}
            for s in advice.suppliers
        ],
    }


def cmd_levers(args) -> int:
    from achatsdesk.services.lever_advice import advise_lever, catalogue_counter
    from achatsdesk.services.reference import ReferenceService

    dossier = _read_dossier(args.dossier)
    database = open_db()
    place = ReferenceService(database).get_commune(dossier.place_insee) if dossier.place_insee else None
    advice = advise_lever(dossier, catalogue_counter(database), scope=args.scope,
                          place_name=f"{place.name} ({place.insee})" if place else None,
                          departement=place.departement if place else None)
    if args.json:
        print_json(lever_document(advice))
    else:
        print(f"Levier conseillé : {advice.decision.label}")
        for reason in advice.decision.reasons:
            print(f"  {reason}")
        for note in advice.notes:
            print(f"  {note}")
        for s in advice.suppliers:
            distance = f"{format_number(s.distance_km, 1)}\u00a0km" if s.distance_km is not None else ""
            print(f"  - {s.name} ({s.kind}, {s.commune or ''}) {distance}  source : {s.source} {s.source_date}")
    return 0
