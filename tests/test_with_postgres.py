"""The pure parts of scripts/with_postgres.py: URL checks, version picking, arguments.

The parts that start servers are exercised by `make test` itself.
"""

import importlib.util
import signal
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "with_postgres.py"
_spec = importlib.util.spec_from_file_location("with_postgres", SCRIPT)
with_postgres = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(with_postgres)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("postgres://postgres@127.0.0.1:5432/opb_portal", True, id="postgres"),
        pytest.param("postgresql://u:p@db:5432/opb", True, id="postgresql"),
        pytest.param("POSTGRES://u@db/opb", True, id="upper-case-scheme"),
        pytest.param("sqlite:///var/opb.sqlite3", False, id="sqlite"),
        pytest.param("mysql://u:p@db/opb", False, id="mysql"),
        pytest.param("postgis://u@db/opb", False, id="postgis"),
        pytest.param("db.example:5432", False, id="no-scheme"),
    ],
)
def test_it_accepts_only_postgresql_urls(url, expected):
    assert with_postgres.is_postgres_url(url) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "postgres://app:s3cret@db:5432/opb", "postgres://app:***@db:5432/opb", id="password"
        ),
        pytest.param(
            "postgres://app:p%40ss@db/opb", "postgres://app:***@db/opb", id="escaped-password"
        ),
        pytest.param("postgres://app@db/opb", "postgres://app@db/opb", id="no-password"),
        pytest.param("sqlite:///var/opb.sqlite3", "sqlite:///var/opb.sqlite3", id="sqlite"),
    ],
)
def test_it_never_prints_a_password(url, expected):
    assert with_postgres.redact_url(url) == expected


def test_the_local_url_names_the_project_database():
    assert with_postgres.local_url(5432) == "postgres://postgres@127.0.0.1:5432/opb_portal"


def test_it_picks_the_highest_postgresql_version_numerically():
    bindirs = [
        "/usr/lib/postgresql/9.6/bin",
        "/usr/lib/postgresql/15/bin",
        "/usr/lib/postgresql/13/bin",
    ]

    assert with_postgres.highest_version_bindir(bindirs) == "/usr/lib/postgresql/15/bin"


def test_it_finds_no_bindir_among_none():
    assert with_postgres.highest_version_bindir([]) is None


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        pytest.param("pg_ctl (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n", "15.20", id="debian"),
        pytest.param("pg_ctl (PostgreSQL) 16.4\n", "16.4", id="plain"),
        pytest.param("", "(unknown version)", id="nothing"),
    ],
)
def test_it_reads_the_server_version_from_pg_ctl(output, expected):
    assert with_postgres.server_version(output) == expected


@pytest.mark.parametrize(
    ("returncode", "expected"),
    [
        pytest.param(0, 0, id="success"),
        pytest.param(3, 3, id="failure"),
        pytest.param(-signal.SIGINT, 130, id="ctrl-c"),
        pytest.param(-signal.SIGTERM, 143, id="sigterm"),
    ],
)
def test_it_reports_the_command_exit_code_as_a_shell_would(returncode, expected):
    assert with_postgres.exit_code(returncode) == expected


def test_it_takes_the_command_after_the_double_dash():
    args = with_postgres.parse_args(["--", "python", "-m", "pytest", "-x", "--force-throwaway"])

    assert args.command == ["python", "-m", "pytest", "-x", "--force-throwaway"]
    assert args.force_throwaway is False


def test_it_reads_force_throwaway_before_the_double_dash():
    args = with_postgres.parse_args(["--force-throwaway", "--", "psql", "-c", "select 1"])

    assert args.force_throwaway is True
    assert args.command == ["psql", "-c", "select 1"]


def test_it_refuses_to_run_without_a_command():
    with pytest.raises(SystemExit) as raised:
        with_postgres.parse_args(["--"])

    assert raised.value.code == 2


def test_it_stops_with_exit_code_2_when_database_url_is_not_postgresql(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///var/opb.sqlite3")

    assert with_postgres.main(["--", "true"]) == with_postgres.EXIT_NO_POSTGRES
    assert "runs on PostgreSQL only" in capsys.readouterr().err
