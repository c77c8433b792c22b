"""Security settings and static checks that a reviewer would otherwise do by hand."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["dashboard", "data_loaders", "geo", "pages", "streamlit_app.py", "app.py"]


def test_streamlit_config_is_hardened():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["server"]["enableCORS"] is True  # CORS protection on: no cross-origin access
    assert cfg["server"]["maxUploadSize"] <= 10  # MB
    assert cfg["client"]["showErrorDetails"] == "none"  # no tracebacks for visitors
    assert cfg["browser"]["gatherUsageStats"] is False
    # Not security but capacity: a full garbage collection after every script run blocks
    # all other sessions for ~150 ms (bench/RESULTS.md).
    assert cfg["runner"]["postScriptGC"] is False


# The one allowed raw-HTML call: the print style sheet, a constant file in the repository with
# no data in it (dashboard/ui/static/print.css). Anything else is a finding.
ALLOWED_RAW_HTML = {("dashboard/ui/paper.py", "st.html(PRINT_CSS)")}


def test_no_raw_html_rendering_anywhere_in_the_app():
    pattern = re.compile(r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.html\(")
    hits = [(str(p.relative_to(ROOT)), line.strip().split("  #")[0].strip())
            for src in SOURCES
            for p in ([ROOT / src] if src.endswith(".py") else (ROOT / src).rglob("*.py"))
            for line in p.read_text().splitlines() if pattern.search(line)]
    assert set(hits) <= ALLOWED_RAW_HTML, hits


def test_the_print_style_sheet_holds_no_markup_or_script():
    css = (ROOT / "dashboard" / "ui" / "static" / "print.css").read_text()
    assert "@media print" in css
    assert not re.search(r"<|javascript:|url\(|@import|expression\(", css, re.I)


def test_secrets_are_not_in_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout
    assert ".streamlit/secrets.toml" not in tracked.splitlines()
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text()


def test_bandit_finds_nothing_of_medium_severity_or_worse():
    result = subprocess.run([sys.executable, "-m", "bandit", "-q", "-r", *SOURCES, "-ll"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_page_file_starts_with_the_entry_guard():
    """Without it a fresh server may run a pages/ file directly, bypassing role navigation."""
    import ast

    missing = []
    for path in sorted((ROOT / "pages").glob("*.py")):
        body = [n for n in ast.parse(path.read_text()).body
                if not isinstance(n, ast.Import | ast.ImportFrom)
                and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
        first = ast.unparse(body[0]) if body else ""
        if first != "ui.entry_guard()":
            missing.append(path.name)
    assert missing == []


def test_escape_md_neutralises_markdown_and_html_but_keeps_ordinary_text():
    from dashboard.ui import ZWNJ, escape_md

    plain = "BZ-1: 12,5 % (wijk Noord). Goed! <10 · 1.234,5\n-5 +31 2.285 #1"
    assert escape_md(plain) == plain  # ordinary text stays as it is
    assert escape_md(None) == "" and escape_md(float("nan")) == ""
    cases = {
        "[x](javascript:alert(1)) ![i](u)": f"\\[x\\](javascript:{ZWNJ}alert(1)) !\\[i\\](u)",
        "<img src=x> </b> <!-- c --> &lt; &#60;": "\\<img src=x> \\</b> \\<!-- c --> \\&lt; \\&#60;",
        "*b* _i_ ~~s~~ `c` $x^2$ a|b \\": "\\*b\\* \\_i\\_ \\~\\~s\\~\\~ \\`c\\` \\$x^2\\$ a\\|b \\\\",
        # block syntax at the start of any line; indentation (a code block) dropped
        "Titel\n===\nKop\n---": "Titel\n\\===\nKop\n\\---",
        "# h\n> q\n- l\n+ l\n12. o\n3) o\n    code": "\\# h\n\\> q\n\\- l\n\\+ l\n12\\. o\n3\\) o\ncode",
        "a\r===\r\nb": "a\n\\===\nb",  # a lone CR is a line end too
        # Streamlit's own syntax and autolinks, which remark finds after unescaping
        ":red[rood] :material/home: :smile: :streamlit:":
            f":{ZWNJ}red\\[rood\\] :{ZWNJ}material/home: :{ZWNJ}smile: :{ZWNJ}streamlit:",
        "https://evil.example/x www.evil.nl WWW.x.nl a@b.nl":
            f"https:{ZWNJ}//evil.example/x www{ZWNJ}.evil.nl WWW{ZWNJ}.x.nl a@{ZWNJ}b.nl",
        "a -> b -- c": f"a -{ZWNJ}> b -{ZWNJ}- c",
    }
    for text, expected in cases.items():
        assert escape_md(text) == expected, text
        assert escape_md(text).replace("\\", "").replace(ZWNJ, "") == (
            text.replace("\r\n", "\n").replace("\r", "\n").replace("    ", "").replace("\\", "")), text


# ---------------------------------------------------------------- markdown escaping (static)

import ast  # noqa: E402

UI_MODULES = [*sorted((ROOT / "pages").glob("*.py")), ROOT / "streamlit_app.py",
              *sorted((ROOT / "dashboard" / "ui").glob("*.py"))]
LABEL = (0, "label", "help")
# Streamlit calls (and the UI helpers that pass text on to them) whose text is rendered as
# markdown, with the arguments concerned: position or keyword; "*" = every positional one.
MARKDOWN_CALLS: dict[str, tuple[int | str, ...]] = {
    **dict.fromkeys(["markdown", "caption", "title", "header", "subheader", "info", "warning",
                     "error", "success", "toast"], (0, "body", "help")),
    "write": ("*",),
    **dict.fromkeys(["expander", "popover", "status", "badge", "button", "download_button",
                     "form_submit_button", "link_button", "selectbox", "multiselect",
                     "text_input", "text_area", "number_input", "date_input", "time_input",
                     "checkbox", "toggle", "slider", "select_slider", "file_uploader",
                     "color_picker", "camera_input"], LABEL),
    **dict.fromkeys(["radio", "pills", "segmented_control"], (*LABEL, "captions",
                                                              "format_func")),
    "page_link": ("label", "help"),
    "tabs": (0,),
    "metric": (0, 1, "label", "value", "delta", "help"),
}
# Our UI helpers that hand their text to one of the calls above: their callers are checked.
HELPERS: dict[str, tuple[int | str, ...]] = {
    "empty_state": (0,), "url_select": LABEL, "url_multiselect": LABEL,
    "record_form": (4, "submit_label"),
}
# Provably constant or markdown-free: the escaper itself, Dutch number/date formatters,
# len/int (digits only), and the URL notice, which escapes what it quotes (tested below).
SAFE_CALLS = {"escape_md", "fmt_number", "fmt_date", "fmt_percent", "fmt_euro", "fmt_month",
              "len", "int", "unknown_url_value"}


def test_the_url_notice_escapes_what_it_quotes():
    from dashboard.ui import unknown_url_value

    notice = unknown_url_value("[Sessie verlopen](http://evil)", "status")
    assert "[Sessie verlopen](http://evil)" not in notice
    assert notice.startswith("Onbekende waarde '") and notice.endswith("in de link; genegeerd.")
STR_METHODS = {"capitalize", "lower", "upper", "strip"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


class MarkdownLint:
    """Flags text that reaches markdown without ``escape_md`` and is not provably
    constant: constants, UPPER_CASE module constants (and lookups in them), f-strings,
    concatenations and joins of safe parts, the formatters above, local variables only
    ever assigned safe values, and parameters that every caller in the module fills with
    safe values (a sink helper's own parameters: its callers are checked)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text())
        self.assigned: dict[str, list[ast.AST]] = {}
        self.owner: dict[ast.AST, ast.FunctionDef] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        self.assigned.setdefault(t.id, []).append(node.value)
            if isinstance(node, ast.FunctionDef):
                for inner in ast.walk(node):  # outer functions come first: innermost wins
                    if inner is not node:
                        self.owner[inner] = node
        self.calls = [n for n in ast.walk(self.tree) if isinstance(n, ast.Call)]

    def safe(self, node: ast.AST | None, seen: frozenset[str] = frozenset()) -> bool:
        match node:
            case None | ast.Constant():
                return True
            case ast.JoinedStr(values=values) | ast.List(elts=values) | ast.Tuple(elts=values):
                return all(self.safe(v, seen) for v in values)
            case ast.FormattedValue(value=value) | ast.Starred(value=value):
                return self.safe(value, seen)
            case ast.BinOp(op=ast.Add(), left=left, right=right):
                return self.safe(left, seen) and self.safe(right, seen)
            case ast.IfExp(body=body, orelse=orelse):
                return self.safe(body, seen) and self.safe(orelse, seen)
            case ast.BoolOp(values=values):
                return all(self.safe(v, seen) for v in values)
            case ast.Lambda(body=body):
                return self.safe(body, seen)
            case ast.Subscript(value=value):
                return _name(value).isupper()  # a lookup in a constant table
            case ast.Attribute(attr=attr):
                return attr.isupper()
            case ast.Name(id=name):
                return name.isupper() or self._safe_name(node, name, seen)
            case ast.Call(func=func, args=args):
                if _name(func) in SAFE_CALLS:
                    return True
                if isinstance(func, ast.Attribute) and func.attr == "join":
                    return self.safe(func.value, seen) and all(
                        self.safe(a.elt if isinstance(a, ast.GeneratorExp | ast.ListComp)
                                  else a, seen) for a in args)
                if isinstance(func, ast.Attribute) and func.attr in STR_METHODS:
                    return self.safe(func.value, seen)
        return False

    def _safe_name(self, node: ast.AST, name: str, seen: frozenset[str]) -> bool:
        if name in seen:
            return False
        function = self.owner.get(node)
        params = [a.arg for a in function.args.args + function.args.kwonlyargs] if function else []
        if function is not None and name in params:
            if function.name in HELPERS:
                return True  # its callers are checked
            return self._callers_pass_safe(function, name, seen | {name})
        values = self.assigned.get(name)
        return bool(values) and all(self.safe(v, seen | {name}) for v in values)

    def _callers_pass_safe(self, function: ast.FunctionDef, param: str,
                           seen: frozenset[str]) -> bool:
        index = [a.arg for a in function.args.args].index(param) \
            if param in [a.arg for a in function.args.args] else None
        callers = [c for c in self.calls if _name(c.func) == function.name]
        if not callers:
            return False
        for call in callers:
            kw = {k.arg: k.value for k in call.keywords}
            arg = kw.get(param, call.args[index] if index is not None and index < len(call.args)
                         else None)
            if not self.safe(arg, seen):
                return False
        return True

    def problems(self) -> list[str]:
        out = []
        for call in self.calls:
            name = _name(call.func)
            if name == "table" and _name(getattr(call.func, "value", None)) == "st" \
                    and self.path != ROOT / "dashboard" / "ui" / "__init__.py":
                out.append(f"{self.path.name}:{call.lineno} st.table renders markdown in "
                           "every cell: use ui.md_table")
            spots = HELPERS.get(name) or (
                MARKDOWN_CALLS.get(name, ()) if isinstance(call.func, ast.Attribute) else ())
            kw = {k.arg: k.value for k in call.keywords}
            args: list[ast.AST | None] = []
            for spot in spots:
                if spot == "*":
                    args += call.args
                elif isinstance(spot, int):
                    args.append(call.args[spot] if spot < len(call.args) else None)
                else:
                    args.append(kw.get(spot))
            if "help" in kw and "help" not in spots:
                args.append(kw["help"])  # every help text is markdown
            for arg in args:
                if not self.safe(arg):
                    out.append(f"{self.path.relative_to(ROOT)}:{arg.lineno} "  # type: ignore[union-attr]
                               f"{name}(): {ast.unparse(arg)[:90]}")  # type: ignore[arg-type]
        return out


def test_text_reaches_markdown_only_through_escape_md():
    """Every value interpolated into markdown (st.markdown, captions, alerts, headings,
    labels, help texts, metric and tab labels, st.table cells) is escaped or constant."""
    problems = [p for path in UI_MODULES for p in MarkdownLint(path).problems()]
    assert problems == [], "\n".join(problems)


def test_the_markdown_lint_catches_what_it_should():
    path = ROOT / "tests" / "_md_lint_sample.py"
    try:
        path.write_text(
            "import streamlit as st\n"
            "from dashboard import ui\n"
            "NOTE = 'constant'\n"
            "def show(row, n):\n"
            "    st.warning(f'Evaluatie verlopen: **{row.subject}**')\n"        # 5: flagged
            "    st.caption(f'{n} regels')\n"                                   # 6: flagged
            "    st.caption(f'{len(row)} regels · {ui.escape_md(row.x)}')\n"    # 7: fine
            "    text = ', '.join(row.areas)\n"
            "    st.markdown('**Gebieden.** ' + text)\n"                        # 9: flagged
            "    st.info(NOTE, icon=':material/info:')\n"                       # 10: fine
            "    st.table(row)\n"                                               # 11: flagged
            "    st.selectbox('Kies', [1], help=row.help)\n"                    # 12: flagged
            "    st.radio('Kies', [1], format_func=lambda v: row.names[v])\n")  # 13: flagged
        lines = [int(p.split(":")[1].split()[0]) for p in MarkdownLint(path).problems()]
    finally:
        path.unlink()
    assert sorted(lines) == [5, 6, 9, 11, 12, 13]


def test_make_run_serves_the_asgi_entry_on_this_machine_only_unless_told():
    """The demo accounts' password is `demo`: `make run` must not listen on every interface."""
    def run_command(*args: str) -> str:
        out = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
        return next(line for line in out.splitlines() if "streamlit run" in line)

    assert "streamlit run app.py" in run_command()
    assert "--server.address 127.0.0.1" in run_command()
    assert "--server.address 0.0.0.0" in run_command("ADDRESS=0.0.0.0")


def test_the_image_and_the_tests_start_the_same_entry_as_make_run():
    from tests.helpers import ENTRY

    cmd = next(line for line in (ROOT / "Dockerfile").read_text().splitlines()
               if line.startswith("CMD"))
    assert f"streamlit run {ENTRY}" in cmd and "--server.address 0.0.0.0" in cmd  # in the container
    assert f"ENTRY := {ENTRY}" in (ROOT / "Makefile").read_text()
