"""Project paths, anchored to the package location rather than the working directory."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parents[1]
DATA = ROOT / "data"
DERIVED = DATA / "derived"
DATAPACKAGE = DATA / "datapackage.json"
REPORT_FIGURES = DATA / "report_figures.csv"
COUNTIES = DATA / "counties.csv"
REPORT_FACTS = DATA / "report_facts.csv"
ROUNDS = DATA / "rounds.csv"
KNOWN_INCONSISTENCIES = DATA / "known_inconsistencies.csv"
CLAIMS = DATA / "claims.csv"
BUILD = ROOT / "_build"
