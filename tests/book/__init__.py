"""Tests of the built book: the site, the PDF, the data package as published, the pages as
Chromium renders them."""
