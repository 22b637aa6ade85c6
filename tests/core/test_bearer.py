"""Bearer secrets: random, found by prefix, checked by hash in constant time."""

from onedata.core import bearer


def test_issued_secret_carries_its_marker_and_prefix():
    secret = bearer.issue("od_")
    assert secret.plaintext.startswith(f"od_{secret.prefix}_")
    assert bearer.prefix_of(secret.plaintext, "od_") == secret.prefix
    assert bearer.matches(secret.digest, secret.plaintext)


def test_secret_of_another_kind_or_altered_does_not_match():
    secret = bearer.issue("odn_")
    assert bearer.prefix_of(secret.plaintext, "od_") is None
    assert bearer.prefix_of("odn_", "odn_") is None
    assert not bearer.matches(secret.digest, secret.plaintext + "x")


def test_two_secrets_never_share_a_prefix_in_practice():
    prefixes = {bearer.issue("od_").prefix for _ in range(1000)}
    assert len(prefixes) == 1000
