import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import decode_base64_key, env_bool, env_int, env_list, env_secret, env_str


def test_it_treats_empty_values_as_unset(monkeypatch):
    monkeypatch.setenv("X", "  ")
    assert env_str("X", "fallback") == "fallback"
    assert env_bool("X", True) is True
    assert env_int("X", 7) == 7


def test_it_requires_required_strings(monkeypatch):
    monkeypatch.delenv("X", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X must be set"):
        env_str("X", required=True)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False)])
def test_it_reads_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("X", raw)
    assert env_bool("X") is expected


def test_it_rejects_a_boolean_it_cannot_read(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"DJANGO_DEBUG='maybe' is not a boolean"):
        env_bool("DJANGO_DEBUG")


def test_it_rejects_bad_and_too_small_numbers(monkeypatch):
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("PORT", 8000)
    monkeypatch.setenv("PORT", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum of 1"):
        env_int("PORT", 8000, minimum=1)


def test_it_splits_lists(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS") == ["a.example", "b.example"]


def test_it_reads_secrets_from_files(monkeypatch, tmp_path):
    path = tmp_path / "secret"
    path.write_text("s3cret\n")
    monkeypatch.delenv("TOKEN", raising=False)
    monkeypatch.setenv("TOKEN_FILE", str(path))
    assert env_secret("TOKEN") == "s3cret"


def test_it_refuses_a_secret_given_twice(monkeypatch, tmp_path):
    monkeypatch.setenv("TOKEN", "a")
    monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "secret"))
    with pytest.raises(ImproperlyConfigured, match="either TOKEN or TOKEN_FILE"):
        env_secret("TOKEN")


def test_it_names_an_unreadable_secret_file(monkeypatch, tmp_path):
    monkeypatch.delenv("TOKEN", raising=False)
    monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="TOKEN_FILE=.* cannot be read"):
        env_secret("TOKEN")


def test_it_checks_key_length_and_encoding():
    assert decode_base64_key("K", "A" * 43 + "=") == bytes(32)
    with pytest.raises(ImproperlyConfigured, match="K must decode to 32 bytes, not 3"):
        decode_base64_key("K", "AAAA")
    with pytest.raises(ImproperlyConfigured, match="K is not valid base64"):
        decode_base64_key("K", "not base64!")
