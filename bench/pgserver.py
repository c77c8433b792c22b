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


def _scratch() -> str | None:
    """Memory-backed /dev/shm when it has room (a throwaway server's files never need a
    disk; the test suite creates hundreds of databases), else the usual temporary folder."""
    try:
        shm = os.statvfs("/dev/shm")
    except OSError:
        return None
    return "/dev/shm" if shm.f_bavail * shm.f_frsize >= 8 * 1024**3 else None


@contextlib.contextmanager
def pg_server() -> Iterator[str]:
    """Start PostgreSQL on a free loopback port; yield its base SQLAlchemy URL.

    PostgreSQL refuses to run as root, so under root the cluster belongs to ``postgres``.
    """
    bins = bindir()
    if bins is None:
        raise RuntimeError("PostgreSQL (initdb/pg_ctl) not installed")
    workdir = Path(tempfile.mkdtemp(prefix="ln-bench-pg-", dir=_scratch()))
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
        # Hundreds of test databases make gigabytes of files: removed in the background,
        # so that ending the test session does not wait for the disk.
        subprocess.Popen(["rm", "-rf", str(workdir)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def create_database(server_url: str, template: str | None = None) -> str:
    """Create a new database on the server (optionally a copy of ``template``); its URL."""
    import psycopg

    name = f"ln_{uuid.uuid4().hex[:12]}"
    conninfo = server_url.replace("postgresql+psycopg", "postgresql") + "/postgres"
    # FILE_COPY: copy the template's files once instead of also writing them to the WAL
    clause = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{clause}')
    return f"{server_url}/{name}"
