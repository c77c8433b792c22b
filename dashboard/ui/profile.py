"""Wijkprofiel figures: trend series with confidence bands and the Positive Health spider.

Pure pandas and altair, no Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.domain import evidence, overview, spc, verdicts
from dashboard.domain.aggregation import wilson_interval
from dashboard.domain.i18n import EMPTY, fmt_date, fmt_number
from dashboard.domain.vocab import POSITIVE_HEALTH_DIMENSIONS
from dashboard.ui import charts, exports, labels, pdf
from dashboard.ui.maps import fmt_value

REFERENCE_NAMES = {"ZL": "Zuid-Limburg", "NL": "Nederland"}


def trend_frame(values: pd.DataFrame, area_key: str, *, is_survey: bool,
                multiplier: float) -> pd.DataFrame:
    """The area's series (published values only) with its 95% interval: the stored one of
    a model estimate (e.g. RIVM), else a Wilson interval for survey shares.

    Columns: period, period_start, value, lower, upper, numerator, denominator, status.
    Suppressed periods keep their row with NaN value so the chart shows a gap.
    """
    df = values[values["area_key"] == area_key].copy()
    df["period_start"] = pd.to_datetime(df["period_start"])
    ok = df["status"] == "ok"
    df["value"] = pd.to_numeric(df["value"], errors="coerce").where(ok)
    for bound in ("lower", "upper"):  # a model estimate's stored interval
        stored = df[bound] if bound in df else pd.Series(float("nan"), index=df.index)
        df[bound] = pd.to_numeric(stored, errors="coerce").where(ok)
    if is_survey and multiplier in (1.0, 100.0):
        for i, row in df.iterrows():
            num, den = row.get("numerator"), row.get("denominator")
            if (row["status"] == "ok" and pd.notna(num) and pd.notna(den) and den > 0
                    and pd.isna(row["lower"])):
                lo, hi = wilson_interval(float(num), float(den))
                df.at[i, "lower"], df.at[i, "upper"] = lo * multiplier, hi * multiplier
    cols = ["period", "period_start", "value", "lower", "upper", "numerator", "denominator",
            "status"]
    return df[cols].sort_values("period_start").reset_index(drop=True)


def trend_verdict(series: pd.DataFrame, unit: str, is_rate: bool, multiplier: float,
                  polarity: str) -> tuple[verdicts.SeriesVerdict, str, int] | None:
    """The direction-aware verdict on a trend (``trend_frame``), the chart it comes from
    and the periods it covers, when it has at least ``spc.MIN_POINTS`` values; None
    otherwise. Counts make a P- or U-chart (P′/U′ when the periods vary more than chance
    at these numbers), other values (model estimates, euros) an I-chart; gaps stay gaps."""
    present = series["value"].notna()
    if int(present.sum()) < spc.MIN_POINTS:
        return None
    chart = evidence.chart_for_indicator(unit, is_rate, multiplier)
    num = pd.to_numeric(series["numerator"], errors="coerce").where(present)
    den = pd.to_numeric(series["denominator"], errors="coerce").where(present)
    if chart in ("p", "u") and (num[present].notna() & (den[present] > 0)).all():
        choice = spc.choose_chart(list(num), list(den), chart)
        analysis = spc.analyse(list(num), chart=choice.chart, denominators=list(den),
                               multiplier=multiplier)
    else:
        analysis = spc.analyse(list(series["value"]), chart="i")
    return verdicts.series_verdict(analysis, polarity), analysis.chart, analysis.n_present


def reference_series(refs: pd.DataFrame, municipality_code: str,
                     municipality_name: str) -> pd.DataFrame:
    """Reference lines for one area: its municipality, Zuid-Limburg and Nederland."""
    names = {municipality_code: f"Gemeente {municipality_name}", **REFERENCE_NAMES}
    df = refs[refs["region_code"].isin(names) & (refs["status"] == "ok")].copy()
    df["reference"] = df["region_code"].map(names)
    df["period_start"] = pd.to_datetime(df["period_start"])
    return df[["reference", "period", "period_start", "value"]].sort_values(
        ["reference", "period_start"]).reset_index(drop=True)


def spider_frame(scores: pd.DataFrame) -> pd.DataFrame:
    """Points of the Positive Health spider: one closed polygon per (who, wave).

    Each dimension sits on its own spoke (the first at the top, clockwise); a score s
    lies at distance s from the centre. Columns: who, wave, year, series, dimension,
    score, n, x, y, order.
    """
    rows = []
    dims = list(POSITIVE_HEALTH_DIMENSIONS)
    for (who, wave), group in scores.groupby(["who", "wave"], sort=True):
        by_dim = group.set_index("dimension")
        year = int(group["year"].iloc[0])
        series = (f"Meting {wave} ({year})" if who == "gebied"
                  else f"{who}, meting {wave} ({year})")
        for order, dim in enumerate([*dims, dims[0]]):
            if dim not in by_dim.index:
                continue
            angle = 2 * math.pi * (order % len(dims)) / len(dims)
            score = float(by_dim.at[dim, "mean_score"])
            rows.append({"who": who, "wave": int(wave), "year": year, "series": series,
                         "dimension": dim, "score": score,
                         "n": int(by_dim.at[dim, "n_respondents"]),
                         "x": score * math.sin(angle), "y": score * math.cos(angle),
                         "order": order})
    return pd.DataFrame(rows)


def spider_grid(levels: tuple[int, ...] = (2, 4, 6, 8, 10)) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Grid rings and spoke labels for the spider chart."""
    dims = list(POSITIVE_HEALTH_DIMENSIONS)
    rings = [{"level": lv, "order": i, "x": lv * math.sin(2 * math.pi * i / len(dims)),
              "y": lv * math.cos(2 * math.pi * i / len(dims))}
             for lv in levels for i in range(len(dims) + 1)]
    spokes = [{"dimension": d, "x": 11.2 * math.sin(2 * math.pi * i / len(dims)),
               "y": 11.2 * math.cos(2 * math.pi * i / len(dims))} for i, d in enumerate(dims)]
    return pd.DataFrame(rings), pd.DataFrame(spokes)


