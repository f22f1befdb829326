"""Tests of the virtual Furby simulator."""
