"""The components of the baseline, one package each (see ``registry`` for the list, in output order)."""
