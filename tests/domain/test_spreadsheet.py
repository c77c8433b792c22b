"""The formula guard of exports and imports: Excel never sees a formula, and an exported
text imports as itself again (also one that starts with an apostrophe)."""

from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.spreadsheet import neutralise, unneutralise

TEXTS = st.text(alphabet=st.sampled_from(list("'=+-@\t\rab1 ,")), max_size=8) | st.text()


@given(TEXTS)
def test_an_exported_text_is_never_a_formula_and_imports_as_itself(text):
    cell = neutralise(text)
    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert unneutralise(cell) == text


def test_numbers_stay_numbers_and_ordinary_text_is_untouched():
    assert neutralise(-5) == -5 and neutralise(2.5) == 2.5
    assert neutralise("Wittevrouwenveld") == "Wittevrouwenveld"
    assert neutralise("'t Hoen") == "'t Hoen"  # an apostrophe before a letter is just text
    assert neutralise("'=1+1") == "''=1+1"  # imports back as '=1+1, not as =1+1
