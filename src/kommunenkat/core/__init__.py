"""The foundation every layer may use: where the project's files are (:mod:`.paths`), the stable
ids of questions, categories and regions with their Swedish labels (:mod:`.labels`), Swedish number
formatting with the report's half-up rounding (:mod:`.fmt`), modules imported on first use
(:mod:`.lazy`) and checked access to the cells of a pandas table (:mod:`.cells`). It imports
nothing else from ``kommunenkat`` and no third-party package at run time, so that any module can
import it without pulling in data or statistics.
"""
