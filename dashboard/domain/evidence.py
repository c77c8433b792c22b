"""Evidence behind decisions (SPEC §5): linked series analysed with the SPC rules, and the
evidence-strength label (*bewijskracht*) computed from them, never typed by hand.

Pure functions without Streamlit. The SPC rules live in ``dashboard.domain.spc``, what a signal
means for an indicator in ``dashboard.domain.verdicts``, effect sizes in ``dashboard.domain.effects``.

Evidence strength asks one question: did the pilot change in the expected direction after
the intervention, in a way chance does not explain, while the comparison series did not?
- Each series has an expected direction (omlaag/omhoog; the decision may give it, else the
  indicator's polarity) and is a pilot or a comparison series. Comparison series are never
  treated as pilots; they are judged at the pilots' start date.
- A pilot counts when its baseline before the start has ``spc.MIN_BASELINE`` points (else
  *te weinig gegevens*, not a verdict). Credit goes to highlighted points after the start:
  points beyond a limit, or a long run (Anhøj) that begins after the start; a run that
  starts before the intervention and a pre-intervention outlier earn nothing; a signal of
  too few crossings alone has no side and earns nothing.
- A highlighted point on the wrong side makes the evidence *tegen*.
- Levels: *sterk* when most judged pilots changed favourably and at least one change is
  sustained (a long run, or two or more points beyond the limit); *matig* for any other
  favourable change; *zwak* for none. Each comparison series that changed as well (a
  favourable signal of its own after the start, or a change at least half the pilot's)
  lowers the level one step, all of them (two or more) two steps; small numbers one step.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.domain import effects, spc, verdicts
from dashboard.domain.disclosure import is_small


def chart_for_indicator(unit: str, is_rate: bool, multiplier: float) -> spc.ChartType:
    """Percentages are proportions (P-chart), 'per 1.000' figures are counts per exposure
    (U-chart); other values (euros, counts) are individual values (I-chart)."""
    if is_rate and multiplier != 1.0:
        return "p" if unit == "%" else "u"
    return "i"


@dataclass(frozen=True)
class EvidenceSeries:
    """One linked series with its analysis and the numbers behind it. Suppressed and
    missing periods stay in ``x``/``periods`` as gaps (None in the analysis)."""

    series_id: int
    label: str
    where: str
    unit: str
    is_comparison: bool
    analysis: spc.SeriesAnalysis
    x: list[pd.Timestamp]
    baseline: int | None  # periods before the intervention (the split); frozen when ≥ 12 present
    periods: list[str]
    points: pd.DataFrame  # period, period_start, value, numerator, denominator, status, small
    n_points: int  # periods with a usable value
    n_total: float | None  # sum of the denominators (people behind the figures)
    n_suppressed: int  # stored as suppressed: a gap in the analysis
    n_small: int  # points whose numerator is below the disclosure threshold
    polarity: str = verdicts.NEUTRAL
    expected_direction: verdicts.Direction | None = None  # None: from the polarity
    numerators: tuple[float, ...] = ()  # counts (P/U) or values (I/run) per period, NaN gaps
    denominators: tuple[float, ...] = ()
    chart_note: str = ""  # P or P′ (U or U′) and why, for the chart caption

    @property
    def verdict(self) -> str:
        return self.analysis.verdict

    @property
    def direction(self) -> verdicts.Direction | None:
        """The direction an improvement goes for this series."""
        return self.expected_direction or verdicts.expected_direction(self.polarity)


def _empty(chart: spc.ChartType) -> spc.SeriesAnalysis:
    """The analysis of a series without usable points: no phases, so "te weinig punten"."""
    return spc.SeriesAnalysis(chart=chart, values=[], centre=[], lower=[], upper=[], phase=[],
                              in_long_run=[], shift=[], trend=[], astronomical=[],
                              outside_limits=[], phases=[])


def build_series(points: pd.DataFrame, interventions: pd.DataFrame | None = None, *,
                 directions: Mapping[int, str] | None = None) -> list[EvidenceSeries]:
    """Analyse every series of a decision's evidence frame (see ``queries.decision_evidence``).

    Suppressed and missing points stay as gaps (never joining periods that are not
    adjacent) and are counted. When an intervention falls inside a series, the centre line
    and limits are frozen on the periods before it (when there are ``spc.MIN_BASELINE`` of
    them), so a sustained change afterwards shows as a signal. Comparison series without
    an intervention of their own are split at the pilots' intervention. ``interventions``
    has series_id and started_on; ``directions`` maps series_id to the expected direction
    (omlaag/omhoog), else the ``expected_direction`` column (the decision's own, if any),
    else the ``polarity`` column (if any) decides.
    """
    out = []
    dates_of: dict[int, list[pd.Timestamp]] = {}
    if interventions is not None and not interventions.empty:
        for sid, group in interventions.groupby("series_id"):
            dates_of[int(sid)] = [pd.Timestamp(v) for v in group["started_on"]]
    pilot_ids = set(points.loc[~points["is_comparison"].astype(bool), "series_id"].astype(int))
    pilot_dates = sorted({d for sid in pilot_ids for d in dates_of.get(sid, [])})
    for sid, df in points.sort_values(["series_id", "period_start"]).groupby("series_id", sort=False):
        first = df.iloc[0]
        chart: spc.ChartType = first["chart"]
        usable = (df["status"] == "ok") & df["value"].notna()
        if chart in spc.RATE_CHARTS:
            usable &= df["numerator"].notna() & (df["denominator"] > 0)
        x = [pd.Timestamp(v) for v in df["period_start"]]
        is_comparison = bool(first["is_comparison"])
        dates = dates_of.get(int(sid), [])
        baseline = spc.frozen_baseline(x, dates)
        if baseline is None and is_comparison:
            baseline = spc.frozen_baseline(x, pilot_dates)
        rates = chart in spc.RATE_CHARTS
        nums = np.where(usable, df["numerator" if rates else "value"].astype(float), np.nan)
        dens = np.where(usable, df["denominator"].astype(float), np.nan) if rates else \
            np.full(len(df), np.nan)
        chart_note = ""
        if not usable.any():  # every point missing or suppressed: nothing to analyse
            analysis = _empty(chart)
        elif rates:  # P or P′, U or U′: Laney's prime chart when the periods over-disperse
            choice = spc.choose_chart(nums, dens, chart, baseline=baseline)  # type: ignore[arg-type]
            chart_note = choice.caption
            analysis = spc.analyse(nums, chart=choice.chart, denominators=dens,
                                   baseline=baseline, multiplier=float(first["multiplier"]))
        else:
            analysis = spc.analyse(nums, chart=chart, baseline=baseline)
        # counts behind rates: small ones are marked (the disclosure rule owns "small")
        shown = df.assign(small=df["numerator"].map(is_small) if rates else False)
        den_total = df.loc[usable, "denominator"].sum() if df["denominator"].notna().any() else None
        polarity = verdicts.polarity_value(first["polarity"]) if "polarity" in df else verdicts.NEUTRAL
        wanted = (directions or {}).get(int(sid))
        stored = first["expected_direction"] if "expected_direction" in df else None
        wanted = wanted or (stored if isinstance(stored, str) else None)
        out.append(EvidenceSeries(
            series_id=int(sid), label=str(first["label"]), where=str(first["where"]),
            unit=str(first["unit"]), is_comparison=is_comparison, analysis=analysis,
            x=x, baseline=baseline, periods=df["period"].tolist(),
            points=shown[["period", "period_start", "value", "numerator", "denominator", "status",
                          "small"]].reset_index(drop=True),
            n_points=int(usable.sum()), n_total=None if den_total is None else float(den_total),
            n_suppressed=int((df["status"] == "onderdrukt").sum()), n_small=int(shown["small"].sum()),
            polarity=polarity, expected_direction=_direction(wanted),
            numerators=tuple(float(v) for v in nums), denominators=tuple(float(v) for v in dens),
            chart_note=chart_note,
        ))
    return out


def _direction(value: str | None) -> verdicts.Direction | None:
    if value in (None, ""):
        return None
    if value not in ("omlaag", "omhoog"):
        raise ValueError(f"Verwachte richting '{value}' onbekend; kies 'omlaag' of 'omhoog'.")
    return value  # type: ignore[return-value]


# ---------------------------------------------------------------- one series after the start

FAVOURABLE, ADVERSE, NONE, TOO_LITTLE = "gunstig", "ongunstig", "geen", "te weinig gegevens"


@dataclass(frozen=True)
class SeriesEvidence:
    """What one series shows after the intervention, in its expected direction."""

    series: EvidenceSeries
    outcome: str  # gunstig / ongunstig / geen / te weinig gegevens
    credited: int  # highlighted points after the start that count (on the side that decided)
    beyond_limit: int  # of which beyond a control limit
    in_run: int  # of which in a long run (Anhøj) that began after the start
    post_points: int  # points present after the start
    sustained: bool  # a long run after the start, or 2+ points beyond the limit
    effect: effects.Effect | None
    reason: str  # why there is too little data


def _run_start(a: spc.SeriesAnalysis, i: int) -> int:
    """First index of the long run that point ``i`` belongs to (gaps and points on the
    centre line neither break nor start a run)."""
    side = np.sign((a.values[i] or 0.0) - a.centre[i])
    start = i
    for j in range(i - 1, -1, -1):
        value = a.values[j]
        if value is None or value == a.centre[j]:
            continue
        if not a.in_long_run[j] or np.sign(value - a.centre[j]) != side:
            break
        start = j
    return start


def assess(series: EvidenceSeries, direction: verdicts.Direction | None = None) -> SeriesEvidence:
    """The change of one series after its start (``series.baseline`` periods before it),
    judged in ``direction`` (default: the series' own expected direction)."""
    a, split = series.analysis, series.baseline
    direction = direction or series.direction

    def little(reason: str) -> SeriesEvidence:
        return SeriesEvidence(series, TOO_LITTLE, 0, 0, 0, 0, False, None, reason)

    if split is None:
        return little("geen start van de interventie binnen de reeks")
    before = sum(v is not None for v in a.values[:split])
    post = sum(v is not None for v in a.values[split:])
    if before < spc.MIN_BASELINE:
        return little(f"{before} punten vóór de start, minstens {spc.MIN_BASELINE} nodig")
    if a.verdict == spc.TOO_FEW or not post:
        return little(f"{post} punten na de start")
    if direction is None:
        return little("geen verwachte richting (de indicator is neutraal)")
    counts = {True: [0, 0, 0], False: [0, 0, 0]}  # favourable?: [points, beyond, in run]
    for i in range(split, a.n):
        value = a.values[i]
        if value is None or not a.signal_points[i]:
            continue
        if not a.outside_limits[i] and _run_start(a, i) < split:
            continue  # a run that began before the intervention earns nothing
        tally = counts[(value < a.centre[i]) == (direction == "omlaag")]
        tally[0] += 1
        tally[1] += a.outside_limits[i]
        tally[2] += a.in_long_run[i]
    effect = _effect(series, split)
    (good, good_beyond, good_run), (bad, bad_beyond, bad_run) = counts[True], counts[False]
    if bad:
        return SeriesEvidence(series, ADVERSE, bad, bad_beyond, bad_run, post, False, effect, "")
    if good:
        return SeriesEvidence(series, FAVOURABLE, good, good_beyond, good_run, post,
                              good_run > 0 or good_beyond >= 2, effect, "")
    return SeriesEvidence(series, NONE, 0, 0, 0, post, False, effect, "")


def _effect(series: EvidenceSeries, split: int) -> effects.Effect | None:
    if not series.numerators:
        return None
    chart = series.analysis.chart
    den = series.denominators if chart in spc.RATE_CHARTS else None
    return effects.before_after(chart, series.numerators, den, split, unit=series.unit)


def _change(effect: effects.Effect | None, direction: verdicts.Direction) -> float | None:
    """The effect as a signed size in the favourable direction (log ratio or difference)."""
    if effect is None or effect.estimate is None:
        return None
    size = math.log(effect.estimate) if effect.kind in effects.RATIOS else effect.estimate
    return size if direction == "omhoog" else -size


# ---------------------------------------------------------------- evidence strength

LEVELS = ("sterk", "matig", "zwak", "tegen", TOO_LITTLE, "geen gekoppelde reeksen",
          "geen pilotreeks")
STRENGTH_COLOURS = {"sterk": "green", "matig": "blue", "zwak": "orange", "tegen": "red",
                    TOO_LITTLE: "gray", "geen gekoppelde reeksen": "gray",
                    "geen pilotreeks": "gray", "geen": "gray"}
_LADDER = ("sterk", "matig", "zwak")


@dataclass(frozen=True)
class Strength:
    """The evidence-strength level and its written-out label."""

    label: str  # "matig — ...": level and what lies behind it
    level: str  # one of LEVELS

    @property
    def text(self) -> str:
        """'Bewijs: matig — opnames omlaag na de start (...); vergelijkingsreeksen bleven gelijk'."""
        return f"Bewijs: {self.label}"

    @property
    def colour(self) -> str:
        return STRENGTH_COLOURS.get(self.level, "gray")


def _lower(level: str, steps: int) -> str:
    if level not in _LADDER or steps <= 0:
        return level
    return _LADDER[min(_LADDER.index(level) + steps, len(_LADDER) - 1)]


def _movement(e: SeriesEvidence, direction: str) -> tuple[str, list[str]]:
    """Which way the series went after the start and what shows it (limits, runs), Dutch."""
    went = direction if e.outcome == FAVOURABLE else ("omhoog" if direction == "omlaag" else "omlaag")
    below = went == "omlaag"
    what = []
    if e.beyond_limit:
        what.append(f"{e.beyond_limit} van {e.post_points} punten "
                    f"{'onder de ondergrens' if below else 'boven de bovengrens'}")
    if e.in_run:
        what.append(f"{e.in_run} punten op rij {'onder' if below else 'boven'} de middenlijn")
    return went, what


def _describe(e: SeriesEvidence, direction: verdicts.Direction) -> str:
    name = f"{e.series.label} ({e.series.where})"
    if e.outcome == TOO_LITTLE:
        return f"{name}: {e.reason}"
    effect = f"; {e.effect.text}" if e.effect is not None and e.effect.computable else ""
    if e.outcome == NONE:
        return f"{name}: geen aantoonbare verandering na de start{effect}"
    went, what = _movement(e, direction)
    wrong = ", de verkeerde kant op" if e.outcome == ADVERSE else ""
    return f"{name}: {went} na de start{wrong} ({', '.join(what)}{effect})"


def evidence_strength(series: list[EvidenceSeries]) -> Strength:
    """How strong a decision's evidence is, from its linked series (see the module
    docstring for the rules). The label is written out, e.g. "matig — Opnames (KT-07):
    omlaag na de start (3 van 4 punten onder de ondergrens; −23% (95%-BI −35% tot −9%));
    vergelijkingsreeksen bleven gelijk"."""
    if not series:
        return Strength("geen gekoppelde reeksen", "geen gekoppelde reeksen")
    pilots = [s for s in series if not s.is_comparison]
    if not pilots:
        return Strength("geen pilotreeks — alleen vergelijkingsreeksen gekoppeld; die tellen "
                        "niet als bewijs voor de pilot", "geen pilotreeks")
    assessed = [assess(s) for s in pilots]
    judged = [e for e in assessed if e.outcome != TOO_LITTLE]
    parts = [_describe(e, e.series.direction or "omlaag") for e in assessed[:3]]
    if len(assessed) > 3:
        parts.append(f"en {len(assessed) - 3} andere pilotreeksen")
    if not judged:
        return Strength(f"{TOO_LITTLE} — " + "; ".join(parts), TOO_LITTLE)
    favourable = [e for e in judged if e.outcome == FAVOURABLE]
    if any(e.outcome == ADVERSE for e in judged):
        level = "tegen"
    elif favourable and len(favourable) * 2 > len(judged) and any(e.sustained for e in favourable):
        level = "sterk"
    elif favourable:
        level = "matig"
    else:
        level = "zwak"
    comparisons = [s for s in series if s.is_comparison]
    if comparisons:
        reference = favourable[0] if favourable else judged[0]
        direction = reference.series.direction or "omlaag"
        pilot_change = _change(reference.effect, direction)
        moved = 0
        judged_comparisons = 0
        for c in comparisons:
            ce = assess(c, direction)
            if ce.outcome == TOO_LITTLE:
                continue
            judged_comparisons += 1
            change = _change(ce.effect, direction)
            if ce.outcome == FAVOURABLE or (
                    pilot_change is not None and change is not None and pilot_change > 0
                    and change >= pilot_change / 2):
                moved += 1
        if not judged_comparisons:
            parts.append("vergelijkingsreeksen: te weinig gegevens")
        elif moved:
            parts.append(f"{moved} van {judged_comparisons} vergelijkingsreeksen veranderden ook")
            level = _lower(level, 2 if moved == judged_comparisons and moved >= 2 else 1)
        else:
            parts.append("vergelijkingsreeksen bleven gelijk")
    else:
        parts.append("geen vergelijkingsreeks")
    if any(s.n_small for s in series):
        parts.append("kleine aantallen")
        level = _lower(level, 1)
    if any(s.n_suppressed for s in series):
        parts.append("onderdrukte punten (gaten in de reeks)")
    return Strength(f"{level} — " + "; ".join(parts), level)


# ---------------------------------------------------------------- per series, for the panel

OUTCOME_VERDICTS = {FAVOURABLE: verdicts.IMPROVEMENT, ADVERSE: verdicts.DETERIORATION,
                    NONE: verdicts.NO_CHANGE, TOO_LITTLE: verdicts.TOO_LITTLE}


def outcome_verdict(e: SeriesEvidence) -> verdicts.SeriesVerdict:
    """The change after the start as a direction-aware verdict (icon and text of
    ``verdicts``): favourable is *verbetering*, adverse *verslechtering*."""
    side = None
    if e.outcome in (FAVOURABLE, ADVERSE) and e.series.direction:
        went_down = (e.series.direction == "omlaag") == (e.outcome == FAVOURABLE)
        side = "laag" if went_down else "hoog"
    return verdicts.SeriesVerdict(OUTCOME_VERDICTS[e.outcome], side, None, None)  # type: ignore[arg-type]


def what_happened(e: SeriesEvidence, direction: verdicts.Direction | None = None) -> str:
    """One Dutch sentence on the series after the start, without its name or effect size,
    e.g. "Omlaag na de start: 3 van 11 punten onder de ondergrens." (``direction``: the
    direction judged, default the series' own)."""
    direction = direction or e.series.direction
    if e.outcome == TOO_LITTLE:
        return f"Te weinig gegevens voor een oordeel: {e.reason}."
    if e.outcome == NONE or direction is None:
        return "Na de start geen verandering die groter is dan toeval."
    went, what = _movement(e, direction)
    wrong = " (de ongewenste kant op)" if e.outcome == ADVERSE else ""
    return f"{went.capitalize()} na de start{wrong}: {', '.join(what)}."


def _family(chart: str) -> str:
    return chart.rstrip("'")


def comparison_effects(pilot: EvidenceSeries, comparisons: list[EvidenceSeries]
                       ) -> list[tuple[EvidenceSeries, effects.Effect]]:
    """Difference-in-differences of a pilot against each comparison series of the same
    indicator and chart family, when both have enough baseline points before the start."""
    if assess(pilot).outcome == TOO_LITTLE or not pilot.numerators:
        return []
    out = []
    chart = pilot.analysis.chart
    for c in comparisons:
        if (c.label != pilot.label or _family(c.analysis.chart) != _family(chart)
                or not c.numerators or assess(c, pilot.direction).outcome == TOO_LITTLE):
            continue
        rates = chart in spc.RATE_CHARTS
        effect = effects.difference_in_differences(
            chart, (pilot.numerators, pilot.denominators if rates else None, pilot.baseline or 0),
            (c.numerators, c.denominators if rates else None, c.baseline or 0), unit=pilot.unit)
        out.append((c, effect))
    return out
