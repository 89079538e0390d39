"""Pure domain: dataclasses and functions, no Qt, no SQLAlchemy."""
