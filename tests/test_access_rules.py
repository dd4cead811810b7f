import pytest
from checks import ROOT, declared_models, model_access_problem

MODELS = declared_models(ROOT)


def test_models_found():
    """The scan finds the core model: an empty scan would pass the next test."""
    assert "renewal.contract" in MODELS


@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_has_access_rule(name):
    problem = model_access_problem(ROOT, name, MODELS[name])
    assert not problem, problem
