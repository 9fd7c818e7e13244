"""The vocabulary file as a user edits it: word lists read as words."""

from __future__ import annotations

import yaml

from dedupe.vocabulary import DEFAULT_VOCABULARY, WordsLoader, data_path, load_vocabulary


def test_on_off_yes_and_no_stay_words_in_a_word_list() -> None:
    # YAML 1.1 (PyYAML's safe_load) reads them as booleans: 'off' became the stopword 'false'.
    assert yaml.load("[on, off, yes, no, 'y']", Loader=WordsLoader) == ["on", "off", "yes", "no", "y"]
    assert yaml.load("{a: true, b: False, c: 3, d: 2.5, e: null}", Loader=WordsLoader) == {
        "a": True, "b": False, "c": 3, "d": 2.5, "e": None}
    assert yaml.safe_load("[on]") == [True]  # SafeLoader itself is left as it is


def test_the_bundled_vocabulary_keeps_every_listed_word(tmp_path) -> None:
    vocab = load_vocabulary()
    assert "off" in vocab.stopwords and "false" not in vocab.stopwords
    assert {"on", "off"} <= vocab.not_in_names and "true" not in vocab.not_in_names
    edited = tmp_path / "vocabulary.yml"
    text = data_path(DEFAULT_VOCABULARY).read_text(encoding="utf-8")
    edited.write_text(text.replace("stopwords: [the,", "stopwords: [yes, no, the,", 1), encoding="utf-8")
    assert {"yes", "no"} <= load_vocabulary(edited).stopwords
