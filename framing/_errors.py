"""One exception hierarchy for everything ``framing`` raises on purpose."""

from __future__ import annotations

from typing import Any

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


DISTRIBUTION = "framing-voices"

# What each optional piece is for, and the extra that installs it.
_EXTRAS = {
    "sklearn": ("scikit-learn", "train"),
    "scipy": ("scikit-learn", "train"),
    "datasets": ("datasets", "train"),
    "pyarrow": ("pyarrow", "parquet"),
    "dask": ("dask", "dask"),
    "pandas": ("pandas", "dask"),
    "matplotlib": ("matplotlib", "notebooks"),
}


def require(module: str, purpose: str) -> Any:
    """Import an optional dependency, or say which extra installs it.

    Parameters
    ----------
    module : str
        Top-level module name (a key of ``_EXTRAS``).
    purpose : str
        What needs it, for the message ("training", "reading Parquet").

    Raises
    ------
    UsageError
        The package is not installed; the message gives the ``pip install`` line.
    """
    import importlib

    package, extra = _EXTRAS[module]
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing = getattr(exc, "name", None)
        if missing is not None and missing.split(".")[0] != module.split(".")[0]:
            # Installed, but broken (one of its own dependencies is missing): say so, not "left out".
            raise UsageError(f"{purpose} needs {package}, which is installed but fails to import ({exc}); "
                             f"reinstall it: pip install --force-reinstall '{DISTRIBUTION}[{extra}]'") from exc
        raise UsageError(
            f"{purpose} needs {package}, which the base install leaves out: "
            f"pip install '{DISTRIBUTION}[{extra}]' (or '{DISTRIBUTION}[all]' for every extra)"
        ) from exc
