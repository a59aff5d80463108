"""Placeholder: filled in by the analysis work package."""

DERIVED: dict = {}
