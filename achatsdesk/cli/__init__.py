"""achatsdesk-cli: the command-line shell over the same services as the window.

Conventions: ``--json`` prints exactly one JSON document on stdout; errors go
to stderr in French with exit code 1; usage errors exit 2 (argparse).
Each area registers its sub-commands from its own module.
"""

from __future__ import annotations

import argparse
import sys

from achatsdesk import __version__
from achatsdesk.cli import french_argparse
from achatsdesk.cli.common import CliError, fail, set_database_option
from achatsdesk.errors import AchatsdeskError


class FrenchArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: exit 2, in French
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")


def build_parser() -> argparse.ArgumentParser:
    french_argparse.install()
    parser = FrenchArgumentParser(
        prog="achatsdesk-cli",
        description="achatsdesk en ligne de commande : données de référence, fournisseurs, dossiers, clauses, documents.",
    )
    parser.add_argument("--version", action="version", version=f"achatsdesk {__version__}")
    parser.add_argument("--database", metavar="ADRESSE",
                        help="base d'équipe sur un serveur PostgreSQL (postgresql://serveur/base, "
                             "« service=nom » de pg_service.conf) ou « local » ; par défaut "
                             "ACHATSDESK_DATABASE_URL, puis le réglage enregistré")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=FrenchArgumentParser)
    # Each module defines register(subparsers); its commands set `func` on their parser. Imported
    # by name in the code (not from strings): a renamed module fails here instead of vanishing.
    from achatsdesk.cli import (
        clauses,
        dossier,
        execution,
        export,
        programme,
        reference,
        suppliers,
        team,
    )

    for module in (reference, suppliers, dossier, clauses, export, programme, execution, team):
        module.register(subparsers)
    return parser


def _load_limits() -> None:
    """The deployment's input limits (config/limites.json), if any; the folders are not created for it."""
    import os

    from achatsdesk.domain.input_limits import load_limits
    from achatsdesk.paths import app_paths

    config = app_paths().config
    if os.path.isdir(config):
        load_limits(config)


def _log_detail(command: str, exc: AchatsdeskError) -> None:
    import logging

    from achatsdesk.logging_setup import setup_logging
    from achatsdesk.paths import app_paths

    try:
        setup_logging(app_paths().logs)
    except OSError:
        return
    logging.getLogger("achatsdesk.cli").warning("%s in %s: %s (%s)", type(exc).__name__, command, exc.message,
                                                exc.detail)


def main(argv: list[str] | None = None) -> int:
    from achatsdesk.private_files import restrict_umask

    restrict_umask()  # the database, backups, logs and exports are the user's alone (0600/0700)
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    _load_limits()
    set_database_option(args.database)
    try:
        return int(func(args) or 0)
    except CliError as exc:
        return fail(str(exc))
    except AchatsdeskError as exc:
        if exc.detail:  # messages may point at the journal: it must hold the detail
            _log_detail(args.command, exc)
        return fail(exc.user_message)
    except KeyboardInterrupt:
        return fail("Interrompu.")
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error worth a traceback.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception:  # noqa: BLE001 - the last guard: a French line, details in the log
        import logging

        from achatsdesk.logging_setup import setup_logging
        from achatsdesk.paths import app_paths

        log_file = setup_logging(app_paths().logs)
        logging.getLogger("achatsdesk.cli").exception("Unexpected error in %s", args.command)
        return fail(f"erreur inattendue ; le détail est dans le journal « {log_file} ».")
