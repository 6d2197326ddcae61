"""Tabletop: a BCM crisis-exercise simulator."""

__version__ = "0.1.0"
