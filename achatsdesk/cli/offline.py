"""Commands: dossier take-away / taken / bring-back (team mode: dossiers taken away offline).

IDs are the server's dossier numbers (those of « dossier list » when connected).
A dossier changed on both sides is not brought back without being told which
version to keep: the differences are listed and the command says the options.
"""

from __future__ import annotations

from achatsdesk.cli.common import CliError, add_json_flag, open_db, print_json
from achatsdesk.domain.dossier_merge import MINE, THEIRS, format_value
from achatsdesk.domain.formatting import format_date_short
from achatsdesk.domain.plural import count_of


def register_dossier_actions(dossier) -> None:
    """Add the offline actions to the ``dossier`` command's sub-parsers."""
    take = dossier.add_parser("take-away", help="emporte des dossiers du serveur sur ce poste, pour les modifier "
                              "hors connexion (vos collègues voient qu'ils sont emportés)")
    take.add_argument("ids", type=int, nargs="+", metavar="ID")
    add_json_flag(take)
    take.set_defaults(func=cmd_take_away)

    taken = dossier.add_parser("taken", help="liste les dossiers emportés hors connexion sur ce poste")
    add_json_flag(taken)
    taken.set_defaults(func=cmd_taken)

    back = dossier.add_parser("bring-back", help="rapporte sur le serveur un dossier emporté hors connexion")
    back.add_argument("id", type=int, metavar="ID")
    side = back.add_mutually_exclusive_group()
    side.add_argument("--keep-mine", action="store_true",
                      help="modifié des deux côtés : votre version pour les champs modifiés des deux côtés")
    side.add_argument("--keep-theirs", action="store_true",
                      help="modifié des deux côtés : la version du serveur pour les champs modifiés des deux côtés")
    side.add_argument("--keep-both", action="store_true",
                      help="modifié des deux côtés : votre version devient un nouveau dossier à côté de celle du serveur")
    add_json_flag(back)
    back.set_defaults(func=cmd_bring_back)


def cmd_take_away(args) -> int:
    from achatsdesk.services.offline import take_away

    taken = take_away(open_db(), args.ids)
    if args.json:
        print_json([{"id": t.server_id, "local_id": t.local_id, "title": t.title} for t in taken])
    else:
        for t in taken:
            print(f"Dossier n° {t.server_id} « {t.title} » emporté hors connexion (n° {t.local_id} sur ce poste).")
    return 0


def cmd_taken(args) -> int:
    import sys

    from achatsdesk.services.bootstrap import open_database_or_offline
    from achatsdesk.services.offline import taken_dossiers

    database, notice = open_database_or_offline()  # the list needs only this workstation's file
    if notice:
        print(notice, file=sys.stderr)
    taken = taken_dossiers(database)
    if args.json:
        print_json([{"id": t.server_id, "local_id": t.local_id, "title": t.title, "server": t.server_label,
                     "base_revision": t.base_revision, "taken_at": t.taken_at} for t in taken])
        return 0
    if not taken:
        print("Aucun dossier n'est emporté hors connexion sur ce poste.")
    for t in taken:
        print(f"n° {t.server_id} « {t.title} » — emporté le {format_date_short(t.taken_at.date())} "
              f"depuis {t.server_label} (n° {t.local_id} sur ce poste)")
    return 0


def cmd_bring_back(args) -> int:
    from achatsdesk.services import offline

    database = open_db()
    taken = offline.taken_for_server_id(database, args.id) if database.is_team else None
    if database.is_team and taken is None:
        raise CliError(f"Le dossier n° {args.id} n'a pas été emporté hors connexion depuis ce serveur sur ce poste. "
                       "La liste : « dossier taken ».")
    local_id = taken.local_id if taken is not None else args.id  # alone, the service says what is wrong
    if args.keep_both:
        outcome = offline.bring_back(database, local_id)
        if not outcome.brought_back:
            copy_id = offline.keep_both(database, local_id)
            return _said(args, {"id": args.id, "copy_id": copy_id, "title": outcome.title, "kept_both": True},
                         f"Dossier « {outcome.title} » rapporté comme un nouveau dossier (n° {copy_id}) ; "
                         f"la version du serveur (n° {args.id}) reste telle quelle.")
    elif args.keep_mine or args.keep_theirs:
        outcome = offline.keep_side(database, local_id, MINE if args.keep_mine else THEIRS)
    else:
        outcome = offline.bring_back(database, local_id)
        if not outcome.brought_back:
            _print_differences(args, outcome)
            return 1
    return _said(args, {"id": args.id, "title": outcome.title, "revision": outcome.server_revision},
                 f"Dossier n° {args.id} « {outcome.title} » rapporté sur le serveur (révision {outcome.server_revision}).")


def _said(args, document: dict, line: str) -> int:
    if args.json:
        print_json(document)
    else:
        print(line)
    return 0


def _print_differences(args, outcome) -> None:
    if args.json:
        print_json({"id": args.id, "title": outcome.title, "brought_back": False,
                    "differences": [{"key": d.key, "label": d.label, "base": d.base, "mine": d.mine,
                                     "theirs": d.theirs, "both_changed": d.both_changed}
                                    for d in outcome.differences]})
        return
    print(f"Le dossier n° {args.id} « {outcome.title} » a été modifié sur le serveur pendant que vous l'aviez "
          f"emporté : {count_of(len(outcome.differences), 'champ')} diffère{'nt' if len(outcome.differences) > 1 else ''}.")
    for d in outcome.differences:
        mark = "⚠ " if d.both_changed else ""
        print(f"  {mark}{d.label} : au départ {format_value(d.key, d.base)} · ma version "
              f"{format_value(d.key, d.mine)} · serveur {format_value(d.key, d.theirs)}")
    print("Rien n'a été enregistré. Relancez avec --keep-mine (votre version là où les deux ont changé), "
          "--keep-theirs (celle du serveur) ou --keep-both (les deux dossiers) ; ailleurs, chaque modification "
          "est gardée.")
