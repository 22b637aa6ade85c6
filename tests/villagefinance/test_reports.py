"""Report arithmetic on hand-computed cases."""

from datetime import date

from onedata.villagefinance import reports


def test_cash_book_runs_the_balance_from_the_opening():
    book = reports.cash_book(
        1_000,
        [
            {"date": date(2025, 1, 2), "money_in": 500},
            {"date": date(2025, 1, 3), "money_out": 300},
            {"date": date(2025, 1, 4), "money_out": 1_200},
        ],
    )
    assert [row.balance for row in book.rows] == [1_500, 1_200, 0]
    assert (book.total_in, book.total_out, book.closing) == (500, 1_500, 0)


def test_percent_is_none_without_a_budget_and_rounds_to_one_decimal():
    assert reports.percent(5, 0) is None
    assert reports.percent(1, 3) == 33.3
    assert reports.percent(3_000_000, 2_000_000) == 150.0


def test_realisation_groups_accounts_and_sums_a_hand_computed_year():
    accounts = [
        {"code": "4.1.1", "name": "BKK", "kind": "income", "group": "4.1"},
        {"code": "4.3.1", "name": "Punia", "kind": "income", "group": "4.3"},
        {"code": "5.1.1", "name": "Upacara", "kind": "spending", "group": "5.1"},
        {"code": "5.1.2", "name": "Pura", "kind": "spending", "group": "5.1"},
        {"code": "5.3.1", "name": "Sampah", "kind": "spending", "group": "5.3"},
    ]
    budgets = {"4.1.1": 300_000_000, "5.1.1": 120_000_000, "5.1.2": 80_000_000}
    actuals = {"4.1.1": 200_000_000, "4.3.1": 15_000_000, "5.1.1": 90_000_000, "5.1.2": 10_000_000}
    groups = {"4.1": "Hibah", "4.3": "Punia", "5.1": "Parahyangan", "5.3": "Palemahan"}
    result = reports.realisation(accounts, budgets, actuals, groups)
    assert [g.code for g in result.groups] == ["4.1", "4.3", "5.1"]  # 5.3 empty: left out
    parahyangan = result.groups[2]
    assert (parahyangan.budget, parahyangan.actual) == (200_000_000, 100_000_000)
    assert parahyangan.percent == 50.0
    assert parahyangan.lines[0].remaining == 30_000_000
    assert result.total("income") == (300_000_000, 215_000_000)
    assert result.surplus == (100_000_000, 115_000_000)
    assert result.groups[1].percent is None  # punia had no budget


def test_budget_check():
    assert reports.budget_check(budget=None, realised=0, amount=1) == "none"
    assert reports.budget_check(budget=100, realised=60, amount=40) == "ok"
    assert reports.budget_check(budget=100, realised=60, amount=41) == "over"
