"""The virtual Furby Connect: a simulated toy for tests, benchmarks and the demo (never shipped)."""
