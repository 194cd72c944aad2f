"""Golden-data generators behind tools/golden.py, one module per command."""
