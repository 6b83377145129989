"""Trend and breakdown reports, computed only from the `deal_summary` view so SQL users and reports agree.

Every report carries its scope: the rules it applied (in words and as the SQL WHERE clause over
deal_summary) and the deal ids it counted, because published figures differ by up to 30% on scope alone.
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Date, Engine, bindparam, text

from pharmadeals.models.records import GREATER_CHINA

PERIODS = ("half", "quarter", "year")
BREAKDOWNS = ("deal_type", "territory", "licensee_country", "licensor", "licensee")
# --scope: which headquarters count as "China" (of the licensor for out-licensing, the licensee for
# in-licensing, either party otherwise).
SCOPE_COUNTRIES: dict[str, tuple[str, ...] | None] = {
    "mainland": ("CN",),
    "china": tuple(sorted(GREATER_CHINA)),
    "all": None,
}
# --exclude: a term matches when any of its keywords appears in the deal's assets or in the evidence
# sentences of any supporting article (deal_sources.evidence). Other terms are matched literally.
EXCLUDE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "biosimilar": ("biosimilar", "生物类似药", "生物类似物"),
    "generic": ("generic", "仿制药"),
    "vaccine": ("vaccine", "疫苗"),
}
COLUMNS = ("deal_id", "announced_on", "licensor", "licensor_country", "licensee", "licensee_country",
           "direction", "deal_type", "territory", "assets", "upfront_usd", "milestones_usd", "total_usd",
           "equity_usd")
UNKNOWN = "(unknown)"


@dataclass(frozen=True)
class Scope:
    """Which deals a report counts; `rules()` says it in words and `where()` in SQL."""

    direction: str | None = "out"
    deal_types: tuple[str, ...] = ()
    territories: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    company: str | None = None
    region: str = "all"
    disclosed_only: bool = False
    exclude: tuple[str, ...] = ()
    newco: bool = True

    def rules(self) -> list[str]:
        countries = SCOPE_COUNTRIES[self.region]
        out = [f"direction = {self.direction}" if self.direction else "direction: any",
               f"{self.chinese_party()} headquartered in {'/'.join(countries)} (--scope {self.region})" if countries
               else "headquarters anywhere (--scope all)"]
        if self.deal_types:
            out.append(f"deal_type in {', '.join(self.deal_types)}")
        if self.territories:
            out.append(f"territory in {', '.join(self.territories)}")
        if self.since or self.until:
            out.append(f"announced {self.since or '…'} to {self.until or '…'}")
        if self.company:
            out.append(f"licensor or licensee name contains {self.company!r}")
        out.append("NewCo deals included" if self.newco else "NewCo deals excluded")
        out.append("only deals with a disclosed total (total_usd not null)" if self.disclosed_only
                   else "deals without a disclosed value counted, adding 0 to sums")
        for term in self.exclude:
            words = ", ".join(EXCLUDE_KEYWORDS.get(term, (term,)))
            out.append(f"excluded {term}: assets or evidence mention {words}")
        out.append("rejected deals never counted (deal_summary hides them)")
        return out

    def chinese_party(self) -> str:
        """Whose headquarters --scope tests: the licensor of out-licensing, the licensee of in-licensing."""
        return {"out": "licensor", "in": "licensee"}.get(self.direction or "", "licensor or licensee")

    def summary(self) -> str:
        """A short ASCII phrase for chart footnotes."""
        parts = [f"{self.direction}-licensing" if self.direction else "all directions"]
        countries = SCOPE_COUNTRIES[self.region]
        parts.append(f"{self.chinese_party()} HQ {'/'.join(countries)}" if countries else "any headquarters")
        parts += [f"deal model {'/'.join(self.deal_types)}"] if self.deal_types else []
        parts += [f"territory {'/'.join(self.territories)}"] if self.territories else []
        if self.since or self.until:
            parts.append(f"announced {self.since or '...'} to {self.until or '...'}")
        parts += [f"company ~ {self.company}"] if self.company else []
        parts += ["NewCo excluded"] if not self.newco else []
        parts += ["disclosed totals only"] if self.disclosed_only else []
        parts += [f"excluding {', '.join(self.exclude)}"] if self.exclude else []
        return ", ".join(parts)

    def where(self) -> tuple[str, dict[str, Any]]:
        """The WHERE clause over `deal_summary ds` and its bound parameters."""
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if self.direction:
            clauses.append("ds.direction = :direction")
            params["direction"] = self.direction
        countries = SCOPE_COUNTRIES[self.region] or ()
        if self.chinese_party() == "licensor or licensee":
            _in(clauses, params, "ds.licensor_country", "country", countries)
            if countries:  # either side may be the Chinese party
                either = clauses.pop()
                _in(clauses, params, "ds.licensee_country", "lcountry", countries)
                clauses.append(f"({either} OR {clauses.pop()})")
        else:
            _in(clauses, params, f"ds.{self.chinese_party()}_country", "country", countries)
        _in(clauses, params, "ds.deal_type", "deal_type", self.deal_types)
        _in(clauses, params, "ds.territory", "territory", self.territories)
        if self.since:
            clauses.append("ds.announced_on >= :since")
            params["since"] = self.since
        if self.until:
            clauses.append("ds.announced_on <= :until")
            params["until"] = self.until
        if self.company:
            clauses.append("(LOWER(ds.licensor) LIKE :company OR LOWER(ds.licensee) LIKE :company)")
            params["company"] = f"%{self.company.lower()}%"
        if not self.newco:
            clauses.append("ds.deal_type <> 'newco'")
        if self.disclosed_only:
            clauses.append("ds.total_usd IS NOT NULL")
        for i, word in enumerate(w for term in self.exclude for w in EXCLUDE_KEYWORDS.get(term, (term,))):
            params[f"kw{i}"] = f"%{word.lower()}%"
            clauses.append(f"NOT (LOWER(COALESCE(ds.assets, '')) LIKE :kw{i} OR EXISTS (SELECT 1 FROM "
                           f"deal_sources s WHERE s.deal_id = ds.deal_id AND LOWER(s.evidence) LIKE :kw{i}))")
        return (" AND ".join(clauses) or "1 = 1"), params


def _in(clauses: list[str], params: dict[str, Any], column: str, name: str, values: tuple[str, ...]) -> None:
    if not values:
        return
    names = [f"{name}{i}" for i in range(len(values))]
    clauses.append(f"{column} IN ({', '.join(':' + n for n in names)})")
    params.update(zip(names, values))


def scope_sql(scope: Scope) -> str:
    """The SELECT a SQL user can paste into `pharmadeals query` to see the same deals."""
    where, params = scope.where()
    for name in sorted(params, key=len, reverse=True):
        value = params[name]
        literal = f"'{value.isoformat()}'" if isinstance(value, date) else "'" + str(value).replace("'", "''") + "'"
        where = where.replace(f":{name}", literal)
    return f"SELECT * FROM deal_summary ds WHERE {where} ORDER BY ds.announced_on, ds.deal_id"


def fetch_deals(engine: Engine, scope: Scope) -> list[dict[str, Any]]:
    """The deal_summary rows in scope, oldest first."""
    where, params = scope.where()
    stmt = text(f"SELECT {', '.join('ds.' + c for c in COLUMNS)} FROM deal_summary ds WHERE {where} "
                "ORDER BY ds.announced_on, ds.deal_id")
    stmt = stmt.bindparams(*[bindparam(n, type_=Date) for n in ("since", "until") if n in params])
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt, params)]
    for row in rows:
        row["announced_on"] = _as_date(row["announced_on"])
    return rows


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def period_of(day: date, period: str) -> str:
    if period == "year":
        return str(day.year)
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


def _periods_between(first: date, last: date, period: str) -> list[str]:
    step = {"year": 12, "quarter": 3, "half": 6}[period]
    out: list[str] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        label = period_of(date(year, month, 1), period)
        if label not in out:
            out.append(label)
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    if period_of(last, period) not in out:
        out.append(period_of(last, period))
    return out


@dataclass
class Report:
    """A computed report: rows plus the scope that produced them."""

    kind: str
    scope: Scope
    rows: list[dict[str, Any]]
    deal_ids: list[int]
    undated_ids: list[int] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"report": self.kind, **self.options,
                "scope": {"rules": self.scope.rules(), "sql": scope_sql(self.scope),
                          "deal_count": len(self.deal_ids), "deal_ids": self.deal_ids,
                          "undated_deal_ids": self.undated_ids},
                "rows": self.rows}


def _sum(deals: list[dict[str, Any]], column: str) -> float:
    return float(sum(d[column] for d in deals if d[column] is not None))


def upfront_share(deals: list[dict[str, Any]]) -> float | None:
    """Median of upfront / total over deals that disclose both."""
    shares = [d["upfront_usd"] / d["total_usd"] for d in deals if d["upfront_usd"] is not None and d["total_usd"]]
    return round(statistics.median(shares), 4) if shares else None


def trends(engine: Engine, scope: Scope, period: str = "half") -> Report:
    """Per period: deal count, upfront/total/equity sums, median upfront share, totals by deal model."""
    deals = fetch_deals(engine, scope)
    dated = [d for d in deals if d["announced_on"] is not None]
    buckets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for deal in dated:
        buckets[period_of(deal["announced_on"], period)].append(deal)
    labels = _periods_between(dated[0]["announced_on"], dated[-1]["announced_on"], period) if dated else []
    rows = []
    for label in labels:
        group = buckets.get(label, [])
        by_type: dict[str, float] = defaultdict(float)
        for deal in group:
            by_type[deal["deal_type"]] += deal["total_usd"] or 0.0
        rows.append({"period": label, "deals": len(group), "upfront_usd": _sum(group, "upfront_usd"),
                     "total_usd": _sum(group, "total_usd"), "equity_usd": _sum(group, "equity_usd"),
                     "median_upfront_share": upfront_share(group), "total_by_deal_type": dict(by_type),
                     "deal_ids": [d["deal_id"] for d in group]})
    return Report("trends", scope, rows, [d["deal_id"] for d in dated],
                  [d["deal_id"] for d in deals if d["announced_on"] is None], {"period": period})


def breakdown(engine: Engine, scope: Scope, by: str = "deal_type", top: int = 10) -> Report:
    """Deals grouped by one column, largest total first, top N groups."""
    if by not in BREAKDOWNS:
        raise ValueError(f"cannot break down by {by!r}; choose one of {', '.join(BREAKDOWNS)}")
    deals = fetch_deals(engine, scope)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for deal in deals:
        groups[deal[by] or UNKNOWN].append(deal)
    grand = _sum(deals, "total_usd")
    rows: list[dict[str, Any]] = [{by: key, "deals": len(group), "upfront_usd": _sum(group, "upfront_usd"),
             "total_usd": _sum(group, "total_usd"), "equity_usd": _sum(group, "equity_usd"),
             "share_of_total": round(_sum(group, "total_usd") / grand, 4) if grand else None,
             "median_upfront_share": upfront_share(group), "deal_ids": [d["deal_id"] for d in group]}
            for key, group in groups.items()]
    rows.sort(key=lambda r: (-r["total_usd"], -r["deals"], str(r[by])))
    counted = rows[:top]
    return Report("breakdown", scope, counted, sorted(i for r in counted for i in r["deal_ids"]),
                  options={"by": by, "top": top, "groups": len(rows)})
