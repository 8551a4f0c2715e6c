"""The errors whose message is what the user reads: one line, no traceback."""


class PipelineError(Exception):
    """A failed stage; the message says which and why (one line, no traceback)."""


class IngestError(Exception):
    """A problem that stops the conversion: the message is shown to the user as is."""
