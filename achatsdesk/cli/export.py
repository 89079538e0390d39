"""Commands: export annex / review / shortlist.

A dossier is named by its number in the application (``dossier list``) or
by a DOSSIER.json; from a JSON file the clauses are the suggested ones.
"""

from __future__ import annotations

import sys
from pathlib import Path

from achatsdesk.cli.common import CliError, add_json_flag, open_db, print_json


def register(subparsers) -> None:
    export = subparsers.add_parser("export", help="documents : annexe Word, rapport PDF, liste de fournisseurs").add_subparsers(
        dest="export_command", metavar="DOCUMENT"
    )
    annex = export.add_parser("annex", help="annexe Word des clauses (CCAP et extrait du RC)")
    annex.add_argument("dossier", metavar="ID|DOSSIER.json")
    annex.add_argument("-o", "--output", required=True, metavar="ANNEXE.docx")
    annex.add_argument("--template", metavar="MODELE.docx|.dotx", help="modèle Word de votre organisation")
    annex.add_argument("--parts", default="ccap,rc", metavar="ccap,rc", help="parties à écrire (ccap, rc ou les deux)")
    annex.add_argument("--numbering", default="part", choices=["part", "document"],
                       help="articles numérotés par pièce (part, par défaut) ou à la suite dans toute l'annexe (document)")
    add_json_flag(annex)
    annex.set_defaults(func=cmd_annex)

    piece = export.add_parser("piece", help="remplir votre modèle Word (RC, CCAP, CCTP) avec le dossier")
    piece.add_argument("dossier", metavar="ID|DOSSIER.json")
    piece.add_argument("--model", required=True, metavar="MODELE.docx|.dotx", help="votre modèle, avec ses marqueurs achatsdesk")
    piece.add_argument("-o", "--output", required=True, metavar="PIECE.docx")
    add_json_flag(piece)
    piece.set_defaults(func=cmd_piece)

    review = export.add_parser("review", help="rapport de relecture PDF à signer")
    review.add_argument("dossier", metavar="ID|DOSSIER.json")
    review.add_argument("-o", "--output", required=True, metavar="RAPPORT.pdf")
    review.add_argument("--annex", metavar="ANNEXE.docx", help="annexe relue : nommée dans le rapport, son jeu de clauses comparé")
    review.add_argument("--numbering", default="part", choices=["part", "document"],
                        help="numérotation des articles de l'annexe relue (part ou document)")
    add_json_flag(review)
    review.set_defaults(func=cmd_review)

    shortlist = export.add_parser("shortlist", help="liste de fournisseurs du dossier (XLSX)")
    shortlist.add_argument("dossier", metavar="ID")
    shortlist.add_argument("-o", "--output", required=True, metavar="FOURNISSEURS.xlsx")
    add_json_flag(shortlist)
    shortlist.set_defaults(func=cmd_shortlist)


def _source(value: str) -> int | Path:
    if value.strip().isdigit():
        return int(value)
    path = Path(value)
    if not path.exists():
        raise CliError(f"« {value} » n'est ni un numéro de dossier ni un fichier existant. Vérifiez-le puis réessayez.")
    return path


def _output(value: str, suffix: str) -> Path:
    path = Path(value)
    if path.suffix.lower() != suffix:
        raise CliError(f"Le fichier de sortie doit se terminer par « {suffix} » (reçu « {path.name} »).")
    return path


def _done(args, path: Path, what: str, warnings: list[str] | None = None) -> int:
    if args.json:
        print_json({"output": str(path), "message": what, **({"warnings": warnings} if warnings is not None else {})})
    else:
        print(f"{what} : {path}")
    for warning in warnings or ():
        print(f"Attention : {warning}", file=sys.stderr)
    return 0


def cmd_annex(args) -> int:
    from achatsdesk.services.exports import export_annex, parse_parts

    parts = parse_parts(args.parts)
    template = Path(args.template) if args.template else None
    if template is not None and not template.is_file():
        raise CliError(f"Le modèle « {args.template} » est introuvable. Vérifiez le chemin.")
    warnings: list[str] = []
    path = export_annex(_source(args.dossier), _output(args.output, ".docx"), database=open_db(),
                        template=template, parts=parts, warn=warnings.append, numbering=args.numbering)
    return _done(args, path, "Annexe Word enregistrée", warnings)


def cmd_piece(args) -> int:
    from achatsdesk.services.pieces import fill_piece

    model = Path(args.model)
    if not model.is_file():
        raise CliError(f"Le modèle « {args.model} » est introuvable. Vérifiez le chemin.")
    warnings: list[str] = []
    path, report = fill_piece(_source(args.dossier), model, _output(args.output, ".docx"), database=open_db(),
                              warn=warnings.append)
    if getattr(args, "json", False):
        print_json({"output": str(path), "message": "Pièce Word remplie", "filled": report.filled,
                    "missing": report.missing, "unknown": report.unknown, "articles": [a for a, _ in report.articles],
                    "warnings": warnings})
        return 0
    return _done(args, path, f"Pièce Word remplie ({len(report.articles)} articles insérés)", warnings)


def cmd_review(args) -> int:
    from achatsdesk.services.exports import export_review

    warnings: list[str] = []
    path = export_review(_source(args.dossier), _output(args.output, ".pdf"), database=open_db(), warn=warnings.append,
                         annex=Path(args.annex) if args.annex else None, numbering=args.numbering)
    return _done(args, path, "Rapport de relecture enregistré", warnings)


def cmd_shortlist(args) -> int:
    from achatsdesk.services.exports import export_shortlist

    if not args.dossier.strip().isdigit():
        raise CliError("Indiquez le numéro du dossier (voir « dossier list ») : la liste de fournisseurs est enregistrée avec lui.")
    path = export_shortlist(int(args.dossier), _output(args.output, ".xlsx"), database=open_db())
    return _done(args, path, "Liste de fournisseurs enregistrée")
