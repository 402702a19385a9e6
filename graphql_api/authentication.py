"""Bearer-token authentication for the portfolio API.

Two kinds of token are accepted:

* HS256 tokens signed with a shared secret (``PORTFOLIO_JWT_SECRET``). These are
  issued by the portfolio itself (see :func:`issue_token`) and suit small
  deployments without an identity provider.
* RS256 / ES256 tokens from an OpenID Connect provider, verified against the
  provider's JSON Web Key Set (``PORTFOLIO_OIDC_JWKS_URL``). The key set may also
  be a local file so that schools on closed networks can mirror it.

Whatever goes wrong, callers only ever see :class:`AuthenticationError` with one
fixed message: telling a client *why* its token failed (bad signature, unknown
key, wrong audience...) would help someone forging tokens. The real reason is
logged at DEBUG level on the ``portfolio.auth`` logger for operators.

This module is deliberately free of web-framework imports so it can be used from
the GraphQL context, the CLI and tests alike.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import os
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jwt

__all__ = [
    "GENERIC_ERROR_MESSAGE",
    "AuthSettings",
    "AuthenticationError",
    "TokenVerifier",
    "issue_token",
    "read_jwks_document",
]

GENERIC_ERROR_MESSAGE = "invalid or expired token"

_log = logging.getLogger("portfolio.auth")

# Algorithms are pinned per key source. Taking the algorithm from the token
# header without such a list is what enables "alg: none" and RS/HS confusion.
_SHARED_SECRET_ALGORITHM = "HS256"
_OIDC_ALGORITHMS = frozenset({"RS256", "ES256"})

_JWKS_FETCH_TIMEOUT_SECONDS = 5.0
# A token naming an unknown ``kid`` may legitimately mean the provider rotated
# its keys, so we refetch - but no more often than this, otherwise anyone could
# make us hammer the provider by sending forged kids.
_MIN_REFETCH_INTERVAL_SECONDS = 30.0
# Real key sets are a few KiB; the cap keeps a misbehaving endpoint from
# making us buffer arbitrary amounts of data.
_MAX_JWKS_BYTES = 1024 * 1024
# Refuse absurdly long tokens before doing any base64/JSON work on them.
_MAX_TOKEN_LENGTH = 16 * 1024


class AuthenticationError(Exception):
    """A bearer token was rejected.

    The message is always :data:`GENERIC_ERROR_MESSAGE` so that nothing about
    the failure leaks to the client; the detailed reason goes to the log.
    """

    def __init__(self) -> None:
        super().__init__(GENERIC_ERROR_MESSAGE)


@dataclass(frozen=True)
class AuthSettings:
    """Where token signing keys come from and how strictly claims are checked."""

    jwt_secret: str | None
    oidc_jwks_url: str | None
    oidc_issuer: str | None
    oidc_audience: str | None
    jwks_cache_seconds: int = 300
    leeway_seconds: int = 30

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AuthSettings:
        """Build settings from ``PORTFOLIO_*`` variables.

        Empty values count as unset, because deployment tooling often renders
        an unset variable as ``VAR=`` and an empty secret must never be used.
        """
        source: Mapping[str, str] = os.environ if env is None else env

        def read(name: str) -> str | None:
            value = source.get(name, "")
            return value or None

        return cls(
            jwt_secret=read("PORTFOLIO_JWT_SECRET"),
            oidc_jwks_url=read("PORTFOLIO_OIDC_JWKS_URL"),
            oidc_issuer=read("PORTFOLIO_OIDC_ISSUER"),
            oidc_audience=read("PORTFOLIO_OIDC_AUDIENCE"),
        )


def issue_token(
    *, login: str, secret: str, ttl_seconds: int = 3600, now: float | None = None
) -> str:
    """Return an HS256 token for ``login`` that :class:`TokenVerifier` accepts.

    ``now`` exists so callers (and tests) can produce tokens at a fixed time.
    """
    if not secret:
        raise ValueError("secret must not be empty")
    if not login:
        raise ValueError("login must not be empty")
    issued_at = int(time.time() if now is None else now)
    payload = {"sub": login, "iat": issued_at, "exp": issued_at + ttl_seconds}
    return jwt.encode(payload, secret, algorithm=_SHARED_SECRET_ALGORITHM)


def read_jwks_document(location: str) -> bytes:
    """Read a raw JWKS document (blocking).

    ``location`` is an ``http(s)://`` URL, a ``file://`` URL or a plain file
    path; the latter two let closed networks ship the key set as a file. Other
    URL schemes are refused so that a configuration typo cannot turn into an
    unexpected ``ftp:`` or ``data:`` fetch.
    """
    if "://" not in location:
        return _read_limited_file(location)

    parsed = urllib.parse.urlsplit(location)
    scheme = parsed.scheme.lower()
    if scheme in ("http", "https"):
        request = urllib.request.Request(location, headers={"Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=_JWKS_FETCH_TIMEOUT_SECONDS) as response:
            data: bytes = response.read(_MAX_JWKS_BYTES + 1)
        return _check_size(data)
    if scheme == "file":
        if parsed.netloc not in ("", "localhost"):
            raise ValueError("file:// JWKS location must be local")
        return _read_limited_file(urllib.request.url2pathname(parsed.path))
    raise ValueError(f"unsupported JWKS URL scheme: {scheme!r}")


def _read_limited_file(path: str) -> bytes:
    with open(path, "rb") as handle:
        return _check_size(handle.read(_MAX_JWKS_BYTES + 1))


def _check_size(data: bytes) -> bytes:
    if len(data) > _MAX_JWKS_BYTES:
        raise ValueError("JWKS document is too large")
    return data


def _parse_jwks(data: bytes) -> jwt.PyJWKSet:
    document: Any = json.loads(data)
    if not isinstance(document, dict):
        raise ValueError("JWKS document is not a JSON object")
    return jwt.PyJWKSet.from_dict(document)


def _reject(reason: str, *args: object) -> AuthenticationError:
    """Log why a token failed and return the generic, detail-free error."""
    _log.debug("rejected bearer token: " + reason, *args)
    return AuthenticationError()


class TokenVerifier:
    """Checks bearer tokens and returns the login they were issued for.

    One instance should live for the whole application so that the JWKS cache
    (and its refetch throttle) is shared between requests.
    """

    def __init__(
        self, settings: AuthSettings, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        # ``clock`` only drives the JWKS cache; token expiry uses wall time.
        self._settings = settings
        self._clock = clock
        self._lock = asyncio.Lock()
        self._keys: jwt.PyJWKSet | None = None
        self._keys_loaded_at = 0.0
        self._last_fetch_at: float | None = None
        self._last_failure_at: float | None = None

    async def verify(self, token: str) -> str:
        """Return the ``sub`` claim (the user's login) of a valid token.

        Raises :class:`AuthenticationError` for every kind of invalid token.
        """
        if not isinstance(token, str) or not token:
            raise _reject("empty or non-string token")
        if len(token) > _MAX_TOKEN_LENGTH:
            raise _reject("token longer than %d characters", _MAX_TOKEN_LENGTH)

        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise _reject("malformed token (%s: %s)", type(exc).__name__, exc) from None

        algorithm = header.get("alg")
        if algorithm == _SHARED_SECRET_ALGORITHM:
            claims = self._decode_shared_secret(token)
        elif (
            isinstance(algorithm, str)  # a list or dict here is not hashable
            and algorithm in _OIDC_ALGORITHMS
            and self._settings.oidc_jwks_url
        ):
            claims = await self._decode_oidc(token, algorithm, header.get("kid"))
        else:
            raise _reject("algorithm %r is not accepted", algorithm)

        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise _reject("token has no usable 'sub' claim")
        return subject

    def _decode_shared_secret(self, token: str) -> dict[str, Any]:
        secret = self._settings.jwt_secret
        if not secret:
            raise _reject("HS256 token but no PORTFOLIO_JWT_SECRET is configured")
        return self._decode(
            token,
            secret,
            algorithm=_SHARED_SECRET_ALGORITHM,
            issuer=None,
            audience=None,
        )

    async def _decode_oidc(self, token: str, algorithm: str, kid: object) -> dict[str, Any]:
        if not isinstance(kid, str) or not kid:
            raise _reject("%s token without a 'kid' header", algorithm)
        key = await self._signing_key(kid, algorithm)
        return self._decode(
            token,
            key,
            algorithm=algorithm,
            issuer=self._settings.oidc_issuer,
            audience=self._settings.oidc_audience,
        )

    def _decode(
        self,
        token: str,
        key: jwt.PyJWK | str,
        *,
        algorithm: str,
        issuer: str | None,
        audience: str | None,
    ) -> dict[str, Any]:
        """Verify signature and claims with exactly one allowed algorithm."""
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                issuer=issuer,
                audience=audience,
                leeway=self._settings.leeway_seconds,
                options={
                    "require": ["exp", "sub"],
                    # Only enforce an audience the operator asked for; OIDC
                    # tokens nearly always carry one.
                    "verify_aud": audience is not None,
                },
            )
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise _reject("%s: %s", type(exc).__name__, exc) from None

    async def _signing_key(self, kid: str, algorithm: str) -> jwt.PyJWK:
        """Find the JWKS key for ``kid``, loading or refreshing the set as allowed."""
        # The lock makes concurrent requests share one fetch instead of each
        # starting their own when the cache is empty or stale.
        async with self._lock:
            now = self._clock()
            keys = self._keys
            if keys is None or now - self._keys_loaded_at >= self._settings.jwks_cache_seconds:
                if (
                    self._last_failure_at is not None
                    and now - self._last_failure_at < _MIN_REFETCH_INTERVAL_SECONDS
                ):
                    raise _reject("JWKS unavailable (last fetch failed, retry throttled)")
                keys = await self._fetch_keys(now)

            key = _find_key(keys, kid, algorithm)
            if key is None and (
                self._last_fetch_at is None
                or now - self._last_fetch_at >= _MIN_REFETCH_INTERVAL_SECONDS
            ):
                _log.debug("kid %r not in cached JWKS; refetching", kid)
                keys = await self._fetch_keys(now)
                key = _find_key(keys, kid, algorithm)

        if key is None:
            raise _reject("no %s key with kid %r in JWKS", algorithm, kid)
        return key

    async def _fetch_keys(self, now: float) -> jwt.PyJWKSet:
        location = self._settings.oidc_jwks_url
        if not location:
            raise _reject("no JWKS location configured")
        self._last_fetch_at = now
        try:
            data = await asyncio.to_thread(read_jwks_document, location)
            keys = _parse_jwks(data)
        except (OSError, ValueError, http.client.HTTPException, jwt.PyJWTError) as exc:
            self._last_failure_at = now
            raise _reject(
                "could not load JWKS from %s (%s: %s)", location, type(exc).__name__, exc
            ) from None
        self._keys = keys
        self._keys_loaded_at = now
        self._last_failure_at = None
        return keys


def _find_key(keys: jwt.PyJWKSet, kid: str, algorithm: str) -> jwt.PyJWK | None:
    """Pick the signing key for ``kid`` whose algorithm matches the token's."""
    for key in keys:
        if (
            key.key_id == kid
            and key.algorithm_name == algorithm
            and key.public_key_use in (None, "sig")
        ):
            return key
    return None
