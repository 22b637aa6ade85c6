"""TPP (Tambahan Penghasilan Pegawai), the monthly performance allowance. No Django.

The rule (every number configurable through ``Rule``):

- ``base``: the full monthly amount for the employee's position or grade, whole rupiah.
- The base splits into a fixed part and an attendance part (``attendance_share``, in basis
  points: 4000 = 40 %). Only the attendance part is reduced.
- Each day adds a deduction in basis points of the attendance part: TL1/PSW1 0.5 %,
  TL2/PSW2 1 %, TL3/PSW3 1.5 %, TL4/PSW4 2 % per occurrence (a day can carry one TL and
  one PSW), an absent day 4 % (and no TL/PSW on that day). Leave, sick, official travel,
  work from home, holidays and days off deduct nothing.
- The month's total is capped (``cap``, default 100 % of the attendance part).
- Deduction in rupiah = attendance part x capped basis points / 10000, rounded down (in
  the employee's favour). Paid = base - deduction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

BP = 10_000  # basis points in 100 %


@dataclass(frozen=True)
class Rule:
    attendance_share: int = 4000
    tl: tuple[int, int, int, int] = (50, 100, 150, 200)
    psw: tuple[int, int, int, int] = (50, 100, 150, 200)
    absent: int = 400
    cap: int = BP

    def __post_init__(self):
        values = [self.attendance_share, self.absent, self.cap, *self.tl, *self.psw]
        if any(v < 0 for v in values) or self.attendance_share > BP or self.cap > BP:
            raise ValueError("basis points must be within 0..10000")


@dataclass(frozen=True)
class Day:
    day: date
    status: str  # rules.DayStatus value
    tl: int = 0
    psw: int = 0


@dataclass(frozen=True)
class Deduction:
    day: date
    reason: str  # "TL1".."TL4", "PSW1".."PSW4", "absent"
    basis_points: int


@dataclass(frozen=True)
class Allowance:
    base: int
    fixed_part: int
    attendance_part: int
    deductions: list[Deduction] = field(default_factory=list)
    total_bp: int = 0
    capped_bp: int = 0
    deduction: int = 0
    paid: int = 0

    @property
    def capped(self) -> bool:
        return self.capped_bp < self.total_bp


def compute(base: int, days: Iterable[Day], rule: Rule = Rule()) -> Allowance:
    if base < 0:
        raise ValueError("base must not be negative")
    attendance_part = base * rule.attendance_share // BP
    fixed_part = base - attendance_part
    lines: list[Deduction] = []
    for item in sorted(days, key=lambda d: d.day):
        if item.status == "absent":
            lines.append(Deduction(item.day, "absent", rule.absent))
            continue
        if item.status != "present":
            continue
        if 1 <= item.tl <= 4:
            lines.append(Deduction(item.day, f"TL{item.tl}", rule.tl[item.tl - 1]))
        if 1 <= item.psw <= 4:
            lines.append(Deduction(item.day, f"PSW{item.psw}", rule.psw[item.psw - 1]))
    total = sum(line.basis_points for line in lines)
    capped = min(total, rule.cap)
    deduction = attendance_part * capped // BP
    return Allowance(
        base=base,
        fixed_part=fixed_part,
        attendance_part=attendance_part,
        deductions=lines,
        total_bp=total,
        capped_bp=capped,
        deduction=deduction,
        paid=base - deduction,
    )


def percent(basis_points: int) -> str:
    """``50`` -> ``0.5``; ``400`` -> ``4``."""
    whole, rest = divmod(basis_points, 100)
    return f"{whole}" if not rest else f"{whole}.{rest:02d}".rstrip("0")
