"""Kernteams: quarterly results of the kernteams ouderen, run/control charts per team,
a comparison across teams that accounts for team size, and the teams with a signal."""

import altair as alt
import streamlit as st

from dashboard.ui import charts, views
from dashboard.domain import disclosure, kernteams, monitoring
from dashboard import ui
from dashboard.domain.i18n import fmt_number

ui.entry_guard()

st.title("Kernteams")
ui.demo_marker()
st.caption("Resultaten van de kernteams ouderen per kwartaal: tellingen met hun noemer "
           "(kwetsbare ouderen in beeld). Signalen volgen de regels van Anhøj en het IHI.")

filters = views.programme_area_filters("kt")
quarters = monitoring.apply_filters(ui.load("kernteam_quarters"), filters)
interventions = ui.load("kernteam_interventions")
if quarters.empty:
    ui.empty_state("Geen kernteams in deze selectie. Kernteams werken in de PlusWIJken-gebieden.")
    st.stop()

c1, c2, c3 = st.columns(3)
metric_key = views.url_select("Kengetal", {k: m.label for k, m in kernteams.METRICS.items()},
                              param="kengetal", key="kt_kengetal", default="admissions",
                              container=c1)
metric = kernteams.METRICS[metric_key]
method_choice = views.url_select(
    "Interventie in de kaart", kernteams.METHODS, param="methode", key="kt_methode",
    default="baseline", container=c3,
    help="Bij een interventie: de middenlijn en grenzen van de kwartalen ervóór doortrekken "
         "(bevroren basislijn), of na de interventie een nieuwe fase met eigen middenlijn.")
method: kernteams.Method = "phases" if method_choice == "phases" else "baseline"
verdicts = ui.computed(kernteams.team_verdicts, quarters, interventions, method=method)
signals = kernteams.signal_list(verdicts)
teams = sorted(quarters["team"].unique())
metric_signals = signals[signals["metric"] == metric_key]
default_team = metric_signals["team"].iloc[0] if len(metric_signals) else teams[0]
names = quarters.drop_duplicates("team").set_index("team")["area"]
team = views.url_select("Kernteam", {t: f"{t} · {names[t]}" for t in teams}, param="team",
                        key="kt_team", default=default_team, container=c2)

# ------------------------------------------------------------------ headline figures
latest_q = quarters["quarter"].max()
latest = quarters[quarters["quarter"] == latest_q]
m1, m2, m3, m4 = st.columns(4)
m1.metric("Kernteams", fmt_number(quarters["team"].nunique()))
m2.metric(f"Kwetsbare ouderen in beeld ({ui.escape_md(latest_q)})",
          fmt_number(latest["frail_elderly"].sum()))
m3.metric(f"{ui.escape_md(metric.label)} ({ui.escape_md(latest_q)})",
          fmt_number(latest[metric.numerator].sum() / latest[metric.denominator].sum()
                     * metric.multiplier, 1))
m4.metric("Teams met een signaal voor dit kengetal", fmt_number(len(metric_signals)))

# ------------------------------------------------------------------ teams with a signal
st.subheader("Teams met een signaal")
st.caption("Per team en kengetal de beoordeling van de laatste fase. Een daling van opnames of "
           "SEH-bezoeken is gunstig; een stijging van zorgplannen of MDO ook.")
views.chart_with_table(
    None,
    signals.assign(favourable=signals["favourable"].map({True: "gunstig", False: "ongunstig"})),
    columns={"team": "Kernteam", "area": "Gebied", "metric_label": "Kengetal",
             "direction": "Richting", "favourable": "Beoordeling", "signal_points": "Signaalpunten",
             "points": "Kwartalen", "centre": "Middenlijn", "latest": "Laatste waarde",
             "intervention": "Interventie"},
    name="kernteams-signalen",
    column_config={"Middenlijn": views.ONE_DECIMAL, "Laatste waarde": views.ONE_DECIMAL})

# ------------------------------------------------------------------ run/control chart of one team
st.subheader(f"{ui.escape_md(metric.label)}: {ui.escape_md(team)}")
series = kernteams.team_series(quarters, team)
team_iv = interventions[interventions["team"] == team]
analysis = kernteams.analyse_team(series, metric, list(team_iv["started_on"]), method)
chart = ui.chart_spec(
    charts.spc_chart, analysis, list(series["quarter_start"]), list(series["quarter"]),
    title=f"{team} · {names[team]}", y_title=metric.short, x_title="Kwartaal",
    interventions=list(zip(team_iv["started_on"], team_iv["label"], strict=True)))
frame = charts.spc_frame(analysis, list(series["quarter_start"]), list(series["quarter"]))
frame["numerator"] = [disclosure.mark_small(v) for v in series[metric.numerator]]
frame["denominator"] = list(series[metric.denominator])
views.chart_with_table(
    chart, frame,
    columns={"label": "Kwartaal", "numerator": "Aantal", "denominator": "Kwetsbare ouderen",
             "value": metric.unit, "centre": "Middenlijn", "lower": "Ondergrens",
             "upper": "Bovengrens", "status": "Beoordeling"},
    name=f"kernteam-{team}-{metric_key}",
    column_config={metric.unit: views.ONE_DECIMAL, "Middenlijn": views.ONE_DECIMAL,
                   "Ondergrens": views.ONE_DECIMAL, "Bovengrens": views.ONE_DECIMAL})
