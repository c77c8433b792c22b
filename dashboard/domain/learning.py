"""Decisions and the casussenboek: filters, review flags and counts (pure pandas).

URL filters arrive as untrusted strings (``st.query_params``); ``choose`` keeps only
values that exist, so a crafted link can never select something outside the options.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from dashboard.domain.vocab import DecisionOutcome, DecisionStatus, values

OUTCOMES = values(DecisionOutcome)
EVALUATED = DecisionStatus.EVALUATED.value


def due_for_review(decisions: pd.DataFrame, today: dt.date) -> pd.Series:
    """Decisions whose review date has come and that have not been evaluated yet."""
    review = pd.to_datetime(decisions["review_on"]).dt.date
    return review.notna() & (review <= today) & (decisions["status"] != EVALUATED)


def programme_options(decisions: pd.DataFrame) -> dict[str, str]:
    """The programmes of ``decisions`` for a filter: key -> name, by name."""
    rows = decisions.drop_duplicates("programme_key").sort_values("programme")
    return dict(zip(rows["programme_key"], rows["programme"], strict=True))


def area_options(decisions: pd.DataFrame) -> dict[str, str]:
    """The areas of ``decisions`` for a filter: key -> name, by name."""
    pairs = {k: n for keys, names in zip(decisions["area_keys"], decisions["areas"], strict=True)
             for k, n in zip(keys, names, strict=True)}
    return dict(sorted(pairs.items(), key=lambda kv: kv[1]))


def filter_decisions(decisions: pd.DataFrame, *, programme: str | None = None,
                     area: str | None = None, outcome: str | None = None,
                     body: str | None = None) -> pd.DataFrame:
    """Decisions matching every given filter (None = no filter): ``programme`` and
    ``area`` are keys (``programme_key``; ``area_keys`` holds lists)."""
    keep = pd.Series(True, index=decisions.index)
    if programme:
        keep &= decisions["programme_key"] == programme
    if area:
        keep &= decisions["area_keys"].map(lambda keys: area in keys)
    if outcome:
        keep &= decisions["outcome"] == outcome
    if body:
        keep &= decisions["body"] == body
    return decisions[keep]


def search_cases(cases: pd.DataFrame, *, text: str = "", knelpunten: Iterable[int] = (),
                 domains: Iterable[str] = (), area: str | None = None) -> pd.DataFrame:
    """Cases whose title, summary or lessons contain ``text`` (case-insensitive), in one of
    ``knelpunten``, crossing *all* of ``domains``, in ``area``."""
    keep = pd.Series(True, index=cases.index)
    needle = text.strip().casefold()
    if needle:
        haystack = (cases["code"] + " " + cases["title"] + " " + cases["summary"] + " "
                    + cases["lessons"]).str.casefold()
        keep &= haystack.str.contains(needle, regex=False)
    chosen = list(knelpunten)
    if chosen:
        keep &= cases["knelpunt"].isin(chosen)
    wanted = set(domains)
    if wanted:
        keep &= cases["domains"].map(lambda ds: wanted <= set(ds))
    if area:
        keep &= cases["area"] == area
    return cases[keep]


def cases_per_category_year(cases: pd.DataFrame) -> pd.DataFrame:
    """Number of cases per knelpunt and year recorded (every year in range, zeros included)."""
    if cases.empty:
        return pd.DataFrame(columns=["year", "knelpunt", "cases"])
    years = pd.to_datetime(cases["recorded_on"]).dt.year
    counts = cases.assign(year=years).groupby(["year", "knelpunt"]).size()
    full = pd.MultiIndex.from_product([range(years.min(), years.max() + 1),
                                       sorted(cases["knelpunt"].unique())],
                                      names=["year", "knelpunt"])
    return counts.reindex(full, fill_value=0).rename("cases").reset_index()


# A public lesson reads as three short paragraphs (SPEC: what was tried, what happened, in
# one number with a comparison, and what changes); the public card labels them.
LESSON_PARTS = ("Wat we probeerden", "Wat er gebeurde", "Wat er verandert")
LESSON_HELP = ("Drie korte alinea's, gescheiden door een lege regel: wat we probeerden; wat er "
               "gebeurde, in één getal met een vergelijking; wat er verandert. Gewone woorden, "
               "geen interne codes en geen namen.")


def lesson_parts(summary: str) -> list[tuple[str, str]]:
    """The public summary as the lesson's labelled parts: three paragraphs (separated by an
    empty line) get the labels of ``LESSON_PARTS``; any other text is one unlabelled part,
    so a summary written before the convention still reads as written."""
    paragraphs = [" ".join(p.split()) for p in summary.replace("\r\n", "\n").split("\n\n")]
    paragraphs = [p for p in paragraphs if p]
    if len(paragraphs) == len(LESSON_PARTS):
        return list(zip(LESSON_PARTS, paragraphs, strict=True))
    return [("", " ".join(paragraphs))]
