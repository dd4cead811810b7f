import pytest
from checks import ROOT, xml_files, xml_problems


@pytest.mark.parametrize(
    "path", xml_files(ROOT), ids=lambda p: str(p.relative_to(ROOT / "addons"))
)
def test_xml(path):
    problems = xml_problems(path)
    assert not problems, "\n".join(problems)
