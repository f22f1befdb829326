"""Tests of furby_connect."""