@dataclass(frozen=True)
class TrendPanel:
    """One indicator's trend chart in Wijkprofiel: its Vega-Lite spec and the caption."""

    spec: dict[str, Any]
    caption: str
    verdict: str = ""  # the verdict's key (``verdicts``), when the series is long enough
    chart: str = ""  # the chart the verdict comes from (run, i, p, u, p', u')
    periods: int = 0  # the periods it covers


def profile_areas(load: Callable[..., Any]) -> pd.DataFrame:
    """What Wijkprofiel can show: per programme its total (``programme_totals``, an area of
    its own, flagged ``is_total``) followed by its areas, in the order of ``areas``."""
    areas = load("areas").assign(is_total=False)
    totals = load("programme_totals").assign(is_total=True)
    order = list(dict.fromkeys(areas["programme_key"]))
    both = pd.concat([totals, areas], ignore_index=True)
    both["_rank"] = both["programme_key"].map(order.index)
    return both.sort_values(["_rank", "is_total"], ascending=[True, False],
                            kind="stable").drop(columns="_rank").reset_index(drop=True)


def trend_panels(load: Callable[..., Any], *, area_key: str) -> list[TrendPanel]:
    """The area's (or programme total's) trend chart for every indicator with at least one
    published value, in catalogue order; built once per area and cached as a whole
    (``ui.view``)."""
    area = profile_areas(load).set_index("key").loc[area_key]
    interventions = load("area_profile", area_key=area_key)["interventions"].copy()
    interventions["started_on"] = pd.to_datetime(interventions["started_on"])
    panels = []
    for meta in load("indicators").itertuples():
        series = trend_frame(load("area_values", indicator_key=meta.key, area_key=area_key),
                             area_key, is_survey=bool(meta.is_survey),
                             multiplier=float(meta.multiplier))
        if series["value"].notna().sum() == 0:
            continue
        refs = reference_series(load("reference_values", indicator_key=meta.key),
                                area["municipality_code"], area["municipality_name"])
        series["value_text"] = [fmt_value(v, meta.unit) if s == "ok" else s
                                for v, s in zip(series["value"], series["status"], strict=True)]
        model = bool(series["lower"].notna().any() and not meta.is_survey)
        chart = charts.trend_chart(series, refs, interventions, title=meta.label,
                                   unit=meta.unit, area_name=area["name"],
                                   band="95%-interval van de modelschatting" if model else
                                   "95%-betrouwbaarheidsband (Wilson)")
        caption = (f"Blauwe lijn: {area['name']}. "
                   f"{labels.POLARITY.get(meta.polarity, meta.polarity)}. Bron: {meta.source}.")
        if suppressed := int((series["status"] == "onderdrukt").sum()):
            caption += f" {suppressed} periode(n) onderdrukt (te weinig waarnemingen): een gat."
        if model:
            caption += (" Een modelschatting: de band toont haar 95%-interval, de marge "
                        "waarbinnen de echte waarde vrijwel zeker ligt.")
        elif series["lower"].notna().any():
            caption += " De band toont de 95%-betrouwbaarheid."
        judged = trend_verdict(series, meta.unit, bool(meta.is_rate), float(meta.multiplier),
                               meta.polarity)
        if judged is None:
            caption += (f" Minder dan {spc.MIN_POINTS} perioden: te weinig gegevens voor een "
                        "oordeel over de trend.")
        verdict, kind, periods = judged or (None, "", 0)
        panels.append(TrendPanel(spec=charts.dutch(chart).to_dict(), caption=caption,
                                 verdict=verdict.key if verdict else "", chart=kind,
                                 periods=periods))
    return panels


