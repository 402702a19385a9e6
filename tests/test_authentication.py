"""Tests for bearer-token verification (shared secret and OIDC/JWKS)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import io
import json
import logging
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from graphql_api import authentication
from graphql_api.authentication import (
    GENERIC_ERROR_MESSAGE,
    AuthenticationError,
    AuthSettings,
    TokenVerifier,
    issue_token,
)

SECRET = "test-secret-that-is-long-enough-for-hs256!"
ISSUER = "https://idp.example.test/realms/school"
AUDIENCE = "portfolio-api"
RSA_KID = "rsa-key-1"
EC_KID = "ec-key-1"


# --------------------------------------------------------------------------- helpers


def run_verify(verifier: TokenVerifier, token: str) -> str:
    return asyncio.run(verifier.verify(token))


def assert_rejected(verifier: TokenVerifier, token: str) -> AuthenticationError:
    with pytest.raises(AuthenticationError) as info:
        run_verify(verifier, token)
    # The client must never learn why a token failed.
    assert str(info.value) == GENERIC_ERROR_MESSAGE
    assert info.value.__cause__ is None
    return info.value


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unsigned_token(header: dict[str, Any], payload: dict[str, Any]) -> str:
    return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}."


def oidc_claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "jdoe",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 600,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def hs_settings(secret: str | None = SECRET) -> AuthSettings:
    return AuthSettings(jwt_secret=secret, oidc_jwks_url=None, oidc_issuer=None, oidc_audience=None)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def jwks_document(rsa_key: rsa.RSAPrivateKey, ec_key: ec.EllipticCurvePrivateKey) -> dict[str, Any]:
    rsa_jwk = RSAAlgorithm.to_jwk(rsa_key.public_key(), as_dict=True)
    rsa_jwk.update(kid=RSA_KID, alg="RS256", use="sig")
    ec_jwk = ECAlgorithm.to_jwk(ec_key.public_key(), as_dict=True)
    ec_jwk.update(kid=EC_KID, alg="ES256", use="sig")
    return {"keys": [rsa_jwk, ec_jwk]}


@pytest.fixture
def jwks_path(
    tmp_path: Path, rsa_key: rsa.RSAPrivateKey, ec_key: ec.EllipticCurvePrivateKey
) -> Path:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks_document(rsa_key, ec_key)), encoding="utf-8")
    return path


def oidc_settings(jwks_location: str, **overrides: Any) -> AuthSettings:
    values: dict[str, Any] = {
        "jwt_secret": SECRET,
        "oidc_jwks_url": jwks_location,
        "oidc_issuer": ISSUER,
        "oidc_audience": AUDIENCE,
    }
    values.update(overrides)
    return AuthSettings(**values)


@pytest.fixture
def oidc_verifier(jwks_path: Path) -> TokenVerifier:
    return TokenVerifier(oidc_settings(str(jwks_path)))


@pytest.fixture
def count_jwks_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real_reader = authentication.read_jwks_document

    def counting_reader(location: str) -> bytes:
        calls.append(location)
        return real_reader(location)

    monkeypatch.setattr(authentication, "read_jwks_document", counting_reader)
    return calls


@pytest.fixture
def signers(
    rsa_key: rsa.RSAPrivateKey, ec_key: ec.EllipticCurvePrivateKey
) -> dict[str, Callable[..., str]]:
    def rs256(claims: dict[str, Any], kid: str = RSA_KID) -> str:
        return jwt.encode(claims, rsa_key, algorithm="RS256", headers={"kid": kid})

    def es256(claims: dict[str, Any], kid: str = EC_KID) -> str:
        return jwt.encode(claims, ec_key, algorithm="ES256", headers={"kid": kid})

    return {"RS256": rs256, "ES256": es256}


# --------------------------------------------------------------------------- settings


def test_settings_from_env_treats_empty_as_unset() -> None:
    settings = AuthSettings.from_env(
        {
            "PORTFOLIO_JWT_SECRET": "",
            "PORTFOLIO_OIDC_JWKS_URL": "https://idp.example.test/jwks",
            "PORTFOLIO_OIDC_ISSUER": ISSUER,
        }
    )
    assert settings == AuthSettings(
        jwt_secret=None,
        oidc_jwks_url="https://idp.example.test/jwks",
        oidc_issuer=ISSUER,
        oidc_audience=None,
    )
    assert settings.jwks_cache_seconds == 300
    assert settings.leeway_seconds == 30


def test_settings_from_env_defaults_to_process_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORTFOLIO_JWT_SECRET", SECRET)
    monkeypatch.delenv("PORTFOLIO_OIDC_JWKS_URL", raising=False)
    settings = AuthSettings.from_env()
    assert settings.jwt_secret == SECRET
    assert settings.oidc_jwks_url is None


# --------------------------------------------------------------------------- HS256


def test_hs256_round_trip() -> None:
    token = issue_token(login="jdoe", secret=SECRET)
    assert run_verify(TokenVerifier(hs_settings()), token) == "jdoe"


def test_issue_token_claims() -> None:
    token = issue_token(login="jdoe", secret=SECRET, ttl_seconds=120, now=1_700_000_000)
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False})
    assert claims == {"sub": "jdoe", "iat": 1_700_000_000, "exp": 1_700_000_120}


def test_expired_token_rejected() -> None:
    token = issue_token(login="jdoe", secret=SECRET, now=time.time() - 7200)
    assert_rejected(TokenVerifier(hs_settings()), token)


def test_expiry_within_leeway_accepted() -> None:
    token = issue_token(login="jdoe", secret=SECRET, ttl_seconds=60, now=time.time() - 70)
    assert run_verify(TokenVerifier(hs_settings()), token) == "jdoe"


def test_wrong_secret_rejected() -> None:
    token = issue_token(login="jdoe", secret="another-secret-that-is-long-enough-too!!")
    assert_rejected(TokenVerifier(hs_settings()), token)


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "a.b.c", "....", "eyJhbGciOiJIUzI1NiJ9.!!!.abc", "x" * 20_000],
)
def test_malformed_token_rejected(token: str) -> None:
    assert_rejected(TokenVerifier(hs_settings()), token)


def test_alg_none_rejected() -> None:
    token = unsigned_token({"alg": "none", "typ": "JWT"}, {"sub": "admin", "exp": 2**40})
    assert_rejected(TokenVerifier(hs_settings()), token)


@pytest.mark.parametrize("alg", [["HS256"], {"a": 1}, None, "HS512", "RS256"])
def test_unexpected_alg_header_rejected(alg: Any) -> None:
    # RS256 is listed because no JWKS is configured in these settings.
    token = unsigned_token({"alg": alg}, {"sub": "admin", "exp": 2**40})
    assert_rejected(TokenVerifier(hs_settings()), token)


def test_hs256_rejected_when_no_secret_configured(jwks_path: Path) -> None:
    token = issue_token(login="jdoe", secret=SECRET)
    assert_rejected(TokenVerifier(hs_settings(secret=None)), token)
    assert_rejected(TokenVerifier(oidc_settings(str(jwks_path), jwt_secret=None)), token)


@pytest.mark.parametrize("missing", ["sub", "exp"])
def test_required_claims(missing: str) -> None:
    claims: dict[str, Any] = {"sub": "jdoe", "exp": int(time.time()) + 600}
    del claims[missing]
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    assert_rejected(TokenVerifier(hs_settings()), token)


def test_empty_sub_rejected() -> None:
    token = jwt.encode({"sub": "", "exp": int(time.time()) + 600}, SECRET, algorithm="HS256")
    assert_rejected(TokenVerifier(hs_settings()), token)


def test_rejection_reason_logged_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    token = issue_token(login="jdoe", secret=SECRET, now=time.time() - 7200)
    with caplog.at_level(logging.DEBUG, logger="portfolio.auth"):
        assert_rejected(TokenVerifier(hs_settings()), token)
    records = [r for r in caplog.records if r.name == "portfolio.auth"]
    assert records
    assert all(r.levelno == logging.DEBUG for r in records)
    assert "ExpiredSignatureError" in caplog.text


# --------------------------------------------------------------------------- OIDC / JWKS


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_oidc_token_accepted(
    alg: str, oidc_verifier: TokenVerifier, signers: dict[str, Callable[..., str]]
) -> None:
    token = signers[alg](oidc_claims())
    assert run_verify(oidc_verifier, token) == "jdoe"


def test_jwks_from_file_url(jwks_path: Path, signers: dict[str, Callable[..., str]]) -> None:
    verifier = TokenVerifier(oidc_settings(jwks_path.as_uri()))
    assert run_verify(verifier, signers["RS256"](oidc_claims())) == "jdoe"


def test_issuer_and_audience_optional(
    jwks_path: Path, signers: dict[str, Callable[..., str]]
) -> None:
    verifier = TokenVerifier(oidc_settings(str(jwks_path), oidc_issuer=None, oidc_audience=None))
    token = signers["ES256"](oidc_claims(iss="https://elsewhere.test", aud="anything"))
    assert run_verify(verifier, token) == "jdoe"


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_wrong_issuer_rejected(
    alg: str, oidc_verifier: TokenVerifier, signers: dict[str, Callable[..., str]]
) -> None:
    assert_rejected(oidc_verifier, signers[alg](oidc_claims(iss="https://evil.test")))
    assert_rejected(oidc_verifier, signers[alg](oidc_claims(iss=None)))


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_wrong_audience_rejected(
    alg: str, oidc_verifier: TokenVerifier, signers: dict[str, Callable[..., str]]
) -> None:
    assert_rejected(oidc_verifier, signers[alg](oidc_claims(aud="some-other-api")))
    assert_rejected(oidc_verifier, signers[alg](oidc_claims(aud=None)))


def test_expired_oidc_token_rejected(
    oidc_verifier: TokenVerifier, signers: dict[str, Callable[..., str]]
) -> None:
    past = int(time.time()) - 3600
    assert_rejected(oidc_verifier, signers["RS256"](oidc_claims(iat=past - 600, exp=past)))


def test_unknown_kid_rejected(
    oidc_verifier: TokenVerifier, signers: dict[str, Callable[..., str]]
) -> None:
    assert_rejected(oidc_verifier, signers["RS256"](oidc_claims(), kid="no-such-key"))


def test_missing_kid_rejected(oidc_verifier: TokenVerifier, rsa_key: rsa.RSAPrivateKey) -> None:
    token = jwt.encode(oidc_claims(), rsa_key, algorithm="RS256")
    assert_rejected(oidc_verifier, token)


def test_kid_of_other_key_type_rejected(
    oidc_verifier: TokenVerifier, signers: dict[str, Callable[..., str]]
) -> None:
    # An ES256 token naming the RSA key's kid must not be checked with that key.
    assert_rejected(oidc_verifier, signers["ES256"](oidc_claims(), kid=RSA_KID))


def test_different_rsa_key_with_same_kid_rejected(
    oidc_verifier: TokenVerifier, other_rsa_key: rsa.RSAPrivateKey
) -> None:
    token = jwt.encode(oidc_claims(), other_rsa_key, algorithm="RS256", headers={"kid": RSA_KID})
    assert_rejected(oidc_verifier, token)


def test_oidc_token_rejected_without_jwks(
    signers: dict[str, Callable[..., str]],
) -> None:
    assert_rejected(TokenVerifier(hs_settings()), signers["RS256"](oidc_claims()))


def test_hs256_signed_with_public_key_rejected(jwks_path: Path, rsa_key: rsa.RSAPrivateKey) -> None:
    # Classic algorithm confusion: HMAC-sign with the (public) RSA key material.
    public_pem = rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = unsigned_token({"alg": "HS256", "kid": RSA_KID}, oidc_claims())[:-1]
    signature = hmac.new(public_pem, signing_input.encode("ascii"), hashlib.sha256).digest()
    token = f"{signing_input}.{b64url(signature)}"
    assert_rejected(TokenVerifier(oidc_settings(str(jwks_path))), token)
    assert_rejected(TokenVerifier(oidc_settings(str(jwks_path), jwt_secret=None)), token)


def test_jwks_fetch_failure_rejected(
    tmp_path: Path, signers: dict[str, Callable[..., str]]
) -> None:
    verifier = TokenVerifier(oidc_settings(str(tmp_path / "missing.json")))
    assert_rejected(verifier, signers["RS256"](oidc_claims()))


@pytest.mark.parametrize(
    "content", ["not json", "[]", '{"keys": []}', '{"keys": [{"kty": "bogus"}]}']
)
def test_invalid_jwks_document_rejected(
    tmp_path: Path, content: str, signers: dict[str, Callable[..., str]]
) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(content, encoding="utf-8")
    verifier = TokenVerifier(oidc_settings(str(path)))
    assert_rejected(verifier, signers["RS256"](oidc_claims()))


def test_unsupported_jwks_scheme_rejected(signers: dict[str, Callable[..., str]]) -> None:
    verifier = TokenVerifier(oidc_settings("ftp://idp.example.test/jwks.json"))
    assert_rejected(verifier, signers["RS256"](oidc_claims()))


def test_http_jwks_uses_urlopen_with_timeout(
    monkeypatch: pytest.MonkeyPatch,
    rsa_key: rsa.RSAPrivateKey,
    ec_key: ec.EllipticCurvePrivateKey,
    signers: dict[str, Callable[..., str]],
) -> None:
    body = json.dumps(jwks_document(rsa_key, ec_key)).encode()
    seen: list[tuple[str, float]] = []

    def fake_urlopen(request: Any, timeout: float) -> io.BytesIO:
        seen.append((request.full_url, timeout))
        return io.BytesIO(body)

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    verifier = TokenVerifier(oidc_settings("https://idp.example.test/certs"))
    assert run_verify(verifier, signers["ES256"](oidc_claims())) == "jdoe"
    assert seen == [("https://idp.example.test/certs", 5)]


# --------------------------------------------------------------------------- caching


def test_keys_are_cached(
    jwks_path: Path,
    count_jwks_reads: list[str],
    signers: dict[str, Callable[..., str]],
) -> None:
    verifier = TokenVerifier(oidc_settings(str(jwks_path)))
    assert run_verify(verifier, signers["RS256"](oidc_claims())) == "jdoe"
    assert run_verify(verifier, signers["ES256"](oidc_claims(sub="asmith"))) == "asmith"
    assert count_jwks_reads == [str(jwks_path)]


def test_cache_expires(
    jwks_path: Path,
    count_jwks_reads: list[str],
    signers: dict[str, Callable[..., str]],
) -> None:
    clock = FakeClock()
    verifier = TokenVerifier(oidc_settings(str(jwks_path), jwks_cache_seconds=60), clock=clock)
    token = signers["RS256"](oidc_claims())
    run_verify(verifier, token)
    clock.now += 59
    run_verify(verifier, token)
    assert len(count_jwks_reads) == 1
    clock.now += 1
    run_verify(verifier, token)
    assert len(count_jwks_reads) == 2


def test_unknown_kid_refetch_is_throttled(
    jwks_path: Path,
    count_jwks_reads: list[str],
    signers: dict[str, Callable[..., str]],
) -> None:
    clock = FakeClock()
    verifier = TokenVerifier(oidc_settings(str(jwks_path)), clock=clock)
    run_verify(verifier, signers["RS256"](oidc_claims()))
    assert len(count_jwks_reads) == 1

    forged = signers["RS256"](oidc_claims(), kid="forged")
    for _ in range(20):
        assert_rejected(verifier, forged)
        clock.now += 1
    # 20 seconds of forged kids: still the single initial read.
    assert len(count_jwks_reads) == 1

    clock.now += 10
    assert_rejected(verifier, forged)
    assert len(count_jwks_reads) == 2
    assert_rejected(verifier, forged)
    assert len(count_jwks_reads) == 2


def test_rotated_key_picked_up_after_throttle(
    jwks_path: Path,
    other_rsa_key: rsa.RSAPrivateKey,
    ec_key: ec.EllipticCurvePrivateKey,
    signers: dict[str, Callable[..., str]],
) -> None:
    clock = FakeClock()
    verifier = TokenVerifier(oidc_settings(str(jwks_path)), clock=clock)
    run_verify(verifier, signers["RS256"](oidc_claims()))

    rotated = jwks_document(other_rsa_key, ec_key)
    rotated["keys"][0]["kid"] = "rsa-key-2"
    jwks_path.write_text(json.dumps(rotated), encoding="utf-8")
    token = jwt.encode(
        oidc_claims(), other_rsa_key, algorithm="RS256", headers={"kid": "rsa-key-2"}
    )
    assert_rejected(verifier, token)  # within 30 s of the first fetch
    clock.now += 30
    assert run_verify(verifier, token) == "jdoe"


def test_failed_fetch_is_not_retried_immediately(
    tmp_path: Path,
    count_jwks_reads: list[str],
    rsa_key: rsa.RSAPrivateKey,
    ec_key: ec.EllipticCurvePrivateKey,
    signers: dict[str, Callable[..., str]],
) -> None:
    clock = FakeClock()
    path = tmp_path / "jwks.json"
    verifier = TokenVerifier(oidc_settings(str(path)), clock=clock)
    token = signers["RS256"](oidc_claims())
    assert_rejected(verifier, token)
    assert_rejected(verifier, token)
    assert len(count_jwks_reads) == 1

    path.write_text(json.dumps(jwks_document(rsa_key, ec_key)), encoding="utf-8")
    clock.now += 30
    assert run_verify(verifier, token) == "jdoe"
    assert len(count_jwks_reads) == 2
