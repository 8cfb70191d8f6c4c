"""Executable claims, one module per part of the paper (ids as in STATEMENTS.md)."""
