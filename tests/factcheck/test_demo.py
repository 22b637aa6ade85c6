"""The demo data: real-shaped claims with verdicts, reports, articles; idempotent."""

import pytest

from onedata.core import demo as core_demo
from onedata.factcheck import demo
from onedata.factcheck.models import Article, ArticleRevision, Claim, Report, Review

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Claim, Review, Report, Article, ArticleRevision)]


def test_seed_twice_changes_nothing(regions):
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
