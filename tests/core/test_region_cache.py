"""The cached district codes follow the region tree."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onedata.core.models import Region
from onedata.core.regions import known_district_codes


@pytest.mark.django_db(transaction=True)
def test_district_codes_are_cached_and_follow_a_new_district():
    regency = Region.objects.filter(level=Region.Level.REGENCY).first()
    if regency is None:
        province = Region.objects.create(code="51", name="Bali", level=Region.Level.PROVINCE)
        regency = Region.objects.create(
            code="51.03", name="Badung", level=Region.Level.REGENCY, parent=province
        )
    before = known_district_codes()
    with CaptureQueriesContext(connection) as queries:
        assert known_district_codes() == before
    assert len(queries) == 0
    Region.objects.create(
        code=f"{regency.code}.99", name="Uji", level=Region.Level.DISTRICT, parent=regency
    )
    assert f"{regency.code}.99" in known_district_codes()
    Region.objects.get(code=f"{regency.code}.99").delete()
    assert f"{regency.code}.99" not in known_district_codes()
