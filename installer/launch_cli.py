"""Bundle entry point for the command line (PyInstaller)."""

from achatsdesk.cli import main

raise SystemExit(main())
