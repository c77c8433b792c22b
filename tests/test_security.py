"""Security settings and static checks that a reviewer would otherwise do by hand."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["dashboard", "data_loaders", "geo", "pages", "streamlit_app.py"]


def test_streamlit_config_is_hardened():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["server"]["enableCORS"] is True  # CORS protection on: no cross-origin access
    assert cfg["server"]["maxUploadSize"] <= 10  # MB
    assert cfg["client"]["showErrorDetails"] == "none"  # no tracebacks for visitors
    assert cfg["browser"]["gatherUsageStats"] is False


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
