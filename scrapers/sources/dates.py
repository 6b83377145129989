"""Dates as sources write them (W3C, dd/mm/yyyy HKT, 2026年11月20日, "3 小时前", epoch ms) turned into UTC."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

HKT = ZoneInfo("Asia/Hong_Kong")
CST = ZoneInfo("Asia/Shanghai")
NUMERIC_DATE = re.compile(
    r"(?P<y>20\d{2}|19\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[\sT]*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?")
RELATIVE = re.compile(r"(?P<n>\d+)\s*(?P<unit>分钟|分鐘|小时|小時|天|日|minutes?|mins?|hours?|days?)\s*(?:前|ago)", re.IGNORECASE)
UNIT_SECONDS = {"分钟": 60, "分鐘": 60, "小时": 3600, "小時": 3600, "天": 86400, "日": 86400,
                "minute": 60, "minutes": 60, "min": 60, "mins": 60, "hour": 3600, "hours": 3600,
                "day": 86400, "days": 86400}


def utc_now() -> datetime:
    return datetime.now(UTC)


def parse_w3c(value: str | None) -> datetime | None:
    """W3C/ISO dates from sitemaps and APIs ('2026-11-20', '2026-11-20T08:30:00+08:00', '...Z')."""
    if not value:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return parse_loose(text, UTC)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_hkex(value: str | None) -> datetime | None:
    """HKEX 'dd/mm/yyyy HH:MM' in Hong Kong time."""
    if not value:
        return None
    try:
        return datetime.strptime(value.strip(), "%d/%m/%Y %H:%M").replace(tzinfo=HKT).astimezone(UTC)
    except ValueError:
        return None


def parse_epoch_ms(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        return datetime.fromtimestamp(float(value) / 1000, tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None


def parse_loose(text: str | None, zone: timezone | ZoneInfo = CST) -> datetime | None:
    """The first date in free text (listing pages): numeric dates in `zone`, or '3 小时前'/'2 days ago'."""
    if not text:
        return None
    match = NUMERIC_DATE.search(text)
    if match:
        try:
            local = datetime(int(match["y"]), int(match["m"]), int(match["d"]), int(match["H"] or 0),
                             int(match["M"] or 0), int(match["S"] or 0), tzinfo=zone)
        except ValueError:
            return None
        return local.astimezone(UTC)
    rel = RELATIVE.search(text)
    if rel:
        unit = rel["unit"].lower()
        return utc_now() - timedelta(seconds=int(rel["n"]) * UNIT_SECONDS.get(unit, UNIT_SECONDS.get(unit + "s", 0)))
    return None
