"""The `portfolio` command: migrate, bootstrap, token, demo, erase-due, serve."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from tortoise import Tortoise

from domain.errors import DomainError
from graphql_api.database import tortoise_config
from graphql_api.settings import Settings, SettingsError


class CommandError(Exception):
    """A one-line error for the operator; the command exits with status 2."""


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise CommandError(str(exc)) from None


async def _with_database(settings: Settings, work: Callable[[], Awaitable[Any]]) -> Any:
    try:
        await Tortoise.init(config=tortoise_config(settings.database_url))
        connection = Tortoise.get_connection("default")
        await connection.execute_query("SELECT 1")
    except (OSError, ConnectionError) as exc:
        await Tortoise.close_connections()
        raise CommandError(
            f"PORTFOLIO_DATABASE_URL: database not reachable ({exc.__class__.__name__})"
        ) from None
    except Exception as exc:
        await Tortoise.close_connections()
        raise CommandError(f"PORTFOLIO_DATABASE_URL: cannot connect ({exc})") from None
    try:
        if not await _migrated(connection):
            raise CommandError("the database has no tables yet: run `portfolio migrate` first")
        return await work()
    finally:
        await Tortoise.close_connections()


async def _migrated(connection: Any) -> bool:
    try:
        await connection.execute_query("SELECT 1 FROM district LIMIT 1")
    except Exception:
        return False
    return True


async def _migrate(settings: Settings) -> None:
    from tortoise.migrations.api import migrate

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_start":
            print(f"applying {app_label}.{name} ...", file=sys.stderr, flush=True)

    try:
        await migrate(
            config=tortoise_config(settings.database_url, for_migrations=True), progress=progress
        )
    except (OSError, ConnectionError) as exc:
        raise CommandError(
            f"PORTFOLIO_DATABASE_URL: database not reachable ({exc.__class__.__name__})"
        ) from None
    finally:
        await Tortoise.close_connections()
    print("migrations applied", file=sys.stderr)


def cmd_migrate(args: argparse.Namespace) -> None:
    asyncio.run(_migrate(_settings()))


def cmd_bootstrap(args: argparse.Namespace) -> None:
    from domain.bootstrap import bootstrap_district

    async def work() -> Any:
        return await bootstrap_district(
            district_name=args.district,
            operator_login=args.operator,
            operator_name=args.operator_name,
        )

    result = asyncio.run(_with_database(_settings(), work))
    print(json.dumps({"districtId": str(result.district_id), "userId": str(result.user_id)}))


def cmd_token(args: argparse.Namespace) -> None:
    from graphql_api.authentication import issue_token
    from models import User

    settings = _settings()
    if not settings.jwt_secret:
        raise CommandError("PORTFOLIO_JWT_SECRET is not set: it signs the tokens")
    if args.ttl <= 0:
        raise CommandError("--ttl must be a positive number of seconds")

    async def work() -> bool:
        return await User.filter(login=args.login).exists()

    if not asyncio.run(_with_database(settings, work)):
        raise CommandError(f"no user with login {args.login!r}")
    print(issue_token(login=args.login, secret=settings.jwt_secret, ttl_seconds=args.ttl))


def cmd_demo(args: argparse.Namespace) -> None:
    from domain.demo import DemoAlreadyLoaded, load_demo

    sizes = {
        "organisations": args.organisations,
        "learners": args.learners,
        "assessments_target": args.assessments,
    }
    given = {name: value for name, value in sizes.items() if value is not None}
    if args.scale != "region" and given:
        raise CommandError("--organisations, --learners and --assessments need --scale region")
    if any(value < 1 for value in given.values()):
        raise CommandError("--organisations, --learners and --assessments must be positive")
    settings = _settings()
    started = time.monotonic()

    def progress(line: str) -> None:
        print(f"[{time.monotonic() - started:5.1f}s] {line}", file=sys.stderr, flush=True)

    if args.scale == "region":
        # A benchmark data set, written chunk by chunk; a failed run needs a fresh database.
        from domain.region import RegionAlreadyLoaded, load_region

        async def region() -> Any:
            return await load_region(progress=progress, **given)

        try:
            result = asyncio.run(_with_database(settings, region))
        except RegionAlreadyLoaded as exc:
            raise CommandError(str(exc)) from None
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return

    async def work() -> Any:
        return await load_demo(progress=progress)

    try:
        summary = asyncio.run(_with_database(settings, work))
    except DemoAlreadyLoaded as exc:
        print(f"demo district already loaded: {exc}", file=sys.stderr)
        return
    counts = ", ".join(f"{k} {v:,}" for k, v in summary.counts.items())
    print(f"demo district loaded in {summary.seconds:.1f}s: {counts}", file=sys.stderr)
    print(json.dumps({"districtId": str(summary.district_id)}))


def cmd_erase_due(args: argparse.Namespace) -> None:
    """C2, run daily: erase content 30 days after a PROCESSING consent was withdrawn."""
    import datetime as dt

    from domain.erasure import erase_due

    settings = _settings()
    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    except ValueError:
        raise CommandError(f"--today must be a date YYYY-MM-DD; got {args.today!r}") from None
    if args.batch_size <= 0:
        raise CommandError("--batch-size must be a positive number of learners")

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    async def work() -> Any:
        return await erase_due(
            today=today,
            pseudonym_key=settings.audit_pseudonym_key,
            batch_size=args.batch_size,
            progress=progress,
        )

    summary = asyncio.run(_with_database(settings, work))
    print(json.dumps(summary.as_dict(), ensure_ascii=False))


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    settings = _settings()
    if not settings.jwt_secret and not os.environ.get("PORTFOLIO_OIDC_JWKS_URL", "").strip():
        raise CommandError(
            "PORTFOLIO_JWT_SECRET or PORTFOLIO_OIDC_JWKS_URL must be set: nothing could verify"
            " bearer tokens"
        )

    async def reachable() -> None:
        return None

    asyncio.run(_with_database(settings, reachable))
    uvicorn.run(
        "graphql_api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=os.environ.get("PORTFOLIO_LOG_LEVEL", "info"),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="portfolio", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply migrations").set_defaults(func=cmd_migrate)
    boot = sub.add_parser("bootstrap", help="create a district and its operator")
    boot.add_argument("--district", required=True)
    boot.add_argument("--operator", required=True, help="login of the operator")
    boot.add_argument("--operator-name", default=None, help="full name of the operator")
    boot.set_defaults(func=cmd_bootstrap)
    token = sub.add_parser("token", help="print a bearer token for a user (HS256)")
    token.add_argument("login")
    token.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds")
    token.set_defaults(func=cmd_token)
    demo = sub.add_parser("demo", help="load the demo district (or a region for benchmarks)")
    demo.add_argument(
        "--scale",
        choices=("district", "region"),
        default="district",
        help="district: 22 organisations; region: ~1,000 organisations, ~10 M assessments",
    )
    demo.add_argument("--organisations", type=int, default=None, help="region: 1000")
    demo.add_argument("--learners", type=int, default=None, help="region: 250000")
    demo.add_argument("--assessments", type=int, default=None, help="region: 10000000")
    demo.set_defaults(func=cmd_demo)
    erase = sub.add_parser("erase-due", help="erase content 30 days after consent withdrawal")
    erase.add_argument("--today", default=None, help="the day to act as, YYYY-MM-DD")
    erase.add_argument("--batch-size", type=int, default=200, help="learners per transaction")
    erase.set_defaults(func=cmd_erase_due)
    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (CommandError, DomainError, SettingsError) as exc:
        print(f"portfolio: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
