"""The package version: written by scripts/sync_version.py from the repository's VERSION file."""

__version__ = "0.1.0"
