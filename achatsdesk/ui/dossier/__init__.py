"""The Dossiers section: the list, the dossier editor and the parts it is built of."""
