"""Start-up behaviour of config.settings, checked in fresh processes with controlled environments."""

import base64
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "f" * 10 + "G7p!xq2#Lm9@wZ4$kR8^bT1&vN6*yH3(cJ5)dS0-eU" + "r" * 10,
    "KEY_ENCRYPTION_KEY": base64.b64encode(bytes(range(32))).decode(),
    "DJANGO_ALLOWED_HOSTS": "badges.example.org",
    "PUBLIC_BASE_URL": "https://badges.example.org",
    "EMAIL_HOST": "smtp.example.org",
}


def run_django(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "DJANGO_SECRET_KEY"}
    result = run_django(env, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_it_refuses_to_start_in_production_without_a_key_encryption_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "KEY_ENCRYPTION_KEY"}
    result = run_django(env, "check")
    assert result.returncode != 0
    assert "KEY_ENCRYPTION_KEY must be set" in result.stderr


def test_it_refuses_a_plain_http_public_address_in_production():
    result = run_django({**PRODUCTION_ENV, "PUBLIC_BASE_URL": "http://badges.example.org"}, "check")
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL must be an https URL" in result.stderr


def test_it_passes_the_deployment_checklist_without_warnings():
    result = run_django(PRODUCTION_ENV, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_a_mail_server():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "EMAIL_HOST"}
    result = run_django(env, "check")
    assert result.returncode != 0
    assert "EMAIL_HOST must be set" in result.stderr


def test_it_reads_oidc_providers_from_the_environment():
    env = {
        **PRODUCTION_ENV,
        "OIDC_PROVIDERS": "skolfed",
        "OIDC_SKOLFED_NAME": "Skolfederation",
        "OIDC_SKOLFED_SERVER_URL": "https://login.example.org",
        "OIDC_SKOLFED_CLIENT_ID": "mikromerit",
        "OIDC_SKOLFED_CLIENT_SECRET": "s3cret",
    }
    code = (
        "from django.conf import settings; "
        "app = settings.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS'][0]; "
        "print(app['provider_id'], app['name'], app['settings']['server_url'])"
    )
    result = run_django(env, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["skolfed", "Skolfederation", "https://login.example.org"]


def test_it_refuses_an_oidc_provider_without_a_client_secret():
    env = {
        **PRODUCTION_ENV,
        "OIDC_PROVIDERS": "skolfed",
        "OIDC_SKOLFED_SERVER_URL": "https://login.example.org",
        "OIDC_SKOLFED_CLIENT_ID": "mikromerit",
    }
    result = run_django(env, "check")
    assert result.returncode != 0
    assert "OIDC_SKOLFED_CLIENT_SECRET must be set" in result.stderr
