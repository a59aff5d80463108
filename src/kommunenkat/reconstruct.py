"""Placeholder: filled in by the reconstruct work package."""

DERIVED: dict = {}
