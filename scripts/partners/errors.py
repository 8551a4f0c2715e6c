"""The one error the main job's stages raise: its message is what the user reads."""


class PipelineError(Exception):
    """A failed stage; the message says which and why (one line, no traceback)."""
