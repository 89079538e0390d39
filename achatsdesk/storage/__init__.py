"""Storage: typed SQLAlchemy 2 models, the SQLite engine, migrations, searches."""
