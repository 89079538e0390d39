"""The shell of the execution follow-up: the Suivi section and the hours chart."""
