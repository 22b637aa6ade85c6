"""The demo data: real-shaped claims with verdicts, reports, articles; idempotent."""

import pytest

from onedata.core import demo as core_demo
from onedata.factcheck import demo
from onedata.factcheck.models import Article, ArticleRevision, Claim, Report, Review

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Claim, Review, Report, Article, ArticleRevision)]


def test_seed_twice_changes_nothing(regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    core_demo.seed()
    demo.seed()
    first = _counts()
    demo.seed()
    assert _counts() == first
    assert Review.objects.filter(status="published").count() == len(demo.CLAIMS)
    assert Article.objects.count() == len(demo.ARTICLES)
    assert ArticleRevision.objects.filter(kind="correction").count() == 1
    # the unchecked rumours reported twice are one claim on the desk
    assert Claim.objects.filter(status="new", report_count=2).exists()


def test_regency_desks_see_their_own_reports(regions, settings, tmp_path):
    from onedata.core.models import User
    from onedata.factcheck import permissions, selectors

    settings.MEDIA_ROOT = tmp_path
    core_demo.seed()
    demo.seed()
    badung = User.objects.get(username="cekfakta.badung")
    gianyar = User.objects.get(username="cekfakta.gianyar")
    shot = Report.objects.exclude(screenshot="").get()
    assert shot.regency.code == "51.03"
    assert permissions.can_view_screenshot(badung, shot)
    assert not permissions.can_view_screenshot(gianyar, shot)
    assert selectors.desk_claims(badung).filter(pk=shot.claim_id).exists()
    assert not selectors.desk_claims(gianyar).filter(pk=shot.claim_id).exists()
