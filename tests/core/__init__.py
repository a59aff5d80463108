"""Tests of kommunenkat.core."""
