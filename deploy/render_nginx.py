#!/usr/bin/env python3
"""Render ``deploy/nginx.conf.template`` into an nginx ``conf.d`` file (standard library
only, so it runs on the proxy host):

    python3 deploy/render_nginx.py --replica app1:8501 --replica app2:8501 \\
        [--listen 443] [--server-name dashboard.example.nl] [--tls-dir /etc/nginx/tls] \\
        > /etc/nginx/conf.d/lerend_netwerk.conf

The line holding ``${LN_REPLICA}`` is repeated once per replica; ``${LN_LISTEN}``,
``${LN_SERVER_NAME}`` and ``${LN_TLS_DIR}`` are filled in; nginx's own variables
(``$host``, ``$http_upgrade``, …) are left alone. The end-to-end test of two replicas
behind nginx (tests/e2e/test_replicas.py) renders the same template with this function.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
REPLICA = "${LN_REPLICA}"
_SAFE = re.compile(r"^[^\s;{}$'\"#\\]+$")  # one nginx word: no value can add a directive


def render(replicas: list[str], *, listen: str = "443", server_name: str = "dashboard.example.nl",
           tls_dir: str = "/etc/nginx/tls", template: Path = TEMPLATE) -> str:
    if not replicas:
        raise ValueError("at least one --replica host:port")
    for value in (*replicas, listen, server_name, tls_dir):
        if not _SAFE.match(value):
            raise ValueError(f"invalid value {value!r}")
    lines = []
    for line in template.read_text().splitlines(keepends=True):
        if REPLICA in line:
            lines += [line.replace(REPLICA, r) for r in replicas]
        else:
            lines.append(line)
    text = Template("".join(lines)).safe_substitute(
        LN_LISTEN=listen, LN_SERVER_NAME=server_name, LN_TLS_DIR=tls_dir)
    if "${LN_" in text:
        raise ValueError("template has a placeholder render() does not fill")
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replica", action="append", required=True, help="host:port, repeatable")
    parser.add_argument("--listen", default="443")
    parser.add_argument("--server-name", default="dashboard.example.nl")
    parser.add_argument("--tls-dir", default="/etc/nginx/tls")
    args = parser.parse_args(argv)
    sys.stdout.write(render(args.replica, listen=args.listen, server_name=args.server_name,
                            tls_dir=args.tls_dir))


if __name__ == "__main__":
    main()
