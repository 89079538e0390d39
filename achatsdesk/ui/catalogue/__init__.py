"""The Catalogue ESS section: its page and the widgets and dialogs it is made of."""
