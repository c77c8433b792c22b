"""The public face: anonymous visitors see only public pages, no figure below the disclosure
threshold, and no unpublished decision, also not after internal views filled the cache."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from sqlalchemy import func, select, update
from streamlit.testing.v1 import AppTest

from dashboard.domain.i18n import fmt_number
from dashboard.domain.roles import PAGES, Permission, Role, pages_for
from dashboard.store.queries import QUERIES
from data_loaders.db import make_engine, transaction
from data_loaders.models import Area, Decision, Indicator, IndicatorValue, ValueStatus
from tests.helpers import ROOT
from tests.helpers.apptest import sign_in

SECRET = "VERTROUWELIJK-ONGEPUBLICEERD-7f3a"
VISIBLE = "GEPUBLICEERDE-LES-MARKER-2b9c"


@pytest.fixture()
def db_url(demo_sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    copy = tmp_path / "public.sqlite"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("LN_DATABASE_URL", url)
    return url


def walk(node, out: list) -> list:  # type: ignore[no-untyped-def]
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            out.append(child)
            walk(child, out)
    return out


def page_output(at: AppTest) -> dict[str, list]:
    """Everything a page rendered: text, table cells, metric values and chart specs + data."""
    text = [str(e.value) for kind in ("title", "header", "subheader", "markdown", "caption",
                                      "info", "warning", "error") for e in getattr(at, kind)]
    text += [str(e.label) for e in at.expander] + [f"{m.label} {m.value}" for m in at.metric]
    tables = [t.value for t in at.table] + [d.value for d in at.dataframe]
    charts = []
    for e in walk(at._tree, []):
        if getattr(e, "type", "") == "vega_lite_chart":
            data = [pa.ipc.open_stream(io.BytesIO(d.data.data)).read_all().to_pandas()
                    for d in e.proto.datasets]
            charts.append((e.proto.spec, data))
    return {"text": text, "tables": tables, "charts": charts}


def all_strings(out: dict[str, list]) -> str:
    parts = list(out["text"])
    for t in out["tables"]:
        parts.append(t.reset_index().astype(str).to_csv())
    for spec, data in out["charts"]:
        parts.append(spec)
        parts += [d.astype(str).to_csv() for d in data]
    return "\n".join(parts)


def visit_public_pages(at: AppTest) -> list[tuple[str, dict[str, list]]]:
    """Render every public page, and on Geleerde lessen every public key figure."""
    seen = []
    for page in pages_for(Role.PUBLIEK):
        at.switch_page(page.path).run()
        assert not at.exception, [e.value for e in at.exception]
        seen.append((page.title, page_output(at)))
        if page.path == "pages/geleerde_lessen.py":
            for key in at.selectbox(key="public_indicator").options:
                at.selectbox(key="public_indicator").select(key).run()
                seen.append((f"{page.title}: {key}", page_output(at)))
    return seen


def small_figures(url: str) -> pd.DataFrame:
    """Straight from the database: latest public values whose count is 1-9 (the truth that
    must not be published), with their exact rate."""
    engine = make_engine(url)
    with transaction(engine) as s:
        latest = (select(IndicatorValue.indicator_id, IndicatorValue.area_id,
                         func.max(IndicatorValue.period).label("period"))
                  .where(IndicatorValue.area_id.is_not(None))
                  .group_by(IndicatorValue.indicator_id, IndicatorValue.area_id).subquery())
        rows = s.execute(
            select(Indicator.label, Indicator.is_rate, Indicator.multiplier, Area.name,
                   IndicatorValue.value, IndicatorValue.numerator, IndicatorValue.denominator)
            .join(latest, (latest.c.indicator_id == IndicatorValue.indicator_id)
                  & (latest.c.area_id == IndicatorValue.area_id)
                  & (latest.c.period == IndicatorValue.period))
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .join(Area, Area.id == IndicatorValue.area_id)
            .where(Indicator.is_public.is_(True))).all()
    engine.dispose()
    df = pd.DataFrame(rows, columns=["indicator", "is_rate", "mult", "area", "value", "num", "den"])
    count = df["num"].where(df["is_rate"], df["value"])
    return df[(count > 0) & (count < 10)]


def test_anonymous_visitor_has_only_the_public_pages(db_url):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    public = {p.path for p in PAGES if p.permission is Permission.VIEW_PUBLIC}
    assert {p.path for p in pages_for(Role.PUBLIEK)} == public
    assert "pages/toegankelijkheid.py" in public
    for page in PAGES:
        if page.path in public:
            continue
        with pytest.raises(ValueError):  # not registered in the navigation at all
            at.switch_page(page.path)


def test_no_public_output_reveals_a_figure_below_the_threshold(db_url):
    truth = small_figures(db_url)
    assert len(truth) >= 2, "demo data should hold small counts to protect"
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    outputs = visit_public_pages(at)
    assert any("<10" in all_strings(out) for _, out in outputs)  # the hidden state is visible
    for title, out in outputs:
        for row in truth.itertuples():
            if row.is_rate:  # the rate of a small numerator, as a shown figure or in chart data
                rate = row.num / row.den * row.mult
                for table in out["tables"]:
                    flat = table.reset_index().astype(str)
                    if "Gebied" in flat:
                        cells = set(flat[flat["Gebied"] == row.area].to_numpy().ravel())
                        assert fmt_number(rate, 1) not in cells, (title, row)
                for _, data in out["charts"]:
                    for d in data:
                        for col in d.select_dtypes("number"):
                            assert not (d[col] - rate).abs().lt(1e-6).any(), (title, row, col)
        for table in out["tables"]:
            for col in [c for c in table.columns if str(c).startswith("Aantal")]:
                for cell in table[col].astype(str):
                    # every published count is hidden, or a multiple of 5 (never 1-9)
                    assert cell in {"<10", "•", "–", "0"} or (
                        int(cell.replace(".", "")) % 5 == 0 and int(cell.replace(".", "")) >= 10
                    ), (title, col, cell)


def test_an_unpublished_decision_never_appears_publicly(db_url):
    engine = make_engine(db_url)
    with transaction(engine) as s:
        hidden = s.scalars(select(Decision).where(Decision.published.is_(False))).first()
        shown = s.scalars(select(Decision).where(Decision.published.is_(True))).first()
        hidden_id = hidden.id
        s.execute(update(Decision).where(Decision.id == hidden_id).values(
            public_summary=f"{SECRET} samenvatting", rationale=f"{SECRET} onderbouwing"))
        s.execute(update(Decision).where(Decision.id == shown.id).values(
            public_summary=f"{VISIBLE} samenvatting"))
    engine.dispose()

    # An internal view first: the secret is there for a signed-in role and now in the cache.
    internal = sign_in(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run(),
                       "bestuurder", "demo")
    internal.switch_page("pages/besluiten.py").run()
    internal.selectbox(key="url_besluit").select(str(hidden_id)).run()
    assert SECRET in all_strings(page_output(internal))

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    everything = "\n".join(all_strings(out) for _, out in visit_public_pages(at))
    assert VISIBLE in everything  # published lessons do get through
    assert SECRET not in everything
    # ... also not through a crafted share link
    linked = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    linked.query_params["les"] = str(hidden_id)
    linked.run()
    text = all_strings(page_output(linked))
    assert SECRET not in text
    assert "bestaat niet of is niet gepubliceerd" in text


def test_a_shared_lesson_link_shows_that_lesson(db_url):
    engine = make_engine(db_url)
    with transaction(engine) as s:
        lesson = s.scalars(select(Decision).where(Decision.published.is_(True))
                           .order_by(Decision.decided_on)).first()
        lesson_id, subject = lesson.id, lesson.subject
    engine.dispose()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["les"] = str(lesson_id)
    at.run()
    assert [h.value for h in at.subheader] == [subject]
    assert at.header[0].value == "Les uit een besluit"


def test_each_demo_lesson_says_what_was_tried_what_happened_in_a_number_and_what_changes(db_url):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    text = [m.value for m in at.markdown]
    for label in ("Wat we probeerden", "Wat er gebeurde", "Wat er verandert"):
        assert len([t for t in text if t.startswith(f"**{label}:**")]) == len(at.subheader)
    happened = [t for t in text if t.startswith("**Wat er gebeurde:**")]
    assert all(re.search(r"\d", t) for t in happened), "a result without a number"
    codes = re.compile(r"\b(BZ|PW|KT)-\d+\b")
    assert not [t for t in text if codes.search(t)], "an internal code on the public page"


def dutch_number(text: str) -> float:
    """A number as the page writes it (1.234,5) back to a float."""
    return float(text.replace(".", "").replace(",", "."))


def test_every_key_figure_a_visitor_receives_is_the_figure_shown(db_url):
    """Chart data, tooltips and table: each number sent to an anonymous visitor is the
    rounded figure in the text, never a numerator, denominator or unrounded rate (11/117
    sent as 9.401709 next to a shown count of 10 gives the exact figures away)."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    figures = [(t, out) for t, out in visit_public_pages(at) if t.startswith("Geleerde lessen: ")]
    assert figures and any(out["charts"] for _, out in figures)
    checked = 0
    for title, out in figures:
        [table] = out["tables"]
        shown = {str(area): {str(v) for v in row} for area, row in table.iterrows()}
        for cells in shown.values():  # the text itself: counts rounded to 5, rates to 1 decimal
            for text in cells - {"<10", "•", "–", ""}:
                if re.fullmatch(r"[\d.]+", text):
                    assert dutch_number(text) % 5 == 0, (title, text)
                elif re.fullmatch(r"[\d.]+,\d+", text):
                    assert re.fullmatch(r"[\d.]+,\d", text), (title, text)
        for spec, data in out["charts"]:
            assert '"values"' not in spec  # no inline data besides the datasets checked here
            for frame in data:
                for row in frame.to_dict("records"):
                    [area] = [v for v in row.values() if str(v) in shown]
                    texts = shown[str(area)]
                    for column, value in row.items():
                        if isinstance(value, int | float):
                            assert any(dutch_number(t) == value for t in texts
                                       if re.fullmatch(r"[\d.]+(,\d+)?", t)), (title, column, value)
                        else:
                            assert str(value) in texts | {str(area)}, (title, column, value)
                    checked += 1
    assert checked > 20


