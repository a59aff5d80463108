"""Analysis package behind the executable report book *Kommunenkät 2023*.

One module per concern:

- :mod:`paths`        where the project's files are (anchored to this package, not the cwd)
- :mod:`labels`       ids, orders and Swedish labels of questions, categories and regions
- :mod:`data`         loading the validated data files
- :mod:`validate`     schema and meaning checks of ``data/`` (``make check-data``)
- :mod:`fmt`          Swedish number formatting for prose and tables
- :mod:`reconstruct`  integer counts behind the county tables' rounded percentages
- :mod:`stats`        intervals and tests (statsmodels/scipy)
- :mod:`claims`       audit of the report's numeric claims
- :mod:`figures`      the book's single plotting style and figure functions
- :mod:`publish`      glue and table helpers used by the notebooks
- :mod:`derive`       writes ``data/derived/``
- :mod:`build`        builds the book (HTML, PDF, preview)
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
