"""graphics."""
