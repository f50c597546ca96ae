from shop.catalogue.search import alternatives, parse_query


def _vocab(words):
    by_length = {}
    for w in words:
        by_length.setdefault(len(w), []).append(w)
    return {"words": frozenset(words), "by_length": by_length}


def test_a_misspelt_word_also_searches_the_closest_catalogue_word():
    vocab = _vocab(["myofascial", "release", "trigger", "point"])
    assert alternatives("myofacial", vocab) == ["myofacial", "myofascial"]
    assert alternatives("triger", vocab) == ["triger", "trigger"]


def test_a_known_word_is_searched_as_it_is():
    assert alternatives("release", _vocab(["release", "releases"])) == ["release"]


def test_short_words_are_not_guessed_at():
    assert alternatives("ce", _vocab(["ce", "cd"])) == ["ce"]


def test_queries_are_cut_to_a_few_words():
    assert len(parse_query("a b c d e f g h i j k")) == 8
