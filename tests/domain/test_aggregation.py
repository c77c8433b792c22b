"""One aggregation rule: counts summed, rates recomputed, suppression never hidden."""

import pytest

from dashboard.domain.aggregation import aggregate_parts, wilson_interval


def test_two_buurten_rate_is_recomputed_from_numerators_and_denominators():
    small = {"value": 10.0, "numerator": 10, "denominator": 100, "status": "ok"}
    large = {"value": 30.0, "numerator": 90, "denominator": 300, "status": "ok"}
    agg = aggregate_parts([small, large], is_rate=True, multiplier=100)
    assert agg.value == pytest.approx(25.0)  # 100 / 400, not the average of rates (20)
    assert (agg.numerator, agg.denominator, agg.status) == (100, 400, "ok")


def test_counts_are_summed():
    agg = aggregate_parts([{"value": 1200, "numerator": 1200, "status": "ok"},
                           {"value": 800, "numerator": 800, "status": "ok"}], is_rate=False)
    assert agg.value == 2000 and agg.status == "ok"


@pytest.mark.parametrize("is_rate", [True, False])
def test_a_suppressed_part_suppresses_the_aggregate(is_rate):
    ok = {"value": 50.0, "numerator": 50, "denominator": 100, "status": "ok"}
    secret = {"value": None, "numerator": None, "denominator": None, "status": "onderdrukt"}
    agg = aggregate_parts([ok, secret], is_rate=is_rate, multiplier=100)
    assert agg.status == "onderdrukt" and agg.value is None
    assert "1 van 2 delen onderdrukt" in agg.note


def test_a_rate_without_numerator_cannot_be_recomputed():
    agg = aggregate_parts([{"value": 12.0, "numerator": None, "denominator": 100, "status": "ok"},
                           {"value": 8.0, "numerator": 8, "denominator": 100, "status": "ok"}],
                          is_rate=True, multiplier=100)
    assert agg.status == "ontbreekt" and agg.value is None


def test_a_missing_part_makes_the_total_unknown_not_low():
    agg = aggregate_parts([{"value": 500, "numerator": 500, "status": "ok"},
                           {"status": "ontbreekt"}], is_rate=False)
    assert agg.status == "ontbreekt" and agg.value is None


def test_wilson_interval_holds_the_share_and_narrows_with_more_respondents():
    lo_small, hi_small = wilson_interval(30, 100)
    lo_big, hi_big = wilson_interval(300, 1000)
    assert lo_small < 0.3 < hi_small and lo_big < 0.3 < hi_big
    assert hi_big - lo_big < hi_small - lo_small
    assert wilson_interval(0, 20)[0] == 0.0  # never below zero


def test_a_survey_share_of_an_area_is_weighted_by_population_not_respondents():
    """20% of 200 respondents and 60% of 50: respondent weighting gives 28%; with nine
    times as many inhabitants in the second part the area's share is 56%."""
    from dashboard.domain.aggregation import aggregate_survey

    parts = [{"numerator": 40, "denominator": 200, "status": "ok"},
             {"numerator": 30, "denominator": 50, "status": "ok"}]
    assert aggregate_parts(parts, is_rate=True, multiplier=100).value == pytest.approx(28.0)
    agg = aggregate_survey(parts, [1000, 9000])
    assert agg.value == pytest.approx(56.0)
    var = 0.1 ** 2 * 0.2 * 0.8 / 200 + 0.9 ** 2 * 0.6 * 0.4 / 50
    assert agg.effective_n == pytest.approx(0.56 * 0.44 / var)
    assert agg.lower < 56 < agg.upper and agg.upper - agg.lower > 20  # 50 respondents carry it
    assert "Gewogen naar inwonertal" in agg.note


