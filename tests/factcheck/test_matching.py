"""The pure matching module: normalisation, stemming, typo correction, scoring."""

from onedata.factcheck import matching


def test_normalise_removes_links_repeats_and_spells_out_chat_slang():
    text = "BAHAYAAAA!!! yg divaksin gak bisa... https://bit.ly/x c0vid"
    assert matching.normalise(text) == "bahaya yang divaksin tidak bisa covid"


def test_terms_stem_indonesian_affixes_and_fold_synonyms():
    assert matching.terms("Vaksinasi mengandung mikrocip untuk melacak") == [
        "vaksin",
        "kandung",
        "chip",
        "lacak",
    ]


def test_terms_understand_colloquial_affixes():
    assert matching.terms("nyembuhin") == ["sembuh"]
    assert matching.terms("ngelacak") == ["lacak"]


def test_terms_drop_forwarded_message_chatter():
    assert matching.terms("Tolong sebarkan ke grup keluarga!!! info penting") == []


def test_fingerprint_ignores_order_case_and_repeats():
    assert matching.fingerprint("Vaksin mengandung CHIP") == matching.fingerprint(
        "chip!!! mengandung vaksinnn"
    )


def test_correct_replaces_a_typo_by_the_closest_known_term():
    vocabulary = {"vaksin": 3, "kandung": 1, "chip": 2}
    assert matching.correct(["vaksn", "kandng", "zzzzz"], vocabulary) == [
        "vaksin",
        "kandung",
        "zzzzz",
    ]


def test_correct_leaves_short_unknown_terms_as_they_are():
    assert matching.correct(["ab"], {"abc": 1}) == ["ab"]


def test_idf_weighs_rare_terms_more():
    vocabulary = {"covid": 9, "chip": 1}
    assert matching.idf("chip", vocabulary, 10) > matching.idf("covid", vocabulary, 10)


def test_score_is_full_for_the_same_terms():
    value, coverage = matching.score(["vaksin", "chip"], ["vaksin", "chip"], {}, 1)
    assert (value, coverage) == (1.0, 1.0)


def test_score_is_zero_without_shared_terms():
    value, coverage = matching.score(["bola"], ["vaksin", "chip"], {}, 1)
    assert coverage == 0.0 and value < 0.3


def test_long_message_is_judged_by_how_much_of_the_claim_it_covers():
    claim = ["5g", "sebar", "virus", "covid"]
    message = claim + [f"kata{i}" for i in range(30)]
    value, coverage = matching.score(message, claim, {}, 1)
    assert coverage == 1.0 and value > 0.75


def test_rank_orders_best_first_and_drops_weak_matches():
    vocabulary = {"vaksin": 2, "chip": 1, "mandul": 1}
    ranked = matching.rank(
        ["vaksin", "chip"],
        [(1, ["vaksin", "mandul"]), (2, ["vaksin", "chip"]), (3, ["bola"])],
        vocabulary,
        3,
    )
    assert [r.key for r in ranked] == [2, 1]
