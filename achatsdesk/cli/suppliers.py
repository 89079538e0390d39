"""Commands: suppliers search | show | import | publish | sync."""

from __future__ import annotations

import sys

from achatsdesk.catalogue.format_codes import PUBLIC_FORMATS
from achatsdesk.cli.common import CliError, add_json_flag, open_db, print_json
from achatsdesk.domain.formatting import format_number
from achatsdesk.domain.geo import DEFAULT_RADIUS_KM

FAST_TOTAL_CAP = 1000  # the window's cap too (ui/pages/catalogue_page.py)


def register(subparsers) -> None:
    suppliers = subparsers.add_parser("suppliers", help="catalogue des structures inclusives et de l'ESS").add_subparsers(
        dest="suppliers_command", metavar="ACTION"
    )
    search = suppliers.add_parser("search", help="cherche des structures (texte, type, secteur, département, distance)")
    search.add_argument("text", metavar="TEXTE", nargs="?", default="")
    search.add_argument("--kind", action="append", default=[], metavar="TYPE",
                        help="ACI, EI, ETTI, AI, EITI, GEIQ, EA, EATT, ESAT, SEP, ESS ou un groupe (« Insertion (SIAE) »)")
    search.add_argument("--sector", action="append", default=[], metavar="SECTEUR", help="secteur ou famille de secteurs")
    search.add_argument("--dept", action="append", default=[], metavar="DÉPARTEMENT")
    search.add_argument("--near", metavar="COMMUNE", help="code INSEE ou nom de commune")
    search.add_argument("--radius-km", type=float, default=None, metavar="KM", help=f"rayon autour de la commune ({DEFAULT_RADIUS_KM} par défaut)")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--sort", default="relevance", choices=["relevance", "name", "kind", "commune", "distance", "source_date"],
                        help="ordre des résultats (pertinence par défaut, distance autour d'une commune)")
    search.add_argument("--desc", action="store_true", help="ordre décroissant")
    search.add_argument("--fast-total", action="store_true",
                        help=f"compte les résultats jusqu'à {FAST_TOTAL_CAP} seulement (comme la fenêtre)")
    add_json_flag(search)
    search.set_defaults(func=cmd_search)

    show = suppliers.add_parser("show", help="affiche une structure par son SIRET")
    show.add_argument("siret", metavar="SIRET")
    add_json_flag(show)
    show.set_defaults(func=cmd_show)

    imp = suppliers.add_parser("import", help="importe une liste de structures (CSV ou XLSX)")
    imp.add_argument("file", metavar="FICHIER")
    imp.add_argument("--format", default="auto",
                     choices=PUBLIC_FORMATS)
    imp.add_argument("--default-kind", default=None, metavar="TYPE", help="type des structures d'un fichier sans colonne de type")
    add_json_flag(imp)
    imp.set_defaults(func=cmd_import)

    publish = suppliers.add_parser("publish", help="publie sur le serveur de l'équipe les structures importées "
                                   "et les secteurs corrigés de ce poste (catalogue de l'organisation)")
    add_json_flag(publish)
    publish.set_defaults(func=cmd_publish)

    sync = suppliers.add_parser("sync", help="charge le dernier catalogue publié par l'organisation")
    add_json_flag(sync)
    sync.set_defaults(func=cmd_sync)


def cmd_search(args) -> int:
    from achatsdesk.domain.input_limits import clean_query
    from achatsdesk.services.catalogue import search_suppliers

    args.text, args.near = clean_query(args.text), clean_query(args.near) or None  # lone surrogates dropped
    if args.radius_km is not None and not args.near:
        raise CliError("--radius-km demande aussi --near COMMUNE.")
    result = search_suppliers(
        open_db(), args.text, kinds=args.kind, sectors=args.sector, departements=args.dept,
        near=args.near, radius_km=args.radius_km, limit=args.limit, order=args.sort, descending=args.desc,
        total_cap=FAST_TOTAL_CAP if args.fast_total else None,
    )
    if args.json:
        print_json({
            "total": result.total,
            "total_is_exact": result.total_is_exact,
            "elapsed_ms": result.elapsed_ms,
            "results": [
                {
                    "siret": h.siret, "name": h.name, "kind": h.kind, "commune": h.commune, "insee": h.insee,
                    "dept": h.departement,
                    "distance_km": round(h.distance_km, 2) if h.distance_km is not None else None,
                    "sectors": list(h.sectors), "source": f"{h.source} ({h.source_date})",
                }
                for h in result.hits
            ],
        })
        return 0
    where = f" à moins de {format_number(result.radius_km)} km de {result.place.name}" if result.place else ""
    more = "" if result.total_is_exact else "plus de "
    print(f"{more}{format_number(result.total)} structures{where} ({format_number(result.elapsed_ms, 1)} ms)")
    for h in result.hits:
        distance = f"{format_number(h.distance_km, 1)} km  " if h.distance_km is not None else ""
        print(f"{h.siret or '(sans SIRET)':14}  {h.kind:5} {distance}{h.name} — {h.commune or '?'} ({h.departement or '?'})")
    return 0