@dataclass(frozen=True)
class ProgrammeOutcomes:
    answer: str  # the one line: is it working?
    total: pd.DataFrame  # the programme as a whole, per outcome indicator
    table: pd.DataFrame  # per area and outcome indicator: latest value, references, verdict
    note: str = ""  # why there is no per-area table


# A programme of more areas than this gets its total only on Overzicht (per area: Kaart and
# Wijkprofiel); a verdict per area and indicator would take minutes for thousands of areas.
MAX_OUTCOME_AREAS = 60


OUTCOME_COLUMNS = ["Gebied", "Indicator", "Periode", "Waarde", "Gemeente", "Nederland",
                   "Oordeel"]


def _latest(series: pd.DataFrame, unit: str) -> tuple[str, str]:
    shown = series[series["value"].notna()]
    if shown.empty:
        return "", EMPTY
    last = shown.iloc[-1]
    return str(last["period"]), fmt_value(last["value"], unit)


def _reference_at(refs: pd.DataFrame, code: str, period: str, unit: str) -> str:
    row = refs[(refs["region_code"] == code) & (refs["period"] == period)
               & (refs["status"] == "ok")]
    return fmt_value(float(row["value"].iloc[0]), unit) if len(row) else EMPTY


def programme_outcomes(load: Callable[..., Any], *, programme_key: str) -> ProgrammeOutcomes:
    """Is it working? For the programme as a whole (its total, ``programme_totals``) and for
    each of its areas with CBS parts, per outcome indicator (one with a desired direction):
    the latest value against the municipality and Nederland in the same period and the
    direction-aware verdict on the trend. The one-line answer counts the verdicts of the
    programme total (``overview.outcome_answer``); of the areas when it has no total.
    Cached as a whole (``ui.view``)."""
    areas = profile_areas(load)
    areas = areas[(areas["programme_key"] == programme_key) & areas["has_parts"]]
    per_area = int((~areas["is_total"]).sum()) <= MAX_OUTCOME_AREAS or not areas["is_total"].any()
    if not per_area:
        areas = areas[areas["is_total"]]
    only = ({"programme_key": programme_key} if per_area
            else {"area_key": str(areas["key"].iloc[0])})
    rows: dict[bool, list[dict[str, str]]] = {True: [], False: []}
    keys: dict[bool, list[str]] = {True: [], False: []}
    for meta in load("indicators").itertuples():
        if verdicts.polarity_value(meta.polarity) == verdicts.NEUTRAL:
            continue
        values = load("area_values", indicator_key=meta.key, **only)
        refs = load("reference_values", indicator_key=meta.key)
        for area in areas.itertuples():
            series = trend_frame(values, area.key, is_survey=bool(meta.is_survey),
                                 multiplier=float(meta.multiplier))
            period, latest = _latest(series, meta.unit)
            if not period:
                continue
            judged = trend_verdict(series, meta.unit, bool(meta.is_rate),
                                   float(meta.multiplier), meta.polarity)
            key = judged[0].key if judged else verdicts.TOO_LITTLE
            keys[area.is_total].append(key)
            rows[area.is_total].append({
                "Gebied": area.name, "Indicator": meta.label, "Periode": period,
                "Waarde": latest,
                "Gemeente": _reference_at(refs, area.municipality_code, period, meta.unit),
                "Nederland": _reference_at(refs, "NL", period, meta.unit),
                "Oordeel": verdicts.VERDICT_ICONS[key].markdown})
    answer = overview.outcome_answer(keys[True] or keys[False])
    return ProgrammeOutcomes(
        ("Het programma als geheel: " + answer[:1].lower() + answer[1:]) if keys[True]
        else answer,
        pd.DataFrame(rows[True], columns=OUTCOME_COLUMNS).drop(columns="Gebied"),
        pd.DataFrame(rows[False], columns=OUTCOME_COLUMNS),
        "" if per_area else "Per gebied: zie de Kaart en het Wijkprofiel van elk gebied.")


