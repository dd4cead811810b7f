from pathlib import Path

import pytest
from checks import xml_files, xml_problems

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "path", xml_files(ROOT), ids=lambda p: str(p.relative_to(ROOT / "addons"))
)
def test_xml(path):
    assert xml_problems(path) == []
