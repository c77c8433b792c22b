"""Direction-aware verdicts, Making Data Count categories, texts and chance signals."""

from __future__ import annotations

import pytest

from dashboard.domain import spc, verdicts
from data_loaders.models import Polarity

FLAT = [10.0, 11, 9, 10, 12, 10, 9, 11, 10, 11, 9, 10]
DOWN = FLAT + [6.0] * 8  # a fall after 12 points
UP = FLAT + [14.0] * 8


def i_chart(values: list[float]) -> spc.SeriesAnalysis:
    return spc.analyse(values, chart="i", baseline=12)


@pytest.mark.parametrize(("values", "polarity", "key", "variation"), [
    (DOWN, Polarity.LOWER_IS_BETTER, "verbetering", "improvement_low"),
    (DOWN, Polarity.HIGHER_IS_BETTER, "verslechtering", "concern_low"),
    (UP, "lager is beter", "verslechtering", "concern_high"),
    (UP, "hoger is beter", "verbetering", "improvement_high"),
    (UP, "neutraal", "verandering", "neutral_high"),
    (FLAT + FLAT[:8], "lager is beter", "geen aantoonbare verandering", "common_cause"),
    (FLAT[:5], "lager is beter", "te weinig gegevens", None),
])
def test_a_signal_reads_as_improvement_or_deterioration_by_polarity(values, polarity, key,
                                                                     variation):
    verdict = verdicts.series_verdict(i_chart(values), polarity)
    assert verdict.key == key and verdict.variation == variation
    assert verdict.label == key.capitalize()
    assert verdict.explanation == verdicts.EXPLANATIONS[key]
    assert verdict.icon.text and verdict.icon.markdown.startswith(f":{verdict.icon.colour}[")


def test_assurance_follows_nhsrplotthedots():
    """NHSRplotthedots test-ptd_calculate_assurance_type.R: limits (1, 3), (5, 7), (1, 5)
    and target 4 give fail / pass / inconsistent when higher is better, and the mirror
    when lower is better; none for a neutral indicator or without a target."""
    def chart(lower: float, upper: float) -> spc.SeriesAnalysis:
        return spc.SeriesAnalysis(chart="i", values=[(lower + upper) / 2], centre=[(lower + upper) / 2],
                                  lower=[lower], upper=[upper], phase=[0], in_long_run=[False],
                                  shift=[False], trend=[False], astronomical=[False],
                                  outside_limits=[False])
    cases = [chart(1, 3), chart(5, 7), chart(1, 5)]
    up = [verdicts.assurance_category(c, "hoger is beter", 4) for c in cases]
    down = [verdicts.assurance_category(c, "lager is beter", 4) for c in cases]
    assert up == ["consistent_fail", "consistent_pass", "hit_and_miss"]
    assert down == ["consistent_pass", "consistent_fail", "hit_and_miss"]
    assert verdicts.assurance_category(cases[0], "neutraal", 4) is None
    assert verdicts.assurance_category(cases[0], "hoger is beter", None) is None
    assert verdicts.ASSURANCE["hit_and_miss"].text == "Haalt het doel soms"


def test_a_polarity_that_is_not_known_is_refused_in_dutch():
    with pytest.raises(ValueError, match="Onbekende richting 'omhoog is goed'"):
        verdicts.series_verdict(i_chart(DOWN), "omhoog is goed")


def test_every_chart_type_and_glossary_term_is_explained_in_plain_dutch():
    assert set(verdicts.CHART_EXPLANATIONS) == {*spc.CHART_LABELS, "funnel"}
    terms = [term for term, _ in verdicts.BEGRIPPEN]
    assert terms == ["Runchart", "Regelkaart", "Trechterdiagram", "Bewijskracht", "Middenlijn",
                     "Grenzen", "Basislijn", "Signaal", "P′-kaart en U′-kaart", "95%-interval",
                     "Verschil-in-verschillen"]
    assert all(len(text) > 40 and "sigma" not in text.split("(")[0] for _, text in verdicts.BEGRIPPEN)


def test_chance_signals_among_many_series():
    # 35 teams × 6 metrics of 20 quarters, U and P charts
    series = [("u", 20)] * 140 + [("p", 20)] * 70
    expected_new = verdicts.expected_chance_signals(series, new=True)
    assert 1.5 < expected_new < 3.5
    assert verdicts.chance_signals_sentence(210, expected_new) == (
        "Bij 210 reeksen zonder echte verandering zijn ongeveer 2 nieuwe signalen per kwartaal "
        "toeval; een enkel nieuw signaal is dus nog geen nieuws.")
    assert verdicts.expected_chance_signals([("i", 5)]) == 0.0  # no verdict below 10 points
    assert verdicts.chance_rate("u'", 22) == verdicts.FALSE_ALARM_RATES["u"][20][0]


@pytest.mark.slow
def test_the_chance_table_matches_the_engine():
    """Re-simulate two cells of FALSE_ALARM_RATES with another seed."""
    for chart, n in (("u", 20), ("i", 12)):
        rate, _ = verdicts.simulate_false_alarms(chart, n, reps=1500, seed=99)
        assert rate == pytest.approx(verdicts.FALSE_ALARM_RATES[chart][n][0], abs=0.025)


def test_signals_are_ranked_deteriorations_first_then_by_size():
    big_rise = i_chart(FLAT + [20.0] * 8)
    small_rise = i_chart(UP)
    fall = i_chart(DOWN)
    ranked = sorted([fall, small_rise, big_rise],
                    key=lambda a: verdicts.signal_rank_key(a, "lager is beter"))
    assert ranked == [big_rise, small_rise, fall]
    assert verdicts.signal_size(big_rise) > verdicts.signal_size(small_rise) > 0
