"""The Kaart choropleth: per-area figures, comparison, classes, colours and the pydeck spec.

Pure functions (pandas and pydeck, no Streamlit). Colours are colour-blind-safe ColorBrewer
schemes; when an indicator has a polarity, the blue-green end always means "better".
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize
from shapely.geometry import shape

from dashboard.domain.i18n import EMPTY, fmt_number
from dashboard.ui.exports import to_csv

MODES = {
    "waarde": "Waarde",
    "gemeente": "Verschil met gemeente",
    "ZL": "Verschil met Zuid-Limburg",
    "NL": "Verschil met Nederland",
    "basisjaar": "Verandering sinds basisjaar",
}
HIGHER, LOWER, NEUTRAL = "hoger is beter", "lager is beter", "neutraal"
# ColorBrewer BrBG (worse -> better), Blues (low -> high), PuOr (lower -> higher): all CB-safe.
WORSE_TO_BETTER = ([166, 97, 26], [223, 194, 125], [245, 245, 245], [128, 205, 193], [1, 133, 113])
SEQUENTIAL = ([239, 243, 255], [189, 215, 231], [107, 174, 214], [49, 130, 189], [8, 81, 156])
DIVERGING_NEUTRAL = ([230, 97, 1], [253, 184, 99], [247, 247, 247], [178, 171, 210], [94, 60, 153])
NO_VALUE = [150, 150, 150]
CONTEXT_FILL = [205, 205, 205, 110]
STATUS_TEXT = {"ok": "gepubliceerd cijfer", "onderdrukt": "onderdrukt (te weinig waarnemingen)",
               "ontbreekt": "geen cijfer"}
# Internal pages show small numbers but mark them (SPEC §6).
SMALL_COUNT = 10
SMALL_COUNT_MARK = " (klein aantal, <10: niet openbaar)"
TOOLTIP_FIELDS = ("name", "value_text", "fraction_text", "reference_text", "compare_text",
                  "status_text")


def fmt_value(value: float | None, unit: str, decimals: int | None = None) -> str:
    """A value in its unit, Dutch style: '12,3%', '€ 310', '45,2 per 1.000', '4.600'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return EMPTY
    if decimals is None:
        decimals = 0 if unit in ("aantal", "euro") else 1
    text = fmt_number(value, decimals)
    if unit == "%":
        return f"{text}%"
    if unit == "euro":
        return f"€ {text}"
    if unit == "aantal":
        return text
    return f"{text} {unit}"


