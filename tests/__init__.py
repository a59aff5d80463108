"""The test suite, in folders that mirror the package's layers (core, inputs, inference, audit,
text, tooling) and one for the built book (book: the site, the PDF, the pages as Chromium renders
them). ``tests/test_architecture.py`` checks the package's shape."""
