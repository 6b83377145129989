"""Script-independent keys for new company names (pinyin of the Chinese core vs the English core)."""
from __future__ import annotations

import pytest

from pharmadeals.pipeline.normalize.romanise import matching_keys, romanised_key, romanised_keys


@pytest.mark.parametrize(("english", "chinese"), [
    ("Nanjing Kanglin Biotech", "南京康霖生物科技有限公司"),
    ("Shanghai Yaotai Biopharma", "上海耀泰生物医药"),
    ("Hangzhou Duoyuan Biotech Co., Ltd.", "杭州多元生物科技"),
    ("Hongyuan Biologics", "泓遠生物科技"),  # traditional characters read the same
    ("Guangzhou Hengshi Pharmaceutical", "廣州衡石醫藥"),  # a traditional place name is dropped by its pinyin
])
def test_english_and_chinese_names_meet_in_the_other_script(english: str, chinese: str) -> None:
    en, zh = romanised_key(english), romanised_key(chinese)
    assert en is not None and zh is not None
    assert zh in matching_keys(en) and en in matching_keys(zh)


@pytest.mark.parametrize("name", ["Acme Bio", "Shanghai Pharma", "生物医药", "上海医药", "Zhejiang Biotech"])
def test_names_without_a_long_distinctive_core_get_no_key(name: str) -> None:
    assert romanised_key(name) is None


def test_keys_differ_by_script() -> None:
    assert romanised_key("Kanglin Biotech") != romanised_key("康霖生物")


def test_a_chinese_short_name_matches_its_full_name_but_english_names_do_not_match_each_other() -> None:
    short, full = romanised_key("泓屿生物"), romanised_key("上海泓屿生物科技有限公司")
    assert short is not None and full in matching_keys(short)
    one, two = romanised_key("Duality Biologics"), romanised_key("Duality Therapeutics")
    assert one is not None and two not in matching_keys(one)


def test_a_city_opening_an_english_name_is_dropped_like_its_chinese_form() -> None:
    en, zh = romanised_key("Dalian Haiyun Biotech"), romanised_key("海昀生物")
    assert en is not None and zh is not None and zh in matching_keys(en)


def test_a_polyphonic_character_is_read_every_way() -> None:
    """晟 reads 'cheng' by default; the firm spells itself 'Kaisheng'."""
    en = romanised_key("Jinan Kaisheng Pharmaceutical")
    assert en is not None and any(zh in matching_keys(en) for zh in romanised_keys("濟南凱晟藥業"))
