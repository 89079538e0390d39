"""Bundle entry point for the window (PyInstaller)."""

from achatsdesk.app import main

raise SystemExit(main())