def fmt_difference(value: float | None, unit: str) -> str:
    """A signed difference: '+1,2 %-punt', '−€ 14', '±0,0 per 1.000'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return EMPTY
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    if unit == "%":
        return f"{sign}{fmt_number(abs(value), 1)} %-punt"
    return f"{sign}{fmt_value(abs(value), unit)}"


# ---------------------------------------------------------------- the per-area frame


def map_frame(areas: pd.DataFrame, values: pd.DataFrame, refs: pd.DataFrame, *, period: str,
              mode: str, unit: str, baseline: str | None = None) -> pd.DataFrame:
    """One row per area: value, numerator/denominator, status, references and the shown metric.

    ``shown`` is the value (mode "waarde") or the difference with the chosen reference or
    baseline period; it is NaN when either side is missing or suppressed.
    """
    now = values[values["period"] == period].set_index("area_key")
    ref_now = refs[(refs["period"] == period) & (refs["status"] == "ok")].set_index("region_code")
    out = areas[["key", "name", "programme", "municipality_code", "municipality_name"]].copy()

    def pick(col: str) -> pd.Series:
        return out["key"].map(now[col]) if col in now else pd.Series(None, index=out.index)

    for col in ("value", "numerator", "denominator", "note", "origin"):
        out[col] = pick(col)
    out["status"] = pick("status").fillna("ontbreekt")
    out.loc[out["status"] != "ok", "value"] = float("nan")
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    out["ref_gm"] = pd.to_numeric(out["municipality_code"].map(ref_now["value"]), errors="coerce")
    out["ref_zl"] = float(ref_now["value"].get("ZL", float("nan")))
    out["ref_nl"] = float(ref_now["value"].get("NL", float("nan")))
    out["baseline_value"] = float("nan")
    if mode == "basisjaar" and baseline:
        base = values[(values["period"] == baseline) & (values["status"] == "ok")]
        out["baseline_value"] = pd.to_numeric(out["key"].map(base.set_index("area_key")["value"]),
                                              errors="coerce")
    reference = {"waarde": None, "gemeente": "ref_gm", "ZL": "ref_zl", "NL": "ref_nl",
                 "basisjaar": "baseline_value"}[mode]
    out["shown"] = out["value"] if reference is None else out["value"] - out[reference]
    out["value_text"] = [
        fmt_value(v, unit) if s == "ok" else STATUS_TEXT[s]
        for v, s in zip(out["value"], out["status"], strict=True)]
    out["fraction_text"] = [
        (f"teller {fmt_number(n)} / noemer {fmt_number(d)}" if pd.notna(n) and pd.notna(d)
         else (f"aantal {fmt_number(n)}" if pd.notna(n) else "teller/noemer niet beschikbaar"))
        + (SMALL_COUNT_MARK if pd.notna(n) and 0 < n < SMALL_COUNT else "")
        for n, d in zip(out["numerator"], out["denominator"], strict=True)]
    out["reference_text"] = [
        f"gemeente {fmt_value(g, unit)} · Zuid-Limburg {fmt_value(z, unit)} · "
        f"Nederland {fmt_value(n, unit)}"
        for g, z, n in zip(out["ref_gm"], out["ref_zl"], out["ref_nl"], strict=True)]
    label = {"gemeente": "t.o.v. gemeente", "ZL": "t.o.v. Zuid-Limburg",
             "NL": "t.o.v. Nederland", "basisjaar": f"sinds {baseline}"}.get(mode)
    out["compare_text"] = (
        [f"{fmt_difference(d, unit)} {label}" for d in out["shown"]] if label else "")
    out["status_text"] = "status: " + out["status"].map(STATUS_TEXT)
    return out


# ---------------------------------------------------------------- classes and colours


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: tuple[int, int, int]

    @property
    def hex(self) -> str:
        return "#{:02x}{:02x}{:02x}".format(*self.colour)


def _nice(x: float) -> float:
    """Round a class width to 1, 2 or 5 times a power of ten."""
    if x <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(x))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= x)


def class_edges(shown: pd.Series, diverging: bool, classes: int = 5) -> list[float]:
    """Class boundaries: quantiles of the values, or symmetric around zero for differences."""
    data = shown.dropna().astype(float)
    if data.empty:
        return []
    if diverging:
        step = _nice(max(abs(data.min()), abs(data.max())) / 2.5)
        return [-math.inf, -1.5 * step, -0.5 * step, 0.5 * step, 1.5 * step, math.inf]
    qs = sorted({float(data.quantile(q / classes)) for q in range(classes + 1)})
    if len(qs) == 1:
        return [qs[0], qs[0]]
    return qs


def palette(polarity: str, diverging: bool) -> tuple[list[int], ...]:
    if polarity == HIGHER:
        return WORSE_TO_BETTER
    if polarity == LOWER:
        return tuple(reversed(WORSE_TO_BETTER))
    return DIVERGING_NEUTRAL if diverging else SEQUENTIAL


def assign_classes(frame: pd.DataFrame, *, polarity: str, mode: str, unit: str
                   ) -> tuple[pd.DataFrame, list[LegendEntry]]:
    """Give every area a fill colour and return the legend (classes with their unit)."""
    diverging = mode != "waarde"
    edges = class_edges(frame["shown"], diverging)
    out = frame.copy()
    legend: list[LegendEntry] = []
    colours = palette(polarity, diverging)
    decimals = 0 if unit in ("aantal", "euro") else 1

    def fmt(v: float) -> str:  # legend labels carry no unit: the caption states it once
        if not diverging:
            return fmt_number(v, decimals)
        return ("+" if v > 0 else "−" if v < 0 else "±") + fmt_number(abs(v), decimals)

    if len(edges) >= 2:
        n = len(edges) - 1
        # spread fewer classes over the palette ends so that extremes keep their meaning
        idx = [round(i * (len(colours) - 1) / max(n - 1, 1)) for i in range(n)] if n > 1 else [2]
        bins = pd.cut(out["shown"], bins=edges, labels=False, include_lowest=True,
                      duplicates="drop") if edges[0] != edges[-1] else out["shown"].notna() * 0
        out["class"] = bins
        for i in range(n):
            lo, hi = edges[i], edges[i + 1]
            if diverging:
                text = (f"minder dan {fmt(hi)}" if math.isinf(lo) else
                        f"meer dan {fmt(lo)}" if math.isinf(hi) else f"{fmt(lo)} tot {fmt(hi)}")
            else:
                text = f"{fmt(lo)} – {fmt(hi)}" if lo != hi else fmt(lo)
            legend.append(LegendEntry(text, tuple(colours[idx[i]])))  # type: ignore[arg-type]
        out["fill"] = [list(colours[idx[int(c)]]) + [215] if pd.notna(c) else NO_VALUE + [200]
                       for c in out["class"]]
    else:
        out["class"] = None
        out["fill"] = [NO_VALUE + [200]] * len(out)
    for status, text in (("onderdrukt", "Onderdrukt"), ("ontbreekt", "Geen cijfer")):
        unknown = (out["status"] != "onderdrukt") & out["shown"].isna()
        if (out["status"] == status).any() if status == "onderdrukt" else unknown.any():
            legend.append(LegendEntry(text, tuple(NO_VALUE)))  # type: ignore[arg-type]
    return out, legend


def legend_caption(legend: list[LegendEntry], *, unit: str, polarity: str, mode: str) -> str:
    """The legend as one sentence (also for screen readers): classes, unit and meaning."""
    if polarity == HIGHER:
        meaning = "Groen betekent beter (hoger is beter), bruin slechter."
    elif polarity == LOWER:
        meaning = "Groen betekent beter (lager is beter), bruin slechter."
    else:
        meaning = "Neutrale indicator: de kleur zegt niets over beter of slechter."
    classes = "; ".join(e.label for e in legend)
    unit_text = "%-punt" if unit == "%" and mode != "waarde" else unit
    mode_text = MODES[mode][0].lower() + MODES[mode][1:]
    return f"Klassen ({mode_text}, eenheid: {unit_text}): {classes}. {meaning}"


# ---------------------------------------------------------------- pydeck


def _rings(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """Polygons (each a list of rings) of a GeoJSON Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _open(polygon: list[list[list[float]]]) -> list[list[list[float]]]:
    """Rings without their closing vertex: deck.gl closes polygons itself (fewer bytes)."""
    return [ring[:-1] if len(ring) > 3 and ring[0] == ring[-1] else ring for ring in polygon]


