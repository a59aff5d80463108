import shutil
from pathlib import Path

import pytest

from kommunenkat import paths


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ for corrupting."""
    dest = tmp_path / "data"
    shutil.copytree(paths.DATA, dest)
    return dest
