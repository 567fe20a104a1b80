"""Tests of :mod:`framing._attribution`, one file per module of the subpackage."""
