"""The book tooling: builds, previews, checks and measures the book; no notebook imports it.

It may import every other layer of the package; none of them imports it (import-linter's
layers contract in ``pyproject.toml``), so it cannot change a number on a page. Its modules, in
the order they import each other (lower first; no cycles):

- :mod:`.common`        the work directory, the build's messages and lock, the book's pages
- :mod:`.prechecks`     checks before anything runs: the YAML, the code fences, ``data/``
- :mod:`.execute`       executes notebooks missing from the execution cache, in parallel
- :mod:`.build`         ``python -m kommunenkat.tooling.build html|pdf``: Sphinx, swap-in
- :mod:`.rebuilder`     the preview's incremental rebuild after each save
- :mod:`.preview`       ``python -m kommunenkat.tooling.preview``: the live preview's server
- :mod:`.measure`       the bench's instruments (timing, medians, report lines)
- :mod:`.bench`         ``python -m kommunenkat.tooling.bench``; project copies for the tests
- :mod:`.sphinxext`, :mod:`.web`, :mod:`.bibstyle`  Sphinx extensions and the reference style
- :mod:`.numberchecks`  chapters' stored number checks (``make number-checks``, nbval)
- :mod:`.derive`        writes ``data/derived/`` (``make derive``)
- :mod:`.yearcheck`     years typed into chapter prose or code
- :mod:`.glue_keys`     the registry of glue keys and their producers (``glue_keys.csv``)
- :mod:`.glue_record`   writes that registry by running every page with a recording ``glue``
"""