def crafted_group(url: str, values: dict[str, tuple[float, float]]) -> None:
    """Set the latest 'Ernstig eenzaam' figure of the named areas to numerator/denominator."""
    engine = make_engine(url)
    with transaction(engine) as s:
        indicator = s.scalar(select(Indicator.id).where(Indicator.key == "eenzaamheid"))
        for name, (num, den) in values.items():
            area = s.scalar(select(Area.id).where(Area.name == name))
            latest = s.scalar(select(func.max(IndicatorValue.period)).where(
                IndicatorValue.indicator_id == indicator, IndicatorValue.area_id == area))
            s.execute(update(IndicatorValue).where(
                IndicatorValue.indicator_id == indicator, IndicatorValue.area_id == area,
                IndicatorValue.period == latest).values(
                numerator=num, denominator=den, value=num / den * 100, status=ValueStatus.OK))
    engine.dispose()


BLAUWE_ZORG = {"Wittevrouwenveld": (11, 117), "Wyckerpoort": (8, 90), "Nazareth": (50, 300),
               "Limmel": (40, 250)}


def published_group(url: str) -> pd.DataFrame:
    engine = make_engine(url)
    try:
        df = QUERIES["public_indicators"](engine, Role.PUBLIEK)
    finally:
        engine.dispose()
    return df[(df["indicator_key"] == "eenzaamheid")
              & (df["programme"] == "Blauwe Zorg in de wijk")].reset_index(drop=True)


