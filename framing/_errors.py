"""One exception hierarchy for everything ``framing`` raises on purpose."""

from __future__ import annotations

__all__ = [
    "FramingError",
    "InputError",
    "ModelError",
    "DatasetError",
    "UsageError",
]


class FramingError(Exception):
    """Base class of every error ``framing`` raises deliberately.

    Messages name the problem and, where there is one, the fix.
    """

    exit_code = 1


class InputError(FramingError, ValueError):
    """An input document or record cannot be read or processed (exit code 1)."""


class ModelError(FramingError):
    """A model directory is missing, tampered with, truncated or incompatible (exit 1)."""


class DatasetError(FramingError, ValueError):
    """A labelled set has missing columns, unknown labels or cannot be loaded (exit 1)."""


class UsageError(FramingError):
    """The command line or API was called with invalid options (exit code 2)."""

    exit_code = 2
