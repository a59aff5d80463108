"""The audit of the report's own claims (appendix *Granskning av rapportens påståenden*): every
numeric or causal statement of the report, registered in ``data/claims.csv``, recomputed from
the published data and given a verdict, and a scan of the report's whole text that shows the
register misses no statement. It may import the core, inputs and inference layers, never the
text, graphics or tooling layers.

Modules, lowest first (each imports only modules above it in this list):

- :mod:`.claims`         the claims register and the grammar of its ``check`` and ``claimed``
  columns
- :mod:`.verdicts`       the verdicts, how one claimed number is judged, the counts the pages
  print
- :mod:`.published`      what the audited report publishes, looked up for a claim (values, n,
  Manski bounds)
- :mod:`.phrases`        Swedish building blocks of the explanations
- :mod:`.scan`           the report's text split into sentences, and the register's coverage of
  it
- :mod:`.figure_checks`, :mod:`.county_checks`, :mod:`.series_checks`, :mod:`.fact_checks`
  the checks of each kind of claim
- :mod:`.checks`         the audit itself: every claim evaluated (``claims_audit.csv``), and
  the GRIM-type check of the appendix tables
"""
