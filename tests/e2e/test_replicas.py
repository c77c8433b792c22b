"""Two replicas behind Debian's nginx, configured from ``deploy/nginx.conf.template`` (rendered
by ``deploy/render_nginx.py`` as the deployment docs do; only the replica addresses, the
listen port, the server name and the folder of a throwaway certificate are filled in), on
one PostgreSQL database, driven with Chromium through the proxy."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.domain.roles import Role
from dashboard.store import queries, writes
from data_loaders import versions
from data_loaders.db import make_engine
from tests.helpers import ROOT, create_pg_database, free_port, missing, running_app
from tests.helpers.browser import wait_until_idle

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
NGINX = "/usr/sbin/nginx"
# A rerun of the public page takes well under 2 s on an idle machine; the bound is for a
# busy CI runner. What is checked is that the *next* rerun no longer shows the lesson.
RERUN_MS = 10_000
LOG_FORMAT = "$request_uri $status $upstream_addr"  # which replica answered each request


def render_nginx():  # deploy/ is no package: load the renderer the docs run by its path
    spec = importlib.util.spec_from_file_location("render_nginx", ROOT / "deploy" / "render_nginx.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.render


def self_signed(folder: Path) -> None:
    """fullchain.pem and privkey.pem for 127.0.0.1, valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    (folder / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))


@contextlib.contextmanager
def running_nginx(replicas: list[str]) -> Iterator[tuple[str, Path]]:
    """Debian's nginx in the foreground (``daemon off``) with its own prefix, pid file,
    logs and temp folders; under root (CI) it runs as ``nobody``. Yields the HTTPS base
    URL and the access log (request, status, upstream replica)."""
    if not os.access(NGINX, os.X_OK):
        missing("nginx (Debian package)")
    work = Path(tempfile.mkdtemp(prefix="ln-nginx-"))  # not under tmp_path: nobody must enter
    port = free_port()
    self_signed(work)
    (work / "lerend_netwerk.conf").write_text(render_nginx()(
        replicas, listen=f"127.0.0.1:{port}", server_name="localhost", tls_dir=str(work)))
    temps = "\n".join(f"    {kind}_temp_path {work}/{kind};"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "nginx.conf").write_text(f"""daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log info;
events {{ worker_connections 256; }}
http {{
    log_format replicas '{LOG_FORMAT}';
    access_log {work}/access.log replicas;
{temps}
    include {work}/lerend_netwerk.conf;
}}
""")
    user = {}
    if os.geteuid() == 0:  # never run the proxy as root
        nobody = pwd.getpwnam("nobody")
        for path in (work, *work.iterdir()):
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    proc = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf"),
                             "-e", str(work / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, **user)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                log = (work / "error.log").read_text() if (work / "error.log").exists() else ""
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {log}") from None
                time.sleep(0.2)
        yield f"https://127.0.0.1:{port}", work / "access.log"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def upstreams(access_log: Path, since: int = 0, *, skip: str = "") -> set[str]:
    """The replicas that answered the requests logged after line ``since`` (nginx logs
    "A, B" when it tried A, found it down and passed the request on to B), leaving out
    lines starting with ``skip``."""
    lines = access_log.read_text().splitlines()[since:]
    return {line.split(" ", 2)[2].split(", ")[-1] for line in lines
            if not (skip and line.startswith(skip))} - {"-"}


def open_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL",
                                  ignore_https_errors=True)  # the test's own certificate
    page = context.new_page()
    page.goto(url)
    wait_until_idle(page)
    return context, page


def focus(page) -> None:
    page.locator("h1").first.click()  # the page, not an input: "r" is then a shortcut


def rerun(page) -> None:
    """Streamlit's own rerun shortcut ("r"), as a user pressing it or touching a widget."""
    page.keyboard.press("r")


