"""Synthetic filings for tests: see :mod:`tests.synth.generator`."""
