import subprocess
import sys
from pathlib import Path

import pytest

from config import DEFAULT_SECRET_KEY, DevelopmentConfig, config_for
from shop import create_app

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"SECRET_KEY": "x" * 48, "SQLALCHEMY_DATABASE_URI": "sqlite://",
              "PUBLIC_BASE_URL": "https://shop.example.com", "STRIPE_SECRET_KEY": "sk_live_x",
              "STRIPE_PUBLISHABLE_KEY": "pk_live_x", "STRIPE_WEBHOOK_SECRET": "whsec_x"}


@pytest.mark.parametrize("key", [None, "", DEFAULT_SECRET_KEY, "short"])
def test_production_refuses_a_missing_default_or_short_secret_key(key, tmp_path):
    with pytest.raises(SystemExit) as stop:
        create_app("production", {"SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                                  "MEDIA_ROOT": str(tmp_path)})
    assert "SECRET_KEY" in str(stop.value)


def test_production_starts_with_a_real_secret_key_and_its_public_address(tmp_path):
    app = create_app("production", {**PRODUCTION, "MEDIA_ROOT": str(tmp_path)})
    assert not app.debug
    assert app.config["TRUSTED_HOSTS"] == ["shop.example.com"]


def test_production_refuses_to_start_without_its_public_address(tmp_path):
    with pytest.raises(SystemExit) as stop:
        create_app("production", {**PRODUCTION, "MEDIA_ROOT": str(tmp_path), "PUBLIC_BASE_URL": ""})
    assert "PUBLIC_BASE_URL" in str(stop.value)


def test_development_refuses_the_published_default_key(tmp_path):
    with pytest.raises(SystemExit) as stop:
        create_app("development", {"SECRET_KEY": DEFAULT_SECRET_KEY, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                                   "MEDIA_ROOT": str(tmp_path)})
    assert "published development default" in str(stop.value)
    assert create_app("development", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "MEDIA_ROOT": str(tmp_path)}
                      ).config["SECRET_KEY"] != DEFAULT_SECRET_KEY  # a random key of this checkout's


def test_gunicorn_starts_in_production_when_shop_config_is_not_set(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "MEDIA_ROOT": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "Refusing to start: SECRET_KEY" in result.stderr  # production's check, not development's DEBUG


def test_gunicorn_entry_point_says_why_in_one_line_when_the_key_is_missing(tmp_path):
    env = {"SHOP_CONFIG": "production", "PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
           "MEDIA_ROOT": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    lines = [line for line in result.stderr.strip().splitlines() if line]
    assert len(lines) == 1
    assert lines[0].startswith("Refusing to start: SECRET_KEY")


@pytest.mark.parametrize("inside", ["", "private", "a/b"])
def test_the_private_store_may_not_sit_inside_the_public_media_folder(inside, tmp_path):
    with pytest.raises(SystemExit) as stop:
        create_app("test", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "MEDIA_ROOT": str(tmp_path / "media"),
                            "PRIVATE_MEDIA_ROOT": str(tmp_path / "media" / inside)})
    assert "PRIVATE_MEDIA_ROOT is inside MEDIA_ROOT" in str(stop.value)


def test_the_private_store_defaults_to_a_folder_beside_the_public_one(tmp_path):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "MEDIA_ROOT": str(tmp_path / "media")})
    assert app.config["PRIVATE_MEDIA_ROOT"] == str(tmp_path / "private")


@pytest.mark.parametrize("missing", ["STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"])
def test_production_refuses_to_start_without_stripes_keys_and_webhook_secret(missing, tmp_path):
    with pytest.raises(SystemExit) as stop:
        create_app("production", {**PRODUCTION, "MEDIA_ROOT": str(tmp_path), missing: ""})
    assert missing in str(stop.value)


@pytest.mark.parametrize("setting", [{"STRIPE_JS_URL": "/static/js/stripe-standin.js"},
                                     {"STRIPE_JS_API_BASE": "http://127.0.0.1:8420"},
                                     {"STRIPE_API_BASE": "http://127.0.0.1:8420"}])
def test_production_refuses_the_local_stripe_stand_in(setting, tmp_path):
    with pytest.raises(SystemExit) as stop:
        create_app("production", {**PRODUCTION, "MEDIA_ROOT": str(tmp_path), **setting})
    assert "stand-in" in str(stop.value)


def test_the_make_targets_export_exactly_development_as_shop_config():
    """`make run` once failed with "Unknown SHOP_CONFIG 'development  '": make keeps the spaces before a comment."""
    shown = subprocess.run(["make", "--no-print-directory", "-s", "--eval", 'shown-config: ; @echo "[$$SHOP_CONFIG]"',
                            "shown-config"], cwd=ROOT, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"},
                           check=True)
    assert shown.stdout.strip() == "[development]"


def test_a_settings_name_with_stray_spaces_is_read_as_the_name():
    assert config_for(" development  ") is DevelopmentConfig