def test_two_replicas_behind_nginx_stay_coherent_and_survive_one_stopping(
        browser, pg_server, pg_demo_template, tmp_path, monkeypatch):
    """nginx pins a client to a replica by ``ip_hash``; Chromium here always comes from
    127.0.0.1, so *every* proxied context lands on the same replica (A), and the test
    checks that stickiness from nginx's own log. A session on the other replica (B) is
    therefore opened on B's port directly, as a second client's would be.

    1. Through nginx: the public page loads, the WebSocket upgrades (the app renders), a
       partner signs in (cookie route and a new WebSocket, still on A).
    2. B shows the lesson from a warm cache. The lesson is withdrawn (``writes.audited``,
       as replica A or a loader would); B's next rerun, one data-version interval
       (``versions.MAX_AGE``, 1 s) later, no longer shows it; nor does A's.
    3. A is stopped mid-session. Streamlit's own status widget shows "Connecting" (English:
       Streamlit's frontend has no Dutch) while nginx sends the reconnect to B; the user is
       still signed in (the sign-in cookie is checked against the shared database) and the
       withdrawal holds. An unsaved form on A would be lost: the new session starts empty.
    """
    monkeypatch.setenv("STREAMLIT_SERVER_COOKIE_SECRET", "replicas-test-shared-secret-0123456789")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")  # trust the proxy, as deployed
    # No background warm-up (tests/ui/test_warmup.py covers it): two replicas warming at
    # start would compete with Chromium for a small CI machine's cores and blur the timings.
    monkeypatch.setenv("LN_WARMUP", "0")
    db_url = create_pg_database(pg_server, template=pg_demo_template)
    engine = make_engine(db_url)
    lesson = queries.published_lessons(engine, Role.PUBLIEK).iloc[0]
    subject = str(lesson["subject"])

    with contextlib.ExitStack() as stack:
        first, second = contextlib.ExitStack(), contextlib.ExitStack()
        stack.callback(first.close)
        stack.callback(second.close)
        urls = [first.enter_context(running_app(db_url, tmp_path / "a.log")),
                second.enter_context(running_app(db_url, tmp_path / "b.log"))]
        replicas = [u.removeprefix("http://") for u in urls]
        proxy, access_log = stack.enter_context(running_nginx(replicas))

        # 1. through nginx: page, WebSocket, sign-in
        ctx_a, via_proxy = open_page(browser, proxy)
        stack.callback(ctx_a.close)
        expect(via_proxy.get_by_role("heading", name=subject)).to_be_visible()
        via_proxy.get_by_label("Gebruikersnaam").fill("programmateam")
        via_proxy.get_by_label("Wachtwoord").fill("demo")
        via_proxy.get_by_role("button", name="Inloggen").click()
        via_proxy.get_by_role("heading", name="Overzicht", level=1).wait_for(timeout=60_000)
        wait_until_idle(via_proxy)
        via_proxy.get_by_role("link", name="Geleerde lessen").click()
        wait_until_idle(via_proxy)
        expect(via_proxy.get_by_role("heading", name=subject)).to_be_visible()
        logged = access_log.read_text()
        assert "/_stcore/stream 101 " in logged, "the WebSocket was not upgraded through nginx"
        assert "/sessie/start" in logged
        served = upstreams(access_log)
        assert len(served) == 1, f"ip_hash sent one client to several replicas: {served}"
        a = served.pop()
        b = next(r for r in replicas if r != a)
        index_a = replicas.index(a)

        # 2. a session on B, the lesson withdrawn, gone from B's next rerun within 2 s
        ctx_b, on_b = open_page(browser, f"http://{b}")
        stack.callback(ctx_b.close)
        expect(on_b.get_by_role("heading", name=subject)).to_be_visible()
        focus(on_b)
        focus(via_proxy)
        current = writes.get_row(engine, Role.PROGRAMMATEAM, "decision", int(lesson["id"]))
        assert writes.publish_decision(engine, "programmateam", Role.PROGRAMMATEAM,
                                       current["id"], current["version"],
                                       current["public_summary"], publish=False).ok
        time.sleep(versions.MAX_AGE + 0.1)  # the versions a replica may still trust
        started = time.monotonic()
        rerun(on_b)
        # the very next rerun: a stale cache would keep the lesson for CACHE_TTL (an hour)
        expect(on_b.get_by_role("heading", name=subject)).to_have_count(0, timeout=RERUN_MS)
        took = time.monotonic() - started
        rerun(via_proxy)
        expect(via_proxy.get_by_role("heading", name=subject)).to_have_count(0, timeout=RERUN_MS)
        print(f"withdrawn lesson gone from replica B {took + versions.MAX_AGE:.1f} s after the save")

        # 3. stop A mid-session: the proxied user reconnects to B, signed in, edit kept
        seen = len(access_log.read_text().splitlines())
        (first if index_a == 0 else second).close()
        status = via_proxy.get_by_test_id("stStatusWidget")
        expect(status).to_be_visible(timeout=10_000)
        shown_while_away = status.inner_text()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and status.count():
            time.sleep(0.3)
        wait_until_idle(via_proxy)
        focus(via_proxy)
        rerun(via_proxy)
        wait_until_idle(via_proxy)
        expect(via_proxy.get_by_role("button", name="Uitloggen")).to_be_visible(timeout=10_000)
        expect(via_proxy.get_by_role("heading", name="Geleerde lessen", level=1)).to_be_visible()
        expect(via_proxy.get_by_role("heading", name=subject)).to_have_count(0)
        # nginx logs a WebSocket when it closes: A's old one, ended by the stop, is skipped
        assert upstreams(access_log, seen, skip=f"/_stcore/stream 101 {a}") == {b}, \
            "the reconnect did not go to the other replica"
        assert f", {b}" in access_log.read_text(), "nginx did not pass a request on from A to B"
        print(f"while replica A was away the status widget said: {shown_while_away!r}")
    engine.dispose()
