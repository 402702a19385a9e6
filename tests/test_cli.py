"""The `portfolio` command as operators' scripts use it (run as a real process)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import IS_POSTGRES

pytestmark = pytest.mark.skipif(IS_POSTGRES, reason="CLI runs against its own SQLite file")
SECRET = "cli-secret-with-enough-length-for-hs256!"


def portfolio(tmp_path: Path, *args: str, env: dict[str, str] | None = None):
    full_env = {
        **os.environ,
        "PORTFOLIO_DATABASE_URL": f"sqlite://{tmp_path}/cli.sqlite3",
        "PORTFOLIO_JWT_SECRET": SECRET,
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "graphql_api.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=tmp_path,
        timeout=120,
    )


def test_migrate_bootstrap_is_idempotent_and_token(tmp_path):
    assert portfolio(tmp_path, "migrate").returncode == 0
    first = portfolio(
        tmp_path,
        "bootstrap",
        "--district",
        "Округ",
        "--operator",
        "op",
        "--operator-name",
        "Иванова Анна Петровна",
    )
    assert first.returncode == 0, first.stderr
    ids = json.loads(first.stdout)
    assert set(ids) == {"districtId", "userId"}
    again = portfolio(tmp_path, "bootstrap", "--district", "Округ", "--operator", "op")
    assert json.loads(again.stdout) == ids
    token = portfolio(tmp_path, "token", "op", "--ttl", "60")
    assert token.returncode == 0 and token.stdout.count(".") == 2


def test_bad_input_gives_one_line_error_and_writes_nothing(tmp_path):
    assert portfolio(tmp_path, "migrate").returncode == 0
    empty = portfolio(tmp_path, "bootstrap", "--district", "  ", "--operator", "op")
    assert empty.returncode != 0
    assert empty.stderr.strip().splitlines() == ["portfolio: error: --district must not be empty"]
    unknown = portfolio(tmp_path, "token", "nobody")
    assert unknown.returncode != 0 and "nobody" in unknown.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "cli.sqlite3") as conn:
        assert conn.execute("select count(*) from district").fetchone() == (0,)


@pytest.mark.parametrize(
    ("env", "setting"),
    [
        ({"PORTFOLIO_DATABASE_URL": "mysql://localhost/x"}, "PORTFOLIO_DATABASE_URL"),
        ({"PORTFOLIO_DATABASE_URL": "postgres://u@127.0.0.1:1/x"}, "PORTFOLIO_DATABASE_URL"),
        ({"PORTFOLIO_DATABASE_URL": "sqlite:///no/such/dir/x.sqlite3"}, "PORTFOLIO_DATABASE_URL"),
        ({"PORTFOLIO_JWT_SECRET": ""}, "PORTFOLIO_JWT_SECRET"),
    ],
)
def test_settings_errors_name_the_setting(tmp_path, env, setting):
    portfolio(tmp_path, "migrate")
    command = (
        ("token", "op")
        if setting == "PORTFOLIO_JWT_SECRET"
        else ("bootstrap", "--district", "X", "--operator", "op")
    )
    result = portfolio(tmp_path, *command, env=env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and setting in lines[0] and "Traceback" not in result.stderr


def test_unmigrated_database_is_explained(tmp_path):
    result = portfolio(tmp_path, "bootstrap", "--district", "X", "--operator", "op")
    assert result.returncode != 0 and "portfolio migrate" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_runs_real_uvicorn_and_answers_queries(tmp_path):
    """Tortoise keeps connections in a context variable: only a real server proves the setup."""
    assert portfolio(tmp_path, "migrate").returncode == 0
    portfolio(tmp_path, "bootstrap", "--district", "Округ", "--operator", "op")
    token = portfolio(tmp_path, "token", "op").stdout.strip()
    port = _free_port()
    env = {
        **os.environ,
        "PORTFOLIO_DATABASE_URL": f"sqlite://{tmp_path}/cli.sqlite3",
        "PORTFOLIO_JWT_SECRET": SECRET,
        "PORTFOLIO_ENV": "production",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "graphql_api.cli", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    assert json.loads(r.read()) == {"status": "ready"}
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/graphql",
            data=json.dumps({"query": "{ me { user { login } } }"}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request, timeout=5) as r:
            assert json.loads(r.read())["data"] == {"me": {"user": {"login": "op"}}}
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize(
    ("env", "setting"),
    [
        ({"PORTFOLIO_JWT_SECRET": ""}, "PORTFOLIO_JWT_SECRET"),
        ({"PORTFOLIO_DATABASE_URL": "postgres://u@127.0.0.1:1/x"}, "PORTFOLIO_DATABASE_URL"),
        ({"PORTFOLIO_DATABASE_URL": "ftp://x"}, "PORTFOLIO_DATABASE_URL"),
    ],
)
def test_serve_refuses_to_start_without_what_it_needs(tmp_path, env, setting):
    portfolio(tmp_path, "migrate")
    result = portfolio(
        tmp_path, "serve", "--port", str(_free_port()), env={"PORTFOLIO_OIDC_JWKS_URL": "", **env}
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and setting in lines[0] and "Traceback" not in result.stderr
