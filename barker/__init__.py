"""Barker: a Twitter-style social network core library."""

__version__ = "0.1.0"
