"""reflow's exceptions: one base class, a few kinds a user (or a batch report) can act on."""

from __future__ import annotations


class ReflowError(Exception):
    """Base class. ``str(err)`` is one line that names the file and the reason."""

    kind = "error"
    exit_code = 1

    def __init__(self, path: object, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class NotAPDFError(ReflowError):
    kind = "not-pdf"
    exit_code = 3


class BrokenPDFError(ReflowError):
    kind = "broken"
    exit_code = 4


class EncryptedPDFError(ReflowError):
    kind = "encrypted"
    exit_code = 5


class EmptyDocumentError(ReflowError):
    kind = "empty"
    exit_code = 6


class NoTextLayerError(ReflowError):
    kind = "no-text"
    exit_code = 7


class LimitExceededError(ReflowError):
    """A per-document time or size limit was hit (hostile or huge input)."""

    kind = "limit"
    exit_code = 8


# Exit codes of the command besides the kinds above (3-8): 0 converted, 1 an output could not be
# written (batch: some documents failed), 130 interrupted.
EXIT_USAGE = 2  # a command line that cannot be carried out (argparse's own code too)
EXIT_INTERNAL = 70  # a bug in reflow (BSD sysexits' EX_SOFTWARE)
