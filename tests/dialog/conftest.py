from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.dialog.harness import Harness


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = Harness(tmp_path)
    await harness.start()
    yield harness
    await harness.stop()
    # No Bot API call of the bot may have been refused in any dialog test.
    assert harness.request.refused == [] or all(
        "Forbidden" in why for _, why in harness.request.refused
    ), harness.request.refused
