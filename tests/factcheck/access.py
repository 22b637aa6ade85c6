"""What the fact check module expects for every role (see tests/access/matrix.py)."""

from tests.access.matrix import Case, public

CASES = {
    "factcheck:home": [Case("GET", lambda w: "/cek-fakta/", public)],
}