def test_a_survey_interval_is_withheld_when_a_part_is_all_or_nothing():
    from dashboard.domain.aggregation import aggregate_survey

    agg = aggregate_survey([{"numerator": 0, "denominator": 30, "status": "ok"},
                            {"numerator": 10, "denominator": 40, "status": "ok"}], [500, 500])
    assert agg.value == pytest.approx(12.5) and agg.lower is None
    assert "Geen betrouwbaarheidsinterval" in agg.note
    nobody = aggregate_survey([{"numerator": 0, "denominator": 0, "status": "ok"},
                               {"numerator": 10, "denominator": 40, "status": "ok"}], [500, 500])
    assert nobody.value is None and "geen respondenten" in nobody.note
    with pytest.raises(ValueError, match="2 delen maar 1 inwonertallen"):
        aggregate_survey([{}, {}], [1])


@pytest.mark.parametrize(("num", "den", "message"), [
    (12, 10, "de teller \\(12\\) is groter dan de noemer \\(10\\)"),
    (-1, 10, "de teller kan niet negatief zijn"),
    (3, 0, "de noemer is nul"),
    (3, -5, "de noemer kan niet negatief zijn"),
])
def test_wilson_interval_refuses_impossible_pairs_in_dutch(num, den, message):
    with pytest.raises(ValueError, match=message):
        wilson_interval(num, den)


def test_count_problems_names_the_rows_for_importers():
    from dashboard.domain.aggregation import count_problems

    rows = [{"numerator": 5, "denominator": 10}, {"numerator": 12, "denominator": 10},
            {"numerator": None, "denominator": 10}, {"numerator": 1, "denominator": 0}]
    assert count_problems(rows) == [
        "Rij 2: de teller (12) is groter dan de noemer (10); een aandeel kan niet boven 100% "
        "liggen.",
        "Rij 4: de noemer is nul: daar valt geen aandeel of tempo uit te berekenen."]


# ---------------------------------------------------------------- a programme from its areas


def test_a_programme_total_of_a_rate_is_recomputed_from_its_areas_counts():
    from dashboard.domain.aggregation import aggregate_areas

    areas = [{"numerator": 30, "denominator": 100, "status": "ok"},
             {"numerator": 10, "denominator": 900, "status": "ok"}]
    total = aggregate_areas(areas, [None, None], is_rate=True, is_survey=False, multiplier=100)
    assert total.value == pytest.approx(4.0)  # 40 of 1,000, not the mean of 30% and 1.1%
    assert (total.numerator, total.denominator, total.status) == (40, 1000, "ok")


def test_a_programme_survey_share_is_weighted_by_each_areas_population():
    from dashboard.domain.aggregation import aggregate_areas

    areas = [{"numerator": 40, "denominator": 200, "status": "ok"},  # 20% of 200 asked
             {"numerator": 30, "denominator": 50, "status": "ok"}]  # 60% of 50 asked
    total = aggregate_areas(areas, [1000, 9000], is_rate=True, is_survey=True, multiplier=100)
    assert total.value == pytest.approx(56.0)  # (20% × 1 + 60% × 9) / 10, not 28%
    assert total.lower is not None and total.lower < 56.0 < total.upper
    assert total.numerator is None  # the respondents are not the programme's population
    unknown = aggregate_areas(areas, [1000, None], is_rate=True, is_survey=True, multiplier=100)
    assert unknown.value is None and unknown.status == "ontbreekt"
    assert "Inwonertal" in unknown.note


def test_one_area_without_a_figure_leaves_the_programme_total_unknown():
    from dashboard.domain.aggregation import aggregate_areas

    areas = [{"numerator": 5, "status": "ok"}, {"status": "ontbreekt"}]
    total = aggregate_areas(areas, [1, 1], is_rate=False, is_survey=False)
    assert total.value is None and total.note == "1 van 2 delen zonder cijfer: totaal onbekend."


def test_a_survey_mean_of_areas_together_is_weighted_by_population():
    from dashboard.domain.aggregation import weighted_mean

    assert weighted_mean([6.0, 8.0], [1000, 3000]) == pytest.approx(7.5)
    assert weighted_mean([6.0, 8.0], [1000, float("nan")]) is None  # a weight is missing
    assert weighted_mean([], []) is None
