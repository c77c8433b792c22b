"""The spreadsheet formula guard (OWASP CSV injection): one rule for exports and imports.

A text cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return, possibly after apostrophes) is exported with one extra
leading apostrophe, so Excel shows it as text; an import removes exactly that apostrophe
again. The two are inverse for every text: export then import gives the original back,
also for a text that itself starts with an apostrophe before such a character.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet could read as a formula gets a leading ``'``; anything else
    (numbers too, negative ones included) is returned unchanged."""
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """Undo ``neutralise``: one leading apostrophe before a guarded start is removed."""
    if text.startswith("'") and FORMULA_START.match(text[1:]):
        return text[1:]
    return text
