"""Tests of the demo's development component (demo/custom_components/furby_demo)."""
