"""Source date formats turned into UTC: W3C, HKEX dd/mm/yyyy HKT, Chinese dates, relative dates, epoch ms."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pharmadeals.scrapers.sources.dates import CST, parse_epoch_ms, parse_hkex, parse_loose, parse_w3c, utc_now


@pytest.mark.parametrize("value, expected", [
    ("2026-11-20", datetime(2026, 11, 20, tzinfo=UTC)),
    ("2026-11-20T08:30:00+08:00", datetime(2026, 11, 20, 0, 30, tzinfo=UTC)),
    ("2026-11-20T08:30Z", datetime(2026, 11, 20, 8, 30, tzinfo=UTC)),
    ("2026/11/20", datetime(2026, 11, 20, tzinfo=UTC)),
    ("", None),
    ("yesterday-ish", None),
])
def test_w3c(value: str, expected: datetime | None) -> None:
    assert parse_w3c(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("17/07/2026 08:13", datetime(2026, 7, 17, 0, 13, tzinfo=UTC)),
    ("31/02/2026 08:13", None),
    ("2026-07-17", None),
])
def test_hkex(value: str, expected: datetime | None) -> None:
    assert parse_hkex(value) == expected


@pytest.mark.parametrize("value, expected", [
    (1795104000000, datetime(2026, 11, 19, 16, 0, tzinfo=UTC)),
    ("1795104000000", datetime(2026, 11, 19, 16, 0, tzinfo=UTC)),
    (None, None),
    (True, None),
    ("soon", None),
])
def test_epoch_ms(value: object, expected: datetime | None) -> None:
    assert parse_epoch_ms(value) == expected


@pytest.mark.parametrize("text, expected", [
    ("发布时间：2026年11月20日 10:30", datetime(2026, 11, 20, 2, 30, tzinfo=UTC)),
    ("2026-11-20 10:30:15", datetime(2026, 11, 20, 2, 30, 15, tzinfo=UTC)),
    ("2026.11.20", datetime(2026, 11, 19, 16, 0, tzinfo=UTC)),
    ("no date here", None),
    ("2026年13月40日", None),
])
def test_loose_beijing_time(text: str, expected: datetime | None) -> None:
    assert parse_loose(text, CST) == expected


@pytest.mark.parametrize("text, ago", [("3 小时前", timedelta(hours=3)), ("15分钟前", timedelta(minutes=15)),
                                       ("2 days ago", timedelta(days=2)), ("1 hour ago", timedelta(hours=1))])
def test_relative(text: str, ago: timedelta) -> None:
    got = parse_loose(text)
    assert got is not None and abs((utc_now() - got) - ago) < timedelta(seconds=5)
