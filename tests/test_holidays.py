import datetime as dt
from pathlib import Path

import pytest

from dedupe.holidays import fold_holiday, holiday_day, holiday_words, holidays_by_fold, load_holidays


def day_of(name: str, year: int) -> dt.date:
    return holiday_day(holidays_by_fold()[fold_holiday(name)].rule, year)


def test_fixed_weekday_and_easter_rules() -> None:
    assert day_of("Christmas Eve", 2016) == dt.date(2016, 12, 24)
    assert day_of("Thanksgiving", 2015) == dt.date(2015, 11, 26)  # fourth Thursday
    assert day_of("Black Friday", 2015) == dt.date(2015, 11, 27)  # the day after
    assert day_of("Memorial Day", 2016) == dt.date(2016, 5, 30)  # last Monday of May
    assert day_of("Labor Day", 2015) == dt.date(2015, 9, 7)
    assert day_of("Easter Sunday", 2015) == dt.date(2015, 4, 5)
    assert day_of("Good Friday", 2016) == dt.date(2016, 3, 25)


def test_names_fold_apostrophes_and_case() -> None:
    assert fold_holiday("New Year’s  Eve") == fold_holiday("NEW YEARS EVE") == "new years eve"
    assert holidays_by_fold()["new years eve"].rule == ("fixed", 12, 31)


def test_names_often_no_date_are_not_bare() -> None:
    by = holidays_by_fold()
    assert not by["christmas"].bare and by["christmas day"].bare
    assert not by["easter"].bare and by["easter sunday"].bare


def test_every_name_holds_a_word_the_pattern_prefilter_knows() -> None:
    words = holiday_words()
    assert "year" in words  # "New Year's Eve" holds 'year', not "years"
    for name in load_holidays():
        low = name.lower()
        assert any(w in low for w in words), name


def test_a_malformed_entry_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "holidays.yml"
    bad.write_text("holidays:\n  - names: [Foo Day]\n    date: {month: 5, weekday: Funday, nth: 2}\n")
    with pytest.raises(ValueError, match="weekday"):
        load_holidays(bad)
