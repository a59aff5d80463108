"""Tests of kommunenkat.inputs."""
