"""Security settings and static checks that a reviewer would otherwise do by hand."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def test_no_raw_html_rendering_anywhere_in_the_app():
    pattern = re.compile(r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.html\(")
    hits = [f"{p.relative_to(ROOT)}:{n}" for src in SOURCES
            for p in ([ROOT / src] if src.endswith(".py") else (ROOT / src).rglob("*.py"))
            for n, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert hits == []


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
    from dashboard.ui import escape_md

    assert escape_md("BZ-1: 12,5 % (wijk Noord). Goed!") == "BZ-1: 12,5 % (wijk Noord). Goed\\!"
    escaped = escape_md('[x](javascript:alert(1)) ![i](u) <img src=x> *b* # h `c` $m$')
    assert escaped == ("\\[x\\](javascript:alert(1)) \\!\\[i\\](u) \\<img src=x\\> \\*b\\* "
                       "\\# h \\`c\\` \\$m\\$")
    assert escape_md(None) == "" and escape_md(float("nan")) == ""


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
    from tests.conftest import ENTRY

    cmd = next(line for line in (ROOT / "Dockerfile").read_text().splitlines()
               if line.startswith("CMD"))
    assert f"streamlit run {ENTRY}" in cmd and "--server.address 0.0.0.0" in cmd  # in the container
    assert f"ENTRY := {ENTRY}" in (ROOT / "Makefile").read_text()
