import pytest
from checks import ROOT, access_rows, declared_models

MODELS = declared_models(ROOT)


def test_models_found():
    """The scan finds the core model: an empty scan would pass the next test."""
    assert "renewal.contract" in MODELS


@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_has_access_rule(name):
    model_id = "model_" + name.replace(".", "_")
    assert model_id in access_rows(ROOT), (
        f"{MODELS[name].relative_to(ROOT)}: model {name} has no row with "
        f"model_id {model_id} in any security/ir.model.access.csv"
    )
