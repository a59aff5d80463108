"""Tests of kommunenkat.tooling."""
