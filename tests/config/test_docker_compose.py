import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_defines_the_production_services_with_health_checks():
    services = compose()["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert services["db"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")
    for name in ("web", "worker", "beat", "db", "redis"):
        assert services[name]["healthcheck"]["test"], name


def test_it_keeps_state_in_named_volumes():
    document = compose()
    services = document["services"]
    for name, mount in (("db", "pgdata:"), ("redis", "redisdata:"), ("web", "media:"), ("worker", "media:")):
        assert any(volume.startswith(mount) for volume in services[name]["volumes"]), name
    assert {"pgdata", "redisdata", "media"} <= set(document["volumes"])


def test_it_points_the_apps_at_postgres_and_redis():
    environment = compose()["services"]["worker"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["CELERY_BROKER_URL"].startswith("redis://")


def test_every_variable_it_uses_is_documented_in_env_example():
    text = (ROOT / "docker-compose.yml").read_text()
    # ${VAR…} is interpolated by compose; $${VAR} is passed through to the container's shell.
    used = set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", text)) | set(re.findall(r"\$\$\{([A-Z][A-Z0-9_]*)", text))
    used -= {"HOSTNAME"}
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert used, "expected docker-compose.yml to read variables"
    assert used <= documented, sorted(used - documented)


def test_every_setting_read_from_the_environment_is_documented():
    settings_text = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|secret)\(\s*"([A-Z][A-Z0-9_]*)"', settings_text))
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert read <= documented, sorted(read - documented)
