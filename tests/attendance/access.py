"""What the attendance module expects for every role (see tests/access/matrix.py)."""

from tests.access.matrix import Case, public

CASES = {
    "attendance:home": [Case("GET", lambda w: "/presensi/", public)],
}
