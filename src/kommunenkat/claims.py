"""Placeholder: filled in by the claims work package."""

DERIVED: dict = {}