def initial_view(geometries: Iterable[dict[str, Any]]) -> pdk.ViewState:
    """A view that fits the given GeoJSON geometries into a map of about 700 x 540 pixels."""
    points = [p for g in geometries for poly in _rings(g) for ring in poly for p in ring]
    if not points:
        return pdk.ViewState(longitude=5.85, latitude=50.9, zoom=9.3)
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    # deck.gl's Web Mercator: a 512-pixel world at zoom 0
    lon_span = max(max(lons) - min(lons), 0.005)
    lat_span = max((max(lats) - min(lats)) / math.cos(math.radians(max(lats))), 0.005)
    zoom = min(math.log2(360 * 700 / (512 * lon_span)), math.log2(360 * 540 / (512 * lat_span)))
    return pdk.ViewState(longitude=round((min(lons) + max(lons)) / 2, 5),
                         latitude=round((min(lats) + max(lats)) / 2, 5),
                         zoom=round(max(8.0, min(14.0, zoom - 0.3)), 2))


class CompactDeck(pdk.Deck):
    """A pydeck Deck whose JSON (what st.pydeck_chart sends) has no indentation: pydeck
    indents by two spaces, which tripled the map payload at 14,000 polygons."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"),
                          ensure_ascii=False)


# Area names are drawn on the map up to this many areas; beyond it they overlap into noise
# (and 14,000 names cost 0.7 MB of the map's payload), and the tooltip names each area.
MAX_LABELS = 100


def build_deck(layers: dict[str, Any], frame: pd.DataFrame, *, show_context: bool = True
               ) -> pdk.Deck:
    """The choropleth: grey context buurten below, coloured programme areas on top."""
    area_rows, label_rows = [], []
    for rec in frame.to_dict("records"):
        geometry = layers["areas"].get(rec["key"])
        if geometry is None:
            continue
        props = {k: rec[k] for k in ("key", *TOOLTIP_FIELDS)}
        props["fill"] = rec["fill"]  # nothing else: every field is sent per polygon
        area_rows += [{**props, "polygon": _open(poly)} for poly in _rings(geometry)]
        if len(frame) <= MAX_LABELS:
            inside = shape(geometry).representative_point()  # always within the area
            label_rows.append({"name": rec["name"],
                               "position": [round(inside.x, 5), round(inside.y, 5)]})
    context_rows = [{"polygon": _open(poly)}
                    for c in (layers["context"] if show_context else []) for poly in _rings(c["geometry"])]
    deck_layers = []
    if context_rows:
        deck_layers.append(pdk.Layer(
            "PolygonLayer", id="context", data=context_rows, get_polygon="polygon",
            get_fill_color=CONTEXT_FILL, get_line_color=[255, 255, 255, 200],
            line_width_min_pixels=1, pickable=False, stroked=True, filled=True))
    deck_layers.append(pdk.Layer(
        "PolygonLayer", id="gebieden", data=area_rows, get_polygon="polygon",
        get_fill_color="fill", get_line_color=[40, 40, 40, 230], line_width_min_pixels=1.5,
        pickable=True, stroked=True, filled=True, auto_highlight=True))
    if label_rows:
        deck_layers.append(pdk.Layer(  # the area names, dark on the light fills
            "TextLayer", id="namen", data=label_rows, get_position="position",
            get_text="name", get_size=12, get_color=[20, 20, 20, 255], pickable=False))
    tooltip = {"text": "\n".join("{" + f + "}" for f in TOOLTIP_FIELDS),
               "style": {"backgroundColor": "#ffffff", "color": "#1f1f1f", "fontSize": "13px",
                         "border": "1px solid #999"}}
    shown = [layers["areas"][k] for k in frame["key"] if k in layers["areas"]]
    view = initial_view(shown or [c["geometry"] for c in layers["context"]])
    return CompactDeck(layers=deck_layers, initial_view_state=view,
                    map_provider="carto", map_style="light", tooltip=tooltip)


def table_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The same numbers as the map, for the table view and the CSV download."""
    cols = {"name": "Gebied", "programme": "Programma", "municipality_name": "Gemeente",
            "value": "Waarde", "numerator": "Teller", "denominator": "Noemer",
            "status": "Status", "ref_gm": "Gemeente (referentie)",
            "ref_zl": "Zuid-Limburg", "ref_nl": "Nederland", "shown": "Getoond op kaart",
            "note": "Toelichting"}
    return frame[[c for c in cols if c in frame]].rename(columns=cols)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV for Dutch spreadsheet software (``exports.to_csv``)."""
    return to_csv(table)


# ---------------------------------------------------------------- the whole view, cacheable

Loader = Callable[..., Any]  # load(query_name, **params): a registered query for one role
ALL = "alle"  # the programme/municipality filter value that keeps every area


@dataclass(frozen=True)
class MapView:
    """Everything Kaart shows for one selection, built once and cached as a whole: the
    deck's JSON (megabytes at national scale), its legend, table and CSV."""

    deck_json: str
    tooltip: dict[str, Any]
    legend: list[LegendEntry]
    table: pd.DataFrame
    csv: bytes
    source: str  # of the boundaries: "cbs" (official file), "meegeleverd" (shipped) or "geen"
    attribution: str
    without_polygon: list[str]  # "Douvenrade: nog geen CBS-indeling bekend"
    totals: list[tuple[str, str, str]] = field(default_factory=list)  # (key, name, value text)


