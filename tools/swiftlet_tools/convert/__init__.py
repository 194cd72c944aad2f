"""The model converter behind tools/convert.py, one module per route (tools/README.md)."""
