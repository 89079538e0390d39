"""Use cases. Each takes what it needs (a Database or Session, progress and
cancel callables) and returns plain objects; the Qt shell and the CLI call them."""
