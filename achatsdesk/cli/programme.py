"""Commands: programme check / create-dossiers (the year's purchase programme from one spreadsheet)."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from pathlib import Path

from achatsdesk.cli.common import CliError, add_json_flag, open_db, print_json
from achatsdesk.domain.plural import count_of, word_for


def register(subparsers) -> None:
    programme = subparsers.add_parser(
        "programme", help="programme d'achats de l'année (XLSX, ODS ou CSV, une ligne par achat prévu)"
    ).add_subparsers(dest="programme_command", metavar="ACTION")

    check = programme.add_parser("check", help="procédure, obligations, levier et heures de chaque ligne, "
                                 "signalements et totaux (rien n'est enregistré)")
    check.add_argument("file", metavar="FICHIER")
    _buyer_arguments(check)
    check.add_argument("-o", "--output", metavar="RESULTAT.xlsx", help="écrit aussi le tableau analysé (XLSX)")
    add_json_flag(check)
    check.set_defaults(func=cmd_check)

    create = programme.add_parser("create-dossiers", help="crée un dossier en brouillon par ligne choisie "
                                  "(une ligne déjà reprise n'est jamais recréée)")
    create.add_argument("file", metavar="FICHIER")
    create.add_argument("--lines", required=True, metavar="3,7-9", help="numéros de lignes du tableur")
    _buyer_arguments(create)
    add_json_flag(create)
    create.set_defaults(func=cmd_create)


def _buyer_arguments(parser) -> None:
    from achatsdesk.domain.dossier import BuyerKind

    parser.add_argument("--buyer-kind", choices=[k.value for k in BuyerKind],
                        help="type d'acheteur ; sinon celui des réglages de l'organisation (collectivite par défaut)")
    parser.add_argument("--annual-purchases", type=_euros, metavar="EUROS",
                        help="montant annuel des achats de l'acheteur (SPASER) ; sinon celui des réglages")
    parser.add_argument("--year", type=int, metavar="AAAA", help="année du programme (pour « T2 » sans année)")
    parser.add_argument("--default-place", metavar="COMMUNE|INSEE",
                        help="lieu d'exécution des lignes qui n'en indiquent pas ; sinon celui des réglages")
    parser.add_argument("--column", action="append", default=[], metavar="CHAMP=EN-TÊTE",
                        help="colonne d'un champ quand l'en-tête n'est pas reconnu (champs : title, cpv, amount, "
                             "nature, launch, place, lots, service, duration, reference) ; retenu pour les "
                             "fichiers de même présentation")


def _euros(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ".").replace(" ", "").replace("\u202f", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas un montant en euros") from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"« {text} » doit être un montant positif")
    return value


def _judge(args, database):
    from dataclasses import replace

    from achatsdesk.domain.dossier import BuyerKind
    from achatsdesk.services.programme import judge_programme, organisation_buyer

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"Le fichier « {path} » est introuvable. Vérifiez le chemin.")
    buyer = organisation_buyer()
    if args.buyer_kind:
        buyer = replace(buyer, kind=BuyerKind(args.buyer_kind))
    if args.annual_purchases is not None:
        buyer = replace(buyer, annual_purchases_eur=args.annual_purchases)
    if args.default_place:
        buyer = replace(buyer, default_place=args.default_place)
    return judge_programme(path, database, buyer=buyer, year=args.year, mapping=_mapping(path, args.column))


def _mapping(path: Path, pairs: list[str]) -> dict[str, str] | None:
    """The recognised (or remembered) mapping with the --column choices on top; remembered for the layout."""
    if not pairs:
        return None
    from achatsdesk.services.programme_reader import FIELDS, read_table, remember_mapping

    table = read_table(path)
    mapping = dict(table.mapping)
    for pair in pairs:
        name, sep, header = pair.partition("=")
        name, header = name.strip(), header.strip()
        if not sep or name not in FIELDS:
            raise CliError(f"« {pair} » : forme attendue CHAMP=EN-TÊTE, avec CHAMP parmi {', '.join(FIELDS)}.")
        if header not in table.headers:
            raise CliError(f"Le fichier n'a pas de colonne « {header} » ; ses en-têtes : {', '.join(table.headers)}.")
        mapping[name] = header
    remember_mapping(table.headers, mapping)
    return mapping


def cmd_check(args) -> int:
    from achatsdesk.services.programme import result_document

    result = _judge(args, open_db())
    document = result_document(result)
    if args.output:
        from achatsdesk.documents.xlsx_programme import write_programme

        if Path(args.output).suffix.lower() != ".xlsx":
            raise CliError(f"Le fichier de sortie doit se terminer par « .xlsx » (reçu « {Path(args.output).name} »).")
        document["output"] = str(write_programme(document, args.output))
    if args.json:
        print_json(document)
    else:
        _print_check(document)
    return 0


def _print_check(document: dict) -> None:
    from achatsdesk.domain.formatting import format_money, format_number, format_percent
    from achatsdesk.domain.levers import LEVER_LABELS, Lever
    from achatsdesk.domain.thresholds import PROCEDURE_LABELS

    for line in document["lines"]:
        if line["error"]:
            print(f"Ligne {line['line']} « {line['title']} » illisible : {line['error']}")
            continue
        mandatory = sum(1 for o in line["obligations"] if o["status"] == "obligatoire")
        lever = LEVER_LABELS[Lever(line["lever"])] if line["lever"] else "levier non calculé"
        print(f"Ligne {line['line']} « {line['title']} » : {PROCEDURE_LABELS[line['procedure']['id']]} ; "
              f"{count_of(mandatory, 'obligation obligatoire', 'obligations obligatoires')} ; {lever} ; "
              f"{format_number(line['hours'])} h d'insertion potentielles")
        for flag in line["flags"]:
            print(f"  [{flag['label']}] {flag['explanation']}")
    totals = document["totals"]

    def share(value) -> str:
        return format_percent(value) if value is not None else "—"

    print(f"Total : {count_of(totals['judged'], 'ligne analysée', 'lignes analysées')} sur "
          f"{format_number(totals['lines'])}, {format_money(totals['amount_eur'])} ; "
          f"{count_of(totals['errors'], 'ligne illisible', 'lignes illisibles')}.")
    print(f"  condition sociale ou environnementale obligatoire : {format_number(totals['condition_mandatory'])} "
          f"{word_for(totals['condition_mandatory'], 'ligne')}, {share(totals['condition_amount_share'])} du montant ; "
          f"heures d'insertion potentielles : {format_number(totals['potential_hours'])} ; "
          f"réservation possible : {count_of(totals['reservation_possible'], 'ligne')}.")
    if document.get("output"):
        print(f"Tableau analysé écrit dans « {document['output']} ».")


def cmd_create(args) -> int:
    from achatsdesk.services.programme_dossiers import create_dossiers, parse_line_numbers

    numbers = parse_line_numbers(args.lines)
    database = open_db()
    result = _judge(args, database)
    report = create_dossiers(database, result, numbers)
    if args.json:
        print_json({
            "created": [{"line": d.line, "id": d.dossier_id, "title": d.title} for d in report.created],
            "existing": [{"line": d.line, "id": d.dossier_id, "title": d.title} for d in report.existing],
            "refused": [{"line": line, "reason": reason} for line, reason in report.refused],
        })
    else:
        for d in report.dossiers:
            state = "créé" if d.created else "déjà créé, inchangé"
            print(f"Ligne {d.line} → dossier n° {d.dossier_id} « {d.title} » ({state})")
        for line, reason in report.refused:
            print(f"Ligne {line} non reprise : {reason}")
        print(report.summary())
    return 0
