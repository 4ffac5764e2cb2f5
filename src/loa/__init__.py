"""Loa: press monitoring and information-work management for a party bloc."""

__version__ = "0.1.0"
