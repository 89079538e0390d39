"""Commands: doctor, cpv search, communes search."""

from __future__ import annotations

from achatsdesk.cli.common import add_json_flag, open_db, print_json
from achatsdesk.domain.formatting import format_number
from achatsdesk.domain.input_limits import clean_query


def register(subparsers) -> None:
    doctor = subparsers.add_parser("doctor", help="vérifie que l'application peut fonctionner")
    add_json_flag(doctor)
    doctor.add_argument("--no-qt", action="store_true", help="ne pas vérifier l'interface graphique")
    doctor.add_argument(
        "--restore-backup", nargs="?", const="", default=None, metavar="FICHIER",
        help="remplace la base par une sauvegarde (par défaut : celle d'avant la mise à jour interrompue, "
        "sinon la plus récente lisible) ; la base remplacée est gardée dans le dossier « backups »",
    )
    doctor.add_argument(
        "--salvage", action="store_true",
        help="récupère ce qui est encore lisible d'une base endommagée dans une nouvelle base, mise à sa place "
        "(la base endommagée est gardée dans le dossier « backups »)",
    )
    doctor.set_defaults(func=cmd_doctor)

    cpv = subparsers.add_parser("cpv", help="codes CPV").add_subparsers(dest="cpv_command", metavar="ACTION")
    search = cpv.add_parser("search", help="cherche un code CPV par libellé ou par code")
    search.add_argument("text", metavar="TEXTE")
    search.add_argument("--limit", type=int, default=10)
    add_json_flag(search)
    search.set_defaults(func=cmd_cpv_search)

    communes = subparsers.add_parser("communes", help="communes").add_subparsers(dest="communes_command", metavar="ACTION")
    csearch = communes.add_parser("search", help="cherche une commune par nom, code postal ou code INSEE")
    csearch.add_argument("text", metavar="TEXTE")
    csearch.add_argument("--limit", type=int, default=10)
    add_json_flag(csearch)
    csearch.set_defaults(func=cmd_communes_search)


def cmd_restore_backup(args) -> int:
    from pathlib import Path

    from achatsdesk.paths import app_paths
    from achatsdesk.services.recovery import restore

    outcome = restore(app_paths().ensure(), Path(args.restore_backup) if args.restore_backup else None)
    if args.json:
        print_json({"restored_from": str(outcome.restored_from),
                    "set_aside": str(outcome.set_aside) if outcome.set_aside else None})
    else:
        print(f"Base restaurée depuis la {outcome.label}.")
        if outcome.set_aside:
            print(f"La base remplacée est gardée dans « {outcome.set_aside} ».")
    return 0


def cmd_salvage(args) -> int:
    from achatsdesk.paths import app_paths
    from achatsdesk.services.recovery import salvage

    result = salvage(app_paths().ensure())
    if args.json:
        print_json({"method": result.method, "rows_copied": result.rows_copied, "rows_lost": result.rows_lost,
                    "set_aside": str(result.set_aside) if result.set_aside else None})
    else:
        print(f"Base récupérée ({result.method}) : {format_number(result.rows_copied)} lignes reprises, "
              f"{format_number(result.rows_lost)} illisibles perdues.")
        if result.set_aside:
            print(f"La base endommagée est gardée dans « {result.set_aside} ».")
    return 0


def cmd_doctor(args) -> int:
    from achatsdesk.services.doctor import run_doctor

    if args.restore_backup is not None:
        return cmd_restore_backup(args)
    if args.salvage:
        return cmd_salvage(args)
    report = run_doctor(check_qt=not args.no_qt)
    if args.json:
        print_json(report.as_dict())
    else:
        db = report.database
        print(f"achatsdesk {report.version}")
        print(f"Base de données : {db.get('path')} — schéma {db.get('revision')} (attendu {db.get('head')})")
        for key, count in report.reference.items():
            print(f"  {key} : {format_number(count)}")
        if report.qt:
            print(f"Interface Qt : {'OK (' + report.qt['platform'] + ')' if report.qt['ok'] else 'ÉCHEC'} {report.qt['detail']}")
        lo = report.libreoffice
        print(f"LibreOffice : {lo['path'] if lo['present'] else 'absent (les aperçus PDF des annexes ne sont pas disponibles)'}")
        for problem in report.problems:
            print(f"Problème : {problem}")
        print("Tout est prêt." if report.ok else "L'application ne peut pas fonctionner correctement.")
    return 0 if report.ok else 1


def cmd_cpv_search(args) -> int:
    from achatsdesk.services.reference import ReferenceService

    args.text = clean_query(args.text)  # a lone surrogate (undecodable byte) is dropped, not a crash
    results = ReferenceService(open_db()).search_cpv(args.text, limit=args.limit)
    if args.json:
        print_json(
            {"query": args.text, "results": [
                {"code": r.code, "label": r.label, "level": r.level, "parent": r.parent_code, "nature": r.nature}
                for r in results
            ]}
        )
    else:
        if not results:
            print("Aucun code CPV ne correspond.")
        for r in results:
            print(f"{r.code}  {r.label}")
    return 0


def cmd_communes_search(args) -> int:
    from achatsdesk.services.reference import ReferenceService

    args.text = clean_query(args.text)  # a lone surrogate (undecodable byte) is dropped, not a crash
    results = ReferenceService(open_db()).search_communes(args.text, limit=args.limit)
    if args.json:
        print_json(
            {"query": args.text, "results": [
                {"insee": c.insee, "name": c.name, "departement": c.departement, "postcodes": list(c.postcodes),
                 "latitude": c.latitude, "longitude": c.longitude}
                for c in results
            ]}
        )
    else:
        if not results:
            print("Aucune commune ne correspond.")
        for c in results:
            print(f"{c.insee}  {c.name} ({', '.join(c.postcodes)})  {c.latitude}, {c.longitude}")
    return 0
