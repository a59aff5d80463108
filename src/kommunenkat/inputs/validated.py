"""The "validated once per build" marker: what a validation of ``data/`` depends on.

A book build validates ``data/`` once before executing the notebooks and passes the hash of what it
validated to their kernels in :data:`VALIDATED_ENV`; :func:`kommunenkat.inputs.data.require_valid`
then skips the check while the files still have that hash.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kommunenkat.core import paths

VALIDATED_ENV = "KOMMUNENKAT_VALIDATED_DATA"


def data_digest(data_dir: Path = paths.DATA) -> str:
    """Hash of every file under ``data/`` (what the validator reads)."""
    h = hashlib.sha256()
    for f in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        h.update(f.relative_to(data_dir).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def validation_key() -> str:
    """What a validation result depends on: the data, the package's code, frictionless."""
    from importlib.metadata import version

    h = hashlib.sha256(data_digest().encode())
    package = paths.PACKAGE
    for f in sorted(package.rglob("*.py")):
        h.update(f.relative_to(package).as_posix().encode() + b"\0" + f.read_bytes())
    h.update(version("frictionless").encode())
    return h.hexdigest()