class JsonDeck(pdk.Deck):
    """A deck whose JSON was built before (a cached ``MapView``): st.pydeck_chart only
    calls ``to_json`` and reads the tooltip."""

    def __init__(self, view: MapView) -> None:
        super().__init__(layers=[], tooltip=view.tooltip, map_provider="carto",
                         map_style="light")
        self._json = view.deck_json

    def to_json(self) -> str:
        return self._json


def periods(load: Loader, *, indicator_key: str) -> list[str]:
    """The indicator's periods with area figures, newest first."""
    return sorted(load("area_values", indicator_key=indicator_key)["period"].unique(),
                  reverse=True)


def programme_options(areas: pd.DataFrame) -> dict[str, str]:
    """Kaart's programme filter: programme key -> name (the URL holds the key)."""
    programmes = areas.drop_duplicates("programme_key").sort_values("programme")
    return {ALL: "Alle programma's",
            **dict(zip(programmes["programme_key"], programmes["programme"], strict=True))}


def municipality_options(areas: pd.DataFrame) -> dict[str, str]:
    """Kaart's municipality filter: CBS municipality code -> name (the URL holds the code)."""
    munis = areas.drop_duplicates("municipality_code").sort_values("municipality_name")
    return {ALL: "Alle gemeenten",
            **dict(zip(munis["municipality_code"], munis["municipality_name"], strict=True))}


