"""The .swl container (docs/FORMAT.md): one writer, one reader, shared by every tool."""
