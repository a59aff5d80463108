"""Tests of kommunenkat.audit."""