@pytest.mark.parametrize("hidden", ["Wyckerpoort", "Limmel"])
def test_a_hidden_small_count_cannot_be_recovered_from_the_programme_total(db_url, hidden):
    """11/117, 8/90, 50/300 (and 40/250): whatever the hidden small count and its
    denominator really are, an anonymous visitor receives exactly the same figures, so
    neither the total's count nor its rate narrows the "<10" down. Limmel = 1/40 is the
    case where a published total of 10 (1 + 10 + ...) would have bounded it."""
    group = dict(BLAUWE_ZORG)
    if hidden == "Limmel":
        group.update(Limmel=(1, 40), Wittevrouwenveld=(10, 80))
    crafted_group(db_url, group)
    seen = published_group(db_url)
    for numerator in range(1, 10):
        for denominator in (numerator, 90, 400):
            crafted_group(db_url, {**group, hidden: (numerator, denominator)})
            pd.testing.assert_frame_equal(published_group(db_url), seen)
    by_area = seen.set_index("area")
    assert by_area.loc[hidden, "count_text"] == "<10" and pd.isna(by_area.loc[hidden, "rate"])
    total = by_area.loc["Totaal Blauwe Zorg in de wijk"]
    assert (total["count_text"], total["rate_text"]) == ("•", "•")
    assert pd.isna(total["rate"])
    if hidden == "Wyckerpoort":  # 11/117: "10" and 9,4 % — never 9.401709
        assert by_area.loc["Wittevrouwenveld", ["count_text", "rate_text"]].tolist() == ["10", "9,4"]
        assert by_area.loc["Wittevrouwenveld", "rate"] == 9.4
        assert by_area.loc["Nazareth", "rate"] == 16.7


def test_key_figures_are_compared_with_nederland_and_the_municipalities(db_url):
    engine = make_engine(db_url)
    references = QUERIES["public_references"](engine, Role.PUBLIEK)
    engine.dispose()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    box = next(b for b in at.selectbox if b.label == "Kerncijfer")
    for key in list(dict.fromkeys(references["indicator_key"]))[:2]:
        box.set_value(key).run()
        line = next(m.value for m in at.markdown if m.value.startswith("**Ter vergelijking**"))
        mine = references[references["indicator_key"] == key]
        assert line.index("Nederland") < line.index("gemeente")  # the country first
        for r in mine.itertuples():
            assert f"{r.region} {r.value_text} ({r.period})" in line
        assert {"gemeente Maastricht", "gemeente Heerlen"} <= set(mine["region"])
        box = next(b for b in at.selectbox if b.label == "Kerncijfer")