phase = analysis.phases[-1]
st.caption(f"Beoordeling: **{ui.escape_md(analysis.verdict)}** · {fmt_number(phase.n)} "
           "kwartalen in de laatste fase · "
           f"langste reeks {fmt_number(phase.longest_run)} "
           f"(grens {fmt_number(phase.longest_run_max)}) · "
           f"{fmt_number(phase.crossings)} kruisingen "
           f"(minimaal {fmt_number(phase.crossings_min)}) · "
           f"{fmt_number(phase.outside_limits)} punten buiten de grenzen.")

# ------------------------------------------------------------------ funnel plot across teams
period = kernteams.recent_quarters(quarters, 4)
st.subheader("Vergelijking tussen teams")
st.caption(f"Trechterdiagram over {ui.escape_md(period[0])} t/m {ui.escape_md(period[-1])}: "
           "kleinere teams hebben bredere "
           "grenzen, zodat een klein team niet onterecht opvalt. Punten buiten de 3-sigma-grens "
           "wijken echt af.")
teams_df, curve = kernteams.funnel_frame(quarters, metric, period)
if not teams_df.empty:
    band = alt.Chart(curve).encode(x=alt.X("denominator:Q", title="Kwetsbare ouderen (noemer)"))
    layers = [band.mark_line(color=charts.LIMIT_COLOUR, strokeDash=[5, 4]).encode(y=f"{c}:Q")
              for c in ("lower3", "upper3")]
    layers += [band.mark_line(color=charts.LIMIT_COLOUR, strokeDash=[2, 2], opacity=0.6)
               .encode(y=f"{c}:Q") for c in ("lower2", "upper2")]
    layers.append(band.mark_line(color="#1C2733").encode(y="pooled:Q"))
    layers.append(alt.Chart(teams_df).mark_point(filled=True, size=80).encode(
        x="denominator:Q", y=alt.Y("rate:Q", title=metric.short),
        color=alt.Color("position:N", title="Ten opzichte van de grenzen",
                        scale=alt.Scale(domain=["binnen", "boven", "onder"],
                                        range=[charts.POINT_COLOUR, charts.SIGNAL_COLOUR,
                                               charts.SIGNAL_COLOUR])),
        shape=alt.Shape("position:N", title="Ten opzichte van de grenzen",
                        scale=alt.Scale(domain=["binnen", "boven", "onder"],
                                        range=["circle", "triangle-up", "triangle-down"])),
        tooltip=[alt.Tooltip("team:N", title="Kernteam"), alt.Tooltip("area:N", title="Gebied"),
                 alt.Tooltip("rate:Q", title=metric.unit, format=",.1f"),
                 alt.Tooltip("denominator:Q", title="Kwetsbare ouderen", format=",d")]))
    funnel = alt.layer(*layers).properties(
        title=f"{metric.label} per team", height=320,
        description=f"Trechterdiagram van {metric.label} voor {len(teams_df)} kernteams; "
                    f"{int((teams_df['position'] != 'binnen').sum())} teams buiten de grenzen.")
    views.chart_with_table(
        funnel, teams_df.sort_values("rate"),
        columns={"team": "Kernteam", "area": "Gebied", "numerator": "Aantal",
                 "denominator": "Kwetsbare ouderen", "rate": metric.unit,
                 "lower3": "Ondergrens (3σ)", "upper3": "Bovengrens (3σ)",
                 "position": "Ten opzichte van de grenzen"},
        name=f"kernteams-trechter-{metric_key}",
        column_config={metric.unit: views.ONE_DECIMAL, "Ondergrens (3σ)": views.ONE_DECIMAL,
                       "Bovengrens (3σ)": views.ONE_DECIMAL})

# ------------------------------------------------------------------ results of all teams
st.subheader("Resultaten per team en kwartaal")
chosen_q = views.url_select("Kwartaal", {q: q for q in sorted(quarters["quarter"].unique(),
                                                               reverse=True)},
                            param="kwartaal", key="kt_kwartaal", default=latest_q)
rows = quarters[quarters["quarter"] == chosen_q].copy()
for key, m in kernteams.METRICS.items():
    rows[f"rate_{key}"] = rows[m.numerator] / rows[m.denominator] * m.multiplier
COUNTS = ["with_care_plan", "discussed_mdo", "ed_visits", "admissions", "readmissions", "falls"]
views.chart_with_table(
    None, disclosure.mark_small_columns(rows, COUNTS),
    columns={"team": "Kernteam", "area": "Gebied", "practice": "PlusPraktijk",
             "frail_elderly": "Kwetsbare ouderen", "with_care_plan": "Met zorgplan",
             "discussed_mdo": "Besproken in MDO", "ed_visits": "SEH-bezoeken",
             "admissions": "Opnames", "readmissions": "Heropnames", "falls": "Valincidenten",
             "rate_ed_visits": "SEH per 1.000", "rate_admissions": "Opnames per 1.000",
             "rate_with_care_plan": "Zorgplan (%)", "rate_discussed_mdo": "MDO (%)"},
    name=f"kernteams-{chosen_q}",
    column_config={c: views.ONE_DECIMAL for c in ("SEH per 1.000", "Opnames per 1.000",
                                                  "Zorgplan (%)", "MDO (%)")})
