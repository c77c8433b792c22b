"""Evidence behind decisions (SPEC §5): linked series analysed with the SPC rules, and the
evidence-strength label (*bewijskracht*) computed from them, never typed by hand.

Pure functions without Streamlit. The SPC rules themselves live in ``dashboard.domain.spc``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.domain import spc
from dashboard.domain.disclosure import is_small

# Kernteam metrics that can back a decision: (Dutch label, chart, multiplier, unit).
KERNTEAM_METRICS: dict[str, tuple[str, spc.ChartType, float, str]] = {
    "admissions": ("Ziekenhuisopnames per 1.000 kwetsbare ouderen", "u", 1000.0, "per 1.000"),
    "ed_visits": ("SEH-bezoeken per 1.000 kwetsbare ouderen", "u", 1000.0, "per 1.000"),
    "readmissions": ("Heropnames per 1.000 kwetsbare ouderen", "u", 1000.0, "per 1.000"),
    "falls": ("Valincidenten per 1.000 kwetsbare ouderen", "u", 1000.0, "per 1.000"),
    "with_care_plan": ("Kwetsbare ouderen met proactief zorgplan", "p", 100.0, "%"),
    "discussed_mdo": ("Kwetsbare ouderen besproken in MDO", "p", 100.0, "%"),
}


def chart_for_indicator(unit: str, is_rate: bool, multiplier: float) -> spc.ChartType:
    """Percentages are proportions (P-chart), 'per 1.000' figures are counts per exposure
    (U-chart); other values (euros, counts) are individual values (I-chart)."""
    if is_rate and multiplier != 1.0:
        return "p" if unit == "%" else "u"
    return "i"


@dataclass(frozen=True)
class EvidenceSeries:
    """One linked series with its analysis and the numbers behind it."""

    series_id: int
    label: str
    where: str
    unit: str
    is_comparison: bool
    analysis: spc.SeriesAnalysis
    x: list[pd.Timestamp]
    baseline: int | None  # points of the frozen baseline (before the intervention)
    periods: list[str]
    points: pd.DataFrame  # period, period_start, value, numerator, denominator, status, small
    n_points: int
    n_total: float | None  # sum of the denominators (people behind the figures)
    n_suppressed: int  # stored as suppressed: left out of the analysis
    n_small: int  # points whose numerator is below the disclosure threshold

    @property
    def verdict(self) -> str:
        return self.analysis.verdict


def _empty(chart: spc.ChartType) -> spc.SeriesAnalysis:
    """The analysis of a series without usable points: no phases, so "te weinig punten"."""
    return spc.SeriesAnalysis(chart=chart, values=[], centre=[], lower=[], upper=[], phase=[],
                              in_long_run=[], shift=[], trend=[], astronomical=[],
                              outside_limits=[], phases=[])


def baseline_length(x: list[pd.Timestamp], interventions: list[pd.Timestamp]) -> int | None:
    """Points before the first intervention inside the series: the frozen baseline."""
    inside = [when for when in interventions if x and x[0] < when <= x[-1]]
    if not inside:
        return None
    return sum(t < min(inside) for t in x)


def build_series(points: pd.DataFrame,
                 interventions: pd.DataFrame | None = None) -> list[EvidenceSeries]:
    """Analyse every series of a decision's evidence frame (see ``queries.decision_evidence``).

    Points that are suppressed or missing are left out of the analysis and counted. When
    an intervention falls inside a series, the centre line (and limits) are frozen on the
    points before it, so a sustained change afterwards shows as a signal; otherwise the
    whole series is the baseline. ``interventions`` has series_id and started_on.
    """
    out = []
    for sid, df in points.sort_values(["series_id", "period_start"]).groupby("series_id", sort=False):
        first = df.iloc[0]
        chart: spc.ChartType = first["chart"]
        usable = df[(df["status"] == "ok") & df["value"].notna()]
        if chart in ("p", "u"):
            usable = usable[usable["numerator"].notna() & (usable["denominator"] > 0)]
        x = [pd.Timestamp(v) for v in usable["period_start"]]
        dates = ([] if interventions is None or interventions.empty else
                 [pd.Timestamp(v) for v in
                  interventions.loc[interventions["series_id"] == sid, "started_on"]])
        baseline = baseline_length(x, dates)
        if usable.empty:  # every point missing or suppressed: nothing to analyse
            analysis = _empty(chart)
        elif chart in ("p", "u"):
            values, den = usable["numerator"].tolist(), usable["denominator"].tolist()
            analysis = spc.analyse(values, chart=chart, denominators=den, baseline=baseline,
                                   multiplier=float(first["multiplier"]))
        else:
            analysis = spc.analyse(usable["value"].tolist(), chart=chart, baseline=baseline)
        # counts behind rates: small ones are marked (the disclosure rule owns "small")
        shown = df.assign(small=df["numerator"].map(is_small) if chart in ("p", "u") else False)
        den_total = usable["denominator"].sum() if usable["denominator"].notna().any() else None
        out.append(EvidenceSeries(
            series_id=int(sid), label=str(first["label"]), where=str(first["where"]),
            unit=str(first["unit"]), is_comparison=bool(first["is_comparison"]), analysis=analysis,
            x=x, baseline=baseline, periods=usable["period"].tolist(),
            points=shown[["period", "period_start", "value", "numerator", "denominator", "status",
                          "small"]].reset_index(drop=True),
            n_points=len(usable), n_total=None if den_total is None else float(den_total),
            n_suppressed=int((df["status"] == "onderdrukt").sum()), n_small=int(shown["small"].sum()),
        ))
    return out


@dataclass(frozen=True)
class Strength:
    """The evidence-strength label and a level for its colour."""

    label: str
    level: str  # "sterk", "matig", "zwak", "geen"


def evidence_strength(series: list[EvidenceSeries]) -> Strength:
    """How strong a decision's evidence is, from its linked series.

    Counts signals among the pilot series that have enough points; adds what weakens the
    evidence (too few points, small numbers, suppressed points) and what comparison areas
    show. Examples: "signaal in 3 van 4 reeksen", "te weinig punten", "kleine aantallen".
    """
    if not series:
        return Strength("geen gekoppelde reeksen", "geen")
    pilots = [s for s in series if not s.is_comparison] or series
    judged = [s for s in pilots if s.verdict != spc.TOO_FEW]
    parts: list[str] = []
    if not judged:
        parts.append(spc.TOO_FEW)
        level = "geen"
    else:
        k = sum(s.verdict == spc.SIGNAL for s in judged)
        parts.append(f"signaal in {k} van {len(judged)} {'reeks' if len(judged) == 1 else 'reeksen'}")
        level = "sterk" if k * 2 > len(judged) else "matig" if k else "zwak"
        too_few = len(pilots) - len(judged)
        if too_few:
            parts.append(f"{too_few} met te weinig punten")
    comparisons = [s for s in series if s.is_comparison and s.verdict != spc.TOO_FEW]
    if comparisons and judged:
        k = sum(s.verdict == spc.SIGNAL for s in comparisons)
        parts.append(f"vergelijking: signaal in {k} van {len(comparisons)}")
        if k * 2 > len(comparisons) and level == "sterk":
            level = "matig"  # the comparison areas moved too: less reason to credit the pilot
    if any(s.n_small for s in series):
        parts.append("kleine aantallen")
        level = {"sterk": "matig", "matig": "zwak"}.get(level, level)
    if any(s.n_suppressed for s in series):
        parts.append("onderdrukte punten")
    return Strength("; ".join(parts), level)
