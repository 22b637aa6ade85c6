"""What the hospitals module expects for every role (see tests/access/matrix.py)."""

from tests.access.matrix import Case, public

CASES = {
    "hospitals:home": [Case("GET", lambda w: "/rumah-sakit/", public)],
}
