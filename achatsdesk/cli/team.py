"""Commands: team init / add-user / whoami (team mode on a PostgreSQL server, with --database)."""

from __future__ import annotations

from achatsdesk.cli.common import add_json_flag, open_db, print_json


def register(subparsers) -> None:
    team = subparsers.add_parser("team", help="mode équipe : rôles et droits sur le serveur PostgreSQL").add_subparsers(
        dest="team_command", metavar="ACTION"
    )
    init = team.add_parser("init", help="crée (ou met à jour) le schéma, les rôles achatsdesk_acheteur, "
                           "achatsdesk_chef, achatsdesk_admin, les droits et la sécurité par ligne")
    init.set_defaults(func=cmd_init)

    add = team.add_parser("add-user", help="donne à un utilisateur PostgreSQL un rôle achatsdesk (et un service)")
    add.add_argument("name", metavar="NOM", help="identifiant de connexion PostgreSQL (créé s'il n'existe pas)")
    add.add_argument("--role", required=True, metavar="acheteur|chef|admin",
                     help="acheteur, chef (chef de service : décisions de relecture) ou admin")
    add.add_argument("--service", metavar="SERVICE", help="service dont la personne voit et modifie les dossiers")
    add.set_defaults(func=cmd_add_user)

    whoami = team.add_parser("whoami", help="l'utilisateur connecté, ses rôles, ses services et ses droits")
    add_json_flag(whoami)
    whoami.set_defaults(func=cmd_whoami)


def cmd_init(args) -> int:
    from achatsdesk.services.team import init_team

    database = open_db()
    init_team(database)
    print(f"Base d'équipe prête ({database.label}) : rôles achatsdesk_acheteur, achatsdesk_chef, "
          "achatsdesk_admin, droits et sécurité par ligne en place.")
    print("Ajoutez les personnes avec « team add-user NOM --role acheteur|chef|admin --service SERVICE ».")
    return 0


def cmd_add_user(args) -> int:
    from achatsdesk.services.team import ROLE_LABELS, add_user

    database = open_db()
    created = add_user(database, args.name, args.role, args.service)
    what = "créé (connexion sans mot de passe : .pgpass, Kerberos ou votre DBA)" if created else "existant"
    print(f"Utilisateur « {args.name.strip()} » ({what}) : rôle {ROLE_LABELS[args.role]}"
          + (f", service « {args.service.strip()} »." if args.service and args.service.strip() else "."))
    return 0


def _yes(value: bool) -> str:
    return "oui" if value else "non"


def cmd_whoami(args) -> int:
    from achatsdesk.services.team import ROLE_LABELS, current_rights

    database = open_db()
    rights = current_rights(database)
    if args.json:
        print_json({"user": rights.user, "database": database.label, "team": rights.is_team,
                    "superuser": rights.superuser, "roles": sorted(rights.roles), "services": list(rights.services),
                    "can_review": rights.can_review, "can_edit_library": rights.can_edit_library,
                    "can_administer": rights.can_administer})
        return 0
    print(f"Utilisateur : {rights.user} — {database.label}")
    if not rights.is_team:
        print("Base locale : un seul utilisateur, tous les droits.")
    else:
        roles = ", ".join(ROLE_LABELS[r] for r in sorted(rights.roles)) or "aucun rôle achatsdesk"
        print(f"Rôles : {roles}" + (" (superutilisateur)" if rights.superuser else ""))
        if rights.superuser or "admin" in rights.roles:
            services = "tous (administrateur)"
        else:
            services = ", ".join(rights.services) or "aucun (dossiers sans service seulement)"
        print(f"Services : {services}")
    print(f"Décisions de relecture : {_yes(rights.can_review)} · bibliothèque de clauses : "
          f"{_yes(rights.can_edit_library)} · administration : {_yes(rights.can_administer)}")
    return 0
