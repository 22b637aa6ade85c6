"""Parallel postings never overdraw a fund nor overrun a blocking budget (threads on the
test database: row locks on PostgreSQL, IMMEDIATE transactions on SQLite)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import close_old_connections, connection

from onedata.core.errors import DomainError
from onedata.villagefinance import selectors
from onedata.villagefinance.models import DesaAdat, Entry

from .conftest import YEAR, spend

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


def _parallel(village_pk, actor, amount, tries, **extra):
    def one(_):
        close_old_connections()
        try:
            village = DesaAdat.objects.select_related("agency").get(pk=village_pk)
            spend(village, actor, amount, **extra)
            return "ok"
        except DomainError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(one, range(tries)))


def test_parallel_spending_never_takes_cash_below_zero(funded, treasurer):
    # Rp 10,000,000 in cash; 16 parallel spendings of Rp 1,000,000 on an unbudgeted account.
    outcomes = _parallel(funded.pk, treasurer, 1_000_000, 16, code="5.4.2")
    assert outcomes.count("ok") == 10
    assert selectors.balances(funded)["cash"] == 0
    numbers = list(Entry.objects.filter(desa_adat=funded).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 12


def test_parallel_spending_never_overruns_a_blocking_budget(funded, treasurer):
    DesaAdat.objects.filter(pk=funded.pk).update(budget_control="block")
    # Budget 5.1.1 is Rp 3,000,000: 12 parallel spendings of Rp 500,000 from the bank.
    outcomes = _parallel(funded.pk, treasurer, 500_000, 12, fund="bank", day=date(YEAR, 3, 1))
    assert outcomes.count("ok") == 6
    line = funded.budget_lines.get(account__code="5.1.1")
    assert line.realised == 3_000_000
    assert selectors.balances(funded)["bank"] == 47_000_000
