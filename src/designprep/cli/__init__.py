"""Command-line interface: ``designprep`` and its sub-commands."""