def spider_selection(scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The area's Positive Health scores (``spider_frame``) and the reference wave closest
    to the area's latest wave; None when the area has no wave yet."""
    spider = spider_frame(scores)
    if spider.empty or not (spider["who"] == "gebied").any():
        return None
    own, ref = spider[spider["who"] == "gebied"], spider[spider["who"] != "gebied"]
    if len(ref):
        nearest = ref.loc[(ref["year"] - own["year"].max()).abs().idxmin(), "year"]
        ref = ref[ref["year"] == nearest]
    return own, ref


def spider_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Mean score per dimension (rows) and wave (columns 'Gebied 2024', 'ZL 2024'), Dutch."""
    table = scores.pivot_table(index="dimension", columns=["who", "year"],
                               values="mean_score").map(lambda v: fmt_number(v, 1))
    table.columns = [f"{'Gebied' if w == 'gebied' else w} {y}" for w, y in table.columns]
    return table.reset_index().rename(columns={"dimension": "Dimensie"})


def area_subtitle(area: pd.Series) -> str:
    """The line under an area's (or programme total's) name, plain text."""
    if area.get("is_total"):
        munis = str(area["municipality_name"])
        return (f"{fmt_number(area['areas'])} gebieden samen · "
                f"{'gemeenten' if ', ' in munis else 'gemeente'} {munis} · "
                f"programma gestart {fmt_date(area['started_on'])}")
    return (f"{area['programme']} · gemeente {area['municipality_name']} · gestart "
            f"{fmt_date(area['started_on'])} · CBS-codes {area['cbs_codes'] or 'geen'}")


def profile_document(area: pd.Series, profile: dict[str, pd.DataFrame],
                     panels: list[TrendPanel], *, as_of: str, demo: bool) -> pdf.Document:
    """The Wijkprofiel on A4 (*Download als pdf*): the area's facts, every trend chart with
    its caption and verdict, and the work in the area, with names. The charts become PNG
    here (vl-convert, about a second for a dozen), so call it when the reader asks."""
    facts = pdf.TableBlock(
        ["Inwoners", "Projecten en programmalijnen", "Welzijnscoaches", "Kernteams"],
        [[f"{fmt_number(area['residents'])} ({area['residents_year'] or 'peiljaar onbekend'})",
          fmt_number(len(profile["projects"])),
          f"{fmt_number(len(profile['coaches']))} ({fmt_number(profile['coaches']['fte'].sum(), 1)}"
          " fte)", fmt_number(len(profile["kernteams"]))]])
    blocks: list[pdf.Block] = [facts, pdf.Heading("Trends")]
    if not panels:
        blocks.append(pdf.Text("Nog geen gepubliceerde cijfers voor dit gebied."))
    for panel in panels:
        caption = panel.caption
        if panel.verdict:
            caption = (f"Oordeel ({charts.CHART_NAMES[panel.chart]}, {fmt_number(panel.periods)} "
                       f"perioden): {verdicts.EXPLANATIONS[panel.verdict]} {caption}")
        blocks.append(pdf.Picture(exports.chart_png(panel.spec), caption=caption, width_mm=150))
    for title, frame, columns in (
            ("Projecten en programmalijnen", profile["projects"],
             {"code": "Code", "name": "Naam", "status": "Status", "health": "Voortgang"}),
            ("Welzijnscoaches", profile["coaches"], {"code": "Code", "fte": "Fte"}),
            ("Kernteams", profile["kernteams"], {"code": "Code", "practice": "PlusPraktijk"})):
        blocks.append(pdf.Heading(title))
        if frame.empty:
            blocks.append(pdf.Text(f"Geen {title.lower()} in dit gebied."))
            continue
        rows = [[fmt_number(v, 1) if isinstance(v, float) else str(v) for v in row]
                for row in frame[list(columns)].itertuples(index=False)]
        blocks.append(pdf.TableBlock(list(columns.values()), rows))
    return pdf.Document(
        title=f"Wijkprofiel {area['name']}",
        subtitle=area_subtitle(area),
        source="Bronnen: per grafiek vermeld", as_of=as_of, demo=demo, blocks=blocks)
