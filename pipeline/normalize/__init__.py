"""Normalisation: currencies, company identity and deal identity."""
