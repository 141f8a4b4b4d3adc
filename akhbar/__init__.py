"""akhbar: search for multilingual news archives, Arabic first."""
__version__ = "0.1.0"
