"""Last year's filing of the same department, as this year's checks need it.

A filing states its figures against last year's ("比2024年预算增加3,355.65万元"); the
previous year's filing states those figures itself.  ``YearProfile`` keeps what the
cross-year rule (rules/core/crossyear.py, Y001) compares: who filed it, for which year
and of which kind, and every amount its narrative states, by subject.

The previous filing is given with ``--previous FILE``, or found among the other inputs
of the same run (same department, kind and scope, the year before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Sequence

from ..model import Amount, Claim, Span

if TYPE_CHECKING:  # pragma: no cover
    from .linter import Linter

_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")
_NOISE = re.compile(r"[\s“”\"'（）()]|预算数|决算数|预算|决算|本年|全年|当年|年度")


def subject_key(subject: str | None) -> str:
    """A subject as both years write it: no year, no 预算/决算 wording, no spaces."""
    if not subject:
        return ""
    return _NOISE.sub("", _YEAR.sub("", subject))


@dataclass
class YearProfile:
    path: str
    department: str | None
    year: int | None
    kind: str | None
    scope: str | None
    # subject key -> every (amount, span) the narrative states for it
    amounts: dict[str, list[tuple[Amount, Span]]] = field(default_factory=dict)

    def value_of(self, key: str) -> tuple[Amount, Span] | None:
        """The one value stated for ``key`` (None when absent or stated differently)."""
        found = self.amounts.get(key) or []
        values = {a.value for a, _ in found}
        return found[0] if len(values) == 1 else None


def profile_from(path: str, metadata: dict, claims: Iterable[Claim]) -> YearProfile:
    p = YearProfile(path, metadata.get("department"), metadata.get("report_year"), metadata.get("kind"),
                    metadata.get("scope"))
    for c in claims:
        if c.kind == "amount" and "amount" in c.values:
            key = subject_key(c.subject)
            if key:
                span = c.spans.get("amount", c.span) if c.spans else c.span
                p.amounts.setdefault(key, []).append((c.values["amount"], span))
    return p


def same_filer(a: YearProfile, b: YearProfile) -> bool:
    return bool(a.department) and a.department == b.department and a.kind == b.kind and a.scope == b.scope


def find_previous(current: YearProfile, candidates: Sequence[YearProfile]) -> YearProfile | None:
    """The candidate that is this filer's filing of the year before (one, or none)."""
    if not current.year:
        return None
    hits = [c for c in candidates if c.path != current.path and c.year == current.year - 1 and same_filer(c, current)]
    return hits[0] if len(hits) == 1 else None


# Full profiles kept per process.  A run pairs each filing with at most one other, so a
# few recent ones are enough; more would make memory grow with the number of files.
_KEEP = 32


def _state(linter: "Linter") -> dict:
    """Per-linter pairing state: the report year of every input looked at (cheap: read,
    no recognition), who filed each profiled input, and the last few full profiles."""
    state = linter.__dict__.get("_pairing")
    if state is None:
        from collections import OrderedDict

        state = linter.__dict__["_pairing"] = {"years": {}, "filers": {}}
        linter.__dict__["_profiles"] = OrderedDict()
    return state


def remember(linter: "Linter", profile: YearProfile) -> None:
    """Record ``profile`` (a file just linted or profiled) for later pairing."""
    state = _state(linter)
    state["years"][profile.path] = profile.year
    state["filers"][profile.path] = (profile.department, profile.kind, profile.scope)
    kept = linter.__dict__["_profiles"]
    kept[profile.path] = profile
    kept.move_to_end(profile.path)
    while len(kept) > _KEEP:
        kept.popitem(last=False)


def profile_file(linter: "Linter", path: str) -> YearProfile | None:
    """Read, recognize and extract the claims of ``path`` (no rules); the last few are kept."""
    _state(linter)
    kept = linter.__dict__["_profiles"]
    if path in kept:
        kept.move_to_end(path)
        return kept[path]
    try:
        profile = linter.profile(path)
    except Exception:  # a candidate that cannot be read simply pairs with nothing
        state = _state(linter)
        state["years"][path], state["filers"][path] = None, None
        return None
    remember(linter, profile)
    return profile


def year_of(linter: "Linter", path: str) -> int | None:
    """The report year of ``path``, read from its text alone (as ``read_metadata`` does,
    without recognizing tables), once per process."""
    years = _state(linter)["years"]
    if path not in years:
        from ..recognize import read_metadata

        try:
            document = linter.read(path)
            document.metadata.update(read_metadata(document, ()))
            years[path] = document.metadata.get("report_year")
        except Exception:
            years[path] = None
    return years[path]


def know_years(linter: "Linter", years: dict[str, int | None]) -> None:
    """Record the report years of inputs read elsewhere (a process pool reads each
    input's year once, before the workers start: lint/parallel.py)."""
    _state(linter)["years"].update(years)


def previous_among(linter: "Linter", current: YearProfile, others: Sequence[str]) -> YearProfile | None:
    """This filer's filing of the year before among ``others`` (one, or none).

    Only inputs of the year before are recognized (most runs hold one year: then none
    is), and each of them once per process; a corpus of N filings is not N x N work."""
    if not current.year:
        return None
    filers = _state(linter)["filers"]
    want = (current.department, current.kind, current.scope)
    candidates = []
    for path in others:
        if year_of(linter, path) != current.year - 1:
            continue
        if path in filers and filers[path] != want:
            continue
        profile = profile_file(linter, path)
        if profile is not None:
            candidates.append(profile)
    return find_previous(current, candidates)
