"""Production must fail fast without a secret, and every response carries the security headers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ENV", "EMAIL_URL", "REDIS_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret():
    result = load_settings(DJANGO_ENV="production", ALLOWED_HOSTS="example.org")
    assert result.returncode == 1
    assert "SECRET_KEY must be set (at least 50 characters) when DJANGO_ENV=production" in result.stderr


def test_production_refuses_debug():
    result = load_settings(DJANGO_ENV="production", DEBUG="true", SECRET_KEY="x" * 60)
    assert result.returncode == 1
    assert "DEBUG must be off when DJANGO_ENV=production" in result.stderr


def test_production_refuses_to_start_without_a_mail_server():
    result = load_settings(DJANGO_ENV="production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org")
    assert result.returncode == 1
    assert "Set the EMAIL_URL environment variable" in result.stderr


def test_production_refuses_to_start_without_redis():
    result = load_settings(
        DJANGO_ENV="production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org", EMAIL_URL="smtp+tls://mail:587"
    )
    assert result.returncode == 1
    assert "REDIS_URL must be set when DJANGO_ENV=production" in result.stderr


def test_production_starts_with_its_required_settings():
    result = load_settings(
        DJANGO_ENV="production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="example.org",
        EMAIL_URL="smtp+tls://mail:587",
        REDIS_URL="redis://127.0.0.1:6379/5",
    )
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.django_db
def test_public_pages_carry_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"):
        assert directive in csp
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert "'nonce-" in script_src
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.django_db
def test_logged_in_pages_are_never_stored(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/konto/meg/")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
