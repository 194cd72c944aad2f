"""The error every tool prints as one line, without a traceback."""


class ToolError(Exception):
    """A user-facing error: printed without a traceback."""
