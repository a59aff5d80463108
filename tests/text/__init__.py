"""Tests of kommunenkat.text."""
