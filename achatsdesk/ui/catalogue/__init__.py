"""Widgets of the Catalogue ESS section."""