def cmd_show(args) -> int:
    from achatsdesk.services.catalogue import get_supplier

    s = get_supplier(open_db(), args.siret)
    if args.json:
        data = dict(s.__dict__)
        data["sectors"] = [{"id": i, "name": n, "origin": o} for i, n, o in s.sectors]
        print_json(data)
        return 0
    lines = [
        f"{s.name}" + (f" ({s.brand})" if s.brand else ""),
        f"SIRET : {s.siret or 'inconnu'}" + ("" if s.siret_valid or not s.siret else " (numéro invalide, à vérifier)"),
        f"Type : {s.kind}   Forme juridique : {s.legal_form or '—'}",
        f"NAF : {s.naf or '—'} {s.naf_label or ''}".rstrip(),
        f"Adresse : {s.address or '—'}, {s.postcode or ''} {s.commune or ''}",
        "Position : " + {"address": "à l'adresse", "commune": "centre de la commune", "none": "inconnue"}.get(s.geo_precision, s.geo_precision),
        "Secteurs : " + (", ".join(f"{n}{' (déduit du NAF)' if o == 'derived' else ''}" for _, n, o in s.sectors) or "—"),
        f"Source : {s.source} ({s.source_date})",
    ]
    if s.capacity:
        lines.append(f"Capacité : {format_number(s.capacity)} places")
    print("\n".join(lines))
    return 0


def cmd_import(args) -> int:
    from achatsdesk.services.catalogue import import_file

    def progress(done: int, total: int, message: str) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r{message}", end="", file=sys.stderr)

    report = import_file(open_db(), args.file, args.format, progress, default_kind=args.default_kind)
    if args.json:
        print_json(report.as_dict())
        return 0
    print(f"{report.format_label} ({report.encoding}) : {report.summary()}")
    for rejection in report.rejections[:50]:
        print(f"  ligne {rejection.line} : {rejection.reason}")
    if report.rejected > 50:
        print(f"  … et {format_number(report.rejected - 50)} autres (voir --json).")
    return 0


def cmd_publish(args) -> int:
    from achatsdesk.services.catalogue_publication import publish_catalogue

    release = publish_catalogue(open_db())
    if args.json:
        print_json({"version": release.version, "suppliers": release.suppliers, "corrections": release.corrections,
                    "published_by": release.published_by, "published_at": release.published_at})
    else:
        print(f"Catalogue de l'organisation publié : version {release.version}, "
              f"{format_number(release.suppliers)} structures, {format_number(release.corrections)} corrections de secteurs.")
    return 0


def cmd_sync(args) -> int:
    from achatsdesk.services.catalogue_publication import latest_release, load_published_catalogue

    database = open_db()  # opening in team mode already loads a newer release
    loaded = load_published_catalogue(database)
    latest = latest_release(database)
    if args.json:
        print_json({"version": latest.version if latest else None, "loaded_now": loaded is not None,
                    "added": loaded.added if loaded else 0, "removed": loaded.removed if loaded else 0})
    elif latest is None:
        print("Aucun catalogue de l'organisation n'est publié (ou achatsdesk n'est pas connecté au serveur).")
    else:
        print(f"Catalogue de l'organisation à jour : version {latest.version} du "
              f"{latest.published_at:%d/%m/%Y} par {latest.published_by}.")
    return 0
