"""Integration tests: Home Assistant with the virtual Furby attached to its bluetooth stack."""
