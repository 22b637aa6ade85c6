"""What the village finance (sikuat) module expects for every role (see tests/access/matrix.py)."""

from tests.access.matrix import Case, public

CASES = {
    "villagefinance:home": [Case("GET", lambda w: "/sikuat/", public)],
}
