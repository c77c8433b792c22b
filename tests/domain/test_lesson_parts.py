"""A public lesson reads as what we tried, what happened and what changes
(``domain.learning.lesson_parts``): three paragraphs get those labels; other text is shown
as written, so a summary published before the convention is not mangled."""

from dashboard.domain.learning import LESSON_PARTS, lesson_parts


def test_three_paragraphs_become_the_three_labelled_parts():
    summary = ("Een kernteam maakte vooraf een zorgplan.\r\n\r\n"
               "Opnames daalden van 45 naar 14;\n  elders bleven ze gelijk.\n\n\n"
               "Alle kernteams gaan zo werken.\n")
    assert lesson_parts(summary) == [
        ("Wat we probeerden", "Een kernteam maakte vooraf een zorgplan."),
        ("Wat er gebeurde", "Opnames daalden van 45 naar 14; elders bleven ze gelijk."),
        ("Wat er verandert", "Alle kernteams gaan zo werken.")]


def test_any_other_shape_is_one_unlabelled_part_with_all_its_words():
    assert lesson_parts("Het platform is gestopt.") == [("", "Het platform is gestopt.")]
    two = lesson_parts("Eerst dit.\n\nToen dat.")
    assert two == [("", "Eerst dit. Toen dat.")]
    four = lesson_parts("a\n\nb\n\nc\n\nd")
    assert len(four) == 1 and all(w in four[0][1] for w in "abcd")
    assert len(LESSON_PARTS) == 3
