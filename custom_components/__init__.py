"""Custom integrations of this repository (a package so tests import it before HA's loader)."""
