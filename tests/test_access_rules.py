from pathlib import Path

from checks import access_problems, declared_models

ROOT = Path(__file__).resolve().parent.parent


def test_models_found():
    assert "renewal.contract" in declared_models(ROOT)


def test_every_model_has_access_rules():
    assert access_problems(ROOT) == []
