"""Bundle entry point for the command line (PyInstaller)."""

import multiprocessing

# A large import reads its file in a child process started by running this program again
# (catalogue/reader_process.py, the spawn method): here that child runs its task and exits.
multiprocessing.freeze_support()

from achatsdesk.cli import main

raise SystemExit(main())
