"""Modules imported on first use: ``sns = LazyModule("seaborn")``.

Importing seaborn pulls in scipy, about 0.6 s in every notebook kernel (1.6 s without cached
bytecode), although the chapters need it for at most a colour palette. The name is bound at once;
the module is imported the first time an attribute is used.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """A module imported the first time one of its attributes is looked up."""

    def __init__(self, name: str) -> None:
        self._lazy_name = name

    def _module(self) -> ModuleType:
        return importlib.import_module(self._lazy_name)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._module(), attr)

    def __repr__(self) -> str:
        return f"<lazily imported module {self._lazy_name!r}>"
