"""What the clinic queue module expects for every role (see tests/access/matrix.py)."""

from tests.access.matrix import Case, public

CASES = {
    "clinics:home": [Case("GET", lambda w: "/antrean/", public)],
}
