"""Commands: dossier check / import / export / list / show / duplicate / audit-docx / indicators / review / history."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from achatsdesk.cli.common import CliError, add_json_flag, open_db, print_json
from achatsdesk.domain.checklist import ITEM_STATUS_LABELS, ItemStatus
from achatsdesk.domain.dossier import STATUS_LABELS, amount_json, format_amount
from achatsdesk.domain.formatting import format_date_long, format_date_short
from achatsdesk.domain.obligations import STATUS_LABELS as OBLIGATION_LABELS
from achatsdesk.domain.plural import count_of
from achatsdesk.domain.review import DECISION_LABELS, HEAD_DECISIONS
from achatsdesk.domain.thresholds import PROCEDURE_LABELS


def register(subparsers) -> None:
    dossier = subparsers.add_parser("dossier", help="dossiers de consultation").add_subparsers(
        dest="dossier_command", metavar="ACTION"
    )
    check = dossier.add_parser("check", help="obligations et check-list d'un dossier décrit en JSON (rien n'est enregistré)")
    check.add_argument("file", metavar="FICHIER.json")
    add_json_flag(check)
    check.set_defaults(func=cmd_check)

    imp = dossier.add_parser("import", help="importe un dossier (.achatsdesk ou JSON)")
    imp.add_argument("file", metavar="FICHIER")
    add_json_flag(imp)
    imp.set_defaults(func=cmd_import)

    exp = dossier.add_parser("export", help="exporte un dossier dans un fichier d'échange .achatsdesk")
    exp.add_argument("id", type=int, metavar="ID")
    exp.add_argument("-o", "--output", required=True, metavar="FICHIER.achatsdesk")
    exp.set_defaults(func=cmd_export)

    lst = dossier.add_parser("list", help="liste les dossiers")
    lst.add_argument("--status", choices=[s.value for s in STATUS_LABELS], help="filtre sur le statut")
    add_json_flag(lst)
    lst.set_defaults(func=cmd_list)

    show = dossier.add_parser("show", help="affiche un dossier, ses obligations et sa check-list")
    show.add_argument("id", type=int, metavar="ID")
    add_json_flag(show)
    show.set_defaults(func=cmd_show)

    dup = dossier.add_parser("duplicate", help="crée un nouveau dossier en brouillon à partir d'un autre "
                             "(sans date de lancement, check-list et relecture à refaire)")
    dup.add_argument("id", type=int, metavar="ID")
    add_json_flag(dup)
    dup.set_defaults(func=cmd_duplicate)

    audit = dossier.add_parser("audit-docx", help="vérifie qu'une pièce Word (CCAP, RC) contient les clauses "
                               "que les obligations du dossier demandent")
    audit.add_argument("dossier", metavar="ID|DOSSIER.json")
    audit.add_argument("piece", metavar="PIECE.docx")
    add_json_flag(audit)
    audit.set_defaults(func=cmd_audit_docx)

    ind = dossier.add_parser("indicators", help="indicateurs des dossiers par année de lancement (clauses sociales, "
                             "environnementales, heures d'insertion, marchés réservés)")
    add_json_flag(ind)
    ind.set_defaults(func=cmd_indicators)

    review = dossier.add_parser("review", help="enregistre la décision du chef de service sur un dossier")
    review.add_argument("id", type=int, metavar="ID")
    review.add_argument("--decision", required=True, choices=[d.value for d in HEAD_DECISIONS],
                        help="valide ou a_reprendre")
    review.add_argument("--comment", default="", metavar="TEXTE",
                        help="commentaire (obligatoire pour a_reprendre)")
    add_json_flag(review)
    review.set_defaults(func=cmd_review)

    history = dossier.add_parser("history", help="qui a modifié le dossier, et quand")
    history.add_argument("id", type=int, metavar="ID")
    add_json_flag(history)
    history.set_defaults(func=cmd_history)

    from achatsdesk.cli.execution import register_dossier_actions

    register_dossier_actions(dossier)  # award, realised, import-report, follow-up, agec-spend, returns

    from achatsdesk.cli.offline import register_dossier_actions as register_offline_actions

    register_offline_actions(dossier)  # take-away, taken, bring-back (team mode)


def _read_json_dossier(path: Path):
    from achatsdesk.domain.dossier import Dossier

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CliError(f"Le fichier « {path} » est introuvable. Vérifiez le chemin.") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CliError(f"Le fichier « {path.name} » n'est pas un JSON lisible ({exc}). Corrigez-le puis réessayez.") from None
    _check_bounds(path, data)
    return Dossier.from_dict(data)


def _check_bounds(path: Path, data) -> None:
    """Counts, lengths, amounts and field types (domain/dossier_bounds.py), before the dossier is built."""
    from achatsdesk.domain.dossier_bounds import dossier_bounds_problem

    problem = dossier_bounds_problem(data) if isinstance(data, dict) else None
    if problem:
        raise CliError(f"Le fichier « {path.name} » est refusé : {problem}. Corrigez-le puis réessayez.")


def _print_check(document: dict) -> None:
    scope = document.get("scope") or {"judged": True}
    if not scope["judged"]:
        print(f"Non examiné : {scope['reason']}")
    for warning in document.get("warnings", []):
        print(f"Attention : {warning}")
    procedure = document["procedure"]
    print(f"Procédure : {PROCEDURE_LABELS.get(procedure['id'], procedure['id'])}")
    print(f"  {procedure['explanation']}")
    for lot in document.get("lots") or []:
        mark = " (petit lot)" if lot["small_lot"] else ""
        print(f"  Lot {lot['index']} « {lot['title']} » : "
              f"{PROCEDURE_LABELS.get(lot['procedure']['id'], lot['procedure']['id'])}{mark}")
        print(f"    {lot['procedure']['explanation']}")
    small = document.get("small_lots")
    if small:
        print(f"  Petits lots : {small['explanation']}")
    print("Obligations :")
    for o in document["obligations"]:
        mark = " (à vérifier)" if o.get("to_confirm") else ""
        print(f"  [{OBLIGATION_LABELS.get(o['status'], o['status'])}] {o['title']}{mark} — {o['legal_basis']}")
        print(f"    {o['explanation']}")
        if o.get("applies_from") or o.get("applies_until"):
            print(f"    {_dates(o.get('applies_from'), o.get('applies_until'))}")
    print("Check-list :")
    for step in document["checklist"]:
        print(f"  {step['title']} {step['done']}/{step['total']}")
        for item in step["items"]:
            flag = " (obligatoire)" if item["mandatory"] else ""
            print(f"    - [{ITEM_STATUS_LABELS[ItemStatus(item['status'])]}] {item['title']}{flag}")


def _dates(applies_from: str | None, applies_until: str | None) -> str:
    """ "S'applique depuis le 21 août 2026." / "Lecture valable jusqu'au 20 août 2026 inclus." """
    start = format_date_long(date.fromisoformat(applies_from)) if applies_from else None
    end = format_date_long(date.fromisoformat(applies_until)) if applies_until else None
    if start and end:
        return f"S'applique du {start} au {end}."
    if start:
        return f"S'applique depuis le {start}."
    return f"Lecture valable jusqu'au {end} inclus."


def _stored_homogeneous_needs(dossier) -> list[str]:
    """The split-need warning over the stored dossiers; none (and no database created) when there is none yet."""
    from achatsdesk.paths import app_paths
    from achatsdesk.services.split_needs import homogeneous_needs

    if not app_paths().database.exists():
        return []
    return homogeneous_needs(open_db(), dossier)


def cmd_check(args) -> int:
    from achatsdesk.services.dossier_rules import check_dossier

    dossier = _read_json_dossier(Path(args.file))
    document = check_dossier(dossier, homogeneous=_stored_homogeneous_needs(dossier))
    if args.json:
        print_json(document)
    else:
        _print_check(document)
    return 0


def cmd_import(args) -> int:
    from achatsdesk.services.dossier_exchange import EXTENSION
    from achatsdesk.services.dossiers import create_dossier

    path = Path(args.file)
    database = open_db()
    if path.suffix.lower() == ".json":
        dossier = _read_json_dossier(path)
        dossier.uid = ""
        result = {"id": create_dossier(database, dossier), "title": dossier.title, "kept_both": False}
    elif path.suffix.lower() == EXTENSION or path.is_file():
        from achatsdesk.services.review_return import MergeOutcome, import_or_merge

        outcome = import_or_merge(database, path)  # a returned review is merged into its dossier
        if isinstance(outcome, MergeOutcome):
            result = {"id": outcome.dossier_id, "title": outcome.title, "kept_both": False, "merged": True,
                      "status": outcome.status.value, "rounds_added": outcome.rounds_added}
        else:
            result = {"id": outcome.dossier_id, "title": outcome.title, "kept_both": outcome.kept_both}
    else:
        raise CliError(f"Le fichier « {path} » est introuvable. Vérifiez le chemin.")
    if args.json:
        print_json(result)
    else:
        if result.get("merged"):
            print(f"Retour de relecture repris dans le dossier n° {result['id']} « {result['title']} » : "
                  f"{STATUS_LABELS[result['status']]}.")
        else:
            print(f"Dossier importé : n° {result['id']} « {result['title']} »")
        if result["kept_both"]:
            print("Un dossier identique existait déjà : il est conservé tel quel, l'import est enregistré à côté.")
    return 0


def cmd_export(args) -> int:
    from achatsdesk.services.dossier_exchange import export_dossier

    target = export_dossier(open_db(), args.id, Path(args.output))
    print(f"Dossier n° {args.id} exporté dans « {target} »")
    return 0


def cmd_list(args) -> int:
    from achatsdesk.services.dossiers import list_dossiers

    rows = list_dossiers(open_db(), status=args.status)
    if args.json:
        print_json({"dossiers": [
            {"id": r.id, "title": r.title, "reference": r.reference, "buyer": r.buyer_name, "status": r.status.value,
             "amount_eur": amount_json(r.amount_eur), "launch_date": r.launch_date, "updated_at": r.updated_at}
            for r in rows
        ]})
        return 0
    if not rows:
        print("Aucun dossier.")
    for r in rows:
        when = format_date_short(r.launch_date) if r.launch_date else "date non renseignée"
        print(f"{r.id:>4}  {STATUS_LABELS[r.status]:<12} {r.title} — {format_amount(r.amount_eur)} — {when}")
    return 0


def cmd_show(args) -> int:
    from achatsdesk.services.dossier_rules import check_dossier
    from achatsdesk.services.dossiers import get_dossier
    from achatsdesk.services.split_needs import homogeneous_needs

    database = open_db()
    stored = get_dossier(database, args.id)
    check = check_dossier(stored.dossier, homogeneous=homogeneous_needs(database, stored.dossier, exclude_id=stored.id))
    if args.json:
        print_json({"id": stored.id, "revision": stored.revision, "updated_at": stored.updated_at,
                    "dossier": stored.dossier.to_dict(), **check})
        return 0
    d = stored.dossier
    print(f"Dossier n° {stored.id} : {d.title} ({STATUS_LABELS[d.status]})")
    print(f"Acheteur : {d.buyer.name} · Montant estimé : {format_amount(d.amount_eur)}")
    _print_check(check)
    for review in d.reviews:
        print(f"Relecture {format_date_short(review.decided_at.date())} par {review.reviewer} : {DECISION_LABELS[review.decision]}"
              + (f" — « {review.comment} »" if review.comment else ""))
    return 0


def cmd_audit_docx(args) -> int:
    from achatsdesk.services.pieces import audit_piece

    piece = Path(args.piece)
    if not piece.is_file():
        raise CliError(f"La pièce « {args.piece} » est introuvable. Vérifiez le chemin.")
    source = int(args.dossier) if args.dossier.strip().isdigit() else Path(args.dossier)
    rows = audit_piece(source, piece, database=open_db())
    if args.json:
        print_json({"obligations": [{k: r[k] for k in ("id", "status", "found", "paragraph", "clause")} for r in rows]})
        return 0
    print(f"Pièce « {piece.name} » :")
    for r in rows:
        status = OBLIGATION_LABELS.get(r["status"], r["status"])
        where = f"trouvée § {r['paragraph_index']} : « {r['paragraph'][:90]} »" if r["found"] else "absente"
        print(f"  [{status}] {r['title']} — {where}")
    missing = [r for r in rows if not r["found"] and r["status"] == "obligatoire"]
    if missing:
        print(f"{count_of(len(missing), 'obligation obligatoire', 'obligations obligatoires')} sans clause dans la pièce.")
    return 0


def cmd_duplicate(args) -> int:
    from achatsdesk.services.dossiers import duplicate_dossier, get_dossier

    database = open_db()
    new_id = duplicate_dossier(database, args.id)
    title = get_dossier(database, new_id).dossier.title
    if args.json:
        print_json({"id": new_id, "title": title, "from": args.id})
    else:
        print(f"Dossier n° {new_id} « {title} » créé à partir du n° {args.id}.")
        print("Indiquez sa date de lancement : le droit applicable en dépend.")
    return 0


def cmd_indicators(args) -> int:
    from achatsdesk.domain.formatting import format_money, format_number, format_percent
    from achatsdesk.services.indicators import dossier_indicators

    lines = dossier_indicators(open_db())
    if args.json:
        print_json({"years": [{
            "year": line.year, "dossiers": line.dossiers, "amount_eur": amount_json(line.amount_eur),
            "social": line.social, "social_amount_eur": amount_json(line.social_amount_eur),
            "environmental": line.environmental, "environmental_amount_eur": amount_json(line.environmental_amount_eur),
            "insertion_hours": line.insertion_hours, "reserved": line.reserved,
        } for line in lines]})
        return 0
    if not lines:
        print("Aucun dossier enregistré.")
    def share(line, amount) -> str:
        ratio = line.share(amount)
        return format_percent(ratio) if ratio is not None else "—"

    for line in lines:
        print(f"{line.year if isinstance(line.year, int) else 'Sans date de lancement'} : "
              f"{count_of(line.dossiers, 'dossier')}, {format_money(line.amount_eur)}")
        print(f"  clause sociale : {format_number(line.social)} ({share(line, line.social_amount_eur)} du montant) ; "
              f"clause environnementale : {format_number(line.environmental)} "
              f"({share(line, line.environmental_amount_eur)} du montant)")
        print(f"  heures d'insertion prévues : {format_number(line.insertion_hours)} ; "
              f"marchés ou lots réservés : {format_number(line.reserved)}")
    return 0


def cmd_review(args) -> int:
    """The head's decision, signed by the connected user (on the server the row-level security
    refuses it to anyone but a head of service)."""
    from achatsdesk.services.dossiers import record_review
    from achatsdesk.services.team import current_rights

    database = open_db()
    reviewer = current_rights(database).user
    review = record_review(database, args.id, args.decision, reviewer, args.comment)
    if args.json:
        print_json({"id": args.id, **review.to_dict()})
    else:
        print(f"Dossier n° {args.id} : {DECISION_LABELS[review.decision]} par {review.reviewer}"
              + (f" — « {review.comment} »" if review.comment else "") + ".")
    return 0


def cmd_history(args) -> int:
    from achatsdesk.services.team import dossier_history

    entries = dossier_history(open_db(), args.id)
    if args.json:
        print_json({"id": args.id, "changes": [
            {"revision": e.revision, "action": e.action, "by": e.by, "when": e.when} for e in entries]})
        return 0
    if not entries:
        print(f"Aucune modification enregistrée pour le dossier n° {args.id}.")
    for e in entries:
        print(f"{format_date_short(e.when.date())} {e.when:%H:%M}  révision {e.revision:<3} "
              f"{e.action_label} par {e.by or '(poste local)'}")
    return 0