def map_view(load: Loader, *, indicator_key: str, period: str, mode: str,
             baseline: str | None, programme: str = ALL, municipality: str = ALL
             ) -> MapView | None:
    """Kaart for one indicator, period, comparison and filter (a programme key and a CBS
    municipality code, or ``ALL``); ``None`` when the filter leaves no programme area."""
    meta = load("indicators").set_index("key").loc[indicator_key]
    areas = load("areas")
    shown = areas[((areas["programme_key"] == programme) | (programme == ALL))
                  & ((areas["municipality_code"] == municipality) | (municipality == ALL))]
    if shown.empty:
        return None
    layers = load("map_layers")
    frame = map_frame(shown, load("area_values", indicator_key=indicator_key),
                      load("reference_values", indicator_key=indicator_key),
                      period=period, mode=mode, unit=meta["unit"], baseline=baseline)
    without = layers["without_polygon"]  # not drawn; the table says why
    reasons = frame["key"].map(without)
    frame["note"] = reasons.where(reasons.notna(), frame["note"])
    frame, legend = assign_classes(frame, polarity=meta["polarity"], mode=mode, unit=meta["unit"])
    deck = build_deck(layers, frame)
    # Each programme in view as an area of its own: in the table (not drawn over its areas,
    # not part of the legend's classes); not with a municipality filter, which cuts it.
    totals = load("programme_totals")
    totals = totals[totals["programme_key"].isin(shown["programme_key"]) & (municipality == ALL)]
    total_frame = map_frame(totals, load("area_values", indicator_key=indicator_key),
                            load("reference_values", indicator_key=indicator_key),
                            period=period, mode=mode, unit=meta["unit"], baseline=baseline)
    table = pd.concat([table_frame(frame), table_frame(total_frame)], ignore_index=True)
    return MapView(deck_json=deck.to_json(), tooltip=deck._tooltip, legend=legend, table=table,
                   csv=csv_bytes(table), source=layers["source"],
                   attribution=layers["attribution"] or "",
                   without_polygon=[f"{name}: {without[key]}" for key, name
                                    in zip(frame["key"], frame["name"], strict=True)
                                    if key in without],
                   totals=[(r.key, r.name, r.value_text) for r in total_frame.itertuples()])
