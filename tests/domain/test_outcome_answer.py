"""The one-line answer to "is het aan het werken?" counts the direction-aware verdicts."""

from dashboard.domain import verdicts as v
from dashboard.domain.overview import outcome_answer


def test_improvements_without_deteriorations_read_yes():
    answer = outcome_answer([v.IMPROVEMENT, v.IMPROVEMENT, v.NO_CHANGE, v.TOO_LITTLE])
    assert answer.startswith("Ja, zichtbaar: 2 van de 3 beoordeelde uitkomstreeksen")
    assert answer.endswith("1 reeksen zijn nog te kort voor een oordeel.")


def test_deteriorations_only_read_no_and_a_mix_reads_mixed():
    assert outcome_answer([v.DETERIORATION, v.NO_CHANGE]).startswith("Nee, nog niet: 1 van de 2")
    assert outcome_answer([v.DETERIORATION, v.IMPROVEMENT]).startswith(
        "Gemengd: 1 van de 2 beoordeelde uitkomstreeksen verbeteren, 1 verslechteren")


def test_no_signal_is_not_a_yes_and_too_little_data_is_not_a_verdict():
    assert outcome_answer([v.NO_CHANGE] * 3).startswith("Nog niet aantoonbaar")
    assert outcome_answer([v.TOO_LITTLE] * 2).startswith("Nog niet te zeggen")
    assert outcome_answer([]) == "Nog geen uitkomstcijfers vastgelegd."
