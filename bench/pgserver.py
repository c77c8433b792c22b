"""A throwaway PostgreSQL server from Debian's binaries, used by the benchmark and by the
test suite's ``pg_server`` fixture (a plain context manager, so it needs no pytest)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


@contextlib.contextmanager
def pg_server() -> Iterator[str]:
    """Start PostgreSQL on a free loopback port; yield its base SQLAlchemy URL.

    PostgreSQL refuses to run as root, so under root the cluster belongs to ``postgres``.
    """
    bins = bindir()
    if bins is None:
        raise RuntimeError("PostgreSQL (initdb/pg_ctl) not installed")
    workdir = Path(tempfile.mkdtemp(prefix="ln-bench-pg-"))
    datadir, sockdir = workdir / "data", workdir / "sock"
    sockdir.mkdir()
    as_user: list[str] = []
    user = os.environ.get("USER", "postgres")
    if os.geteuid() == 0:
        as_user, user = ["runuser", "-u", "postgres", "--"], "postgres"
        shutil.chown(workdir, "postgres")
        shutil.chown(sockdir, "postgres")
    port = free_port()
    subprocess.run([*as_user, str(bins / "initdb"), "-D", str(datadir), "-U", user,
                    "-A", "trust", "-E", "UTF8", "--no-locale"], check=True, capture_output=True)
    subprocess.run([*as_user, str(bins / "pg_ctl"), "-D", str(datadir), "-w", "-l",
                    str(workdir / "log"), "-o",
                    f"-p {port} -k {sockdir} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start"], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_user, str(bins / "pg_ctl"), "-D", str(datadir), "-m", "immediate",
                        "stop"], capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)


def create_database(server_url: str, template: str | None = None) -> str:
    """Create a new database on the server (optionally a copy of ``template``); its URL."""
    import psycopg

    name = f"ln_{uuid.uuid4().hex[:12]}"
    conninfo = server_url.replace("postgresql+psycopg", "postgresql") + "/postgres"
    clause = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{clause}')
    return f"{server_url}/{name}"
