import pytest

from onedata.core.roles import Role
from onedata.factcheck import demo, search
from tests.conftest import make_agency, make_user


@pytest.fixture(autouse=True)
def fresh_vocabulary():
    search.forget_vocabulary()
    yield
    search.forget_vocabulary()


@pytest.fixture
def checker(regions):
    agency = make_agency("tim-cek-fakta", "51")
    return make_user("cekfakta", Role.FACT_CHECKER, agency, name="Pemeriksa Fakta")


@pytest.fixture
def checked(checker):
    """The demo's checked claims, each with a published review."""
    return demo.seed_claims(checker)
