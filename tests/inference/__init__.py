"""Tests of kommunenkat.inference."""
