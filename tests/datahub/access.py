"""What the data hub module expects for every role (see tests/access/matrix.py)."""

from tests.access.matrix import Case, public

CASES = {
    "datahub:home": [Case("GET", lambda w: "/data/", public)],
}
