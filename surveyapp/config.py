"""Configuration: safe defaults, overridden from the environment."""

import os
import secrets
from pathlib import Path

LANGUAGES = ("ky", "ru", "en")
LANGUAGE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}
"""Each language by its own name, as the language switches show it."""


def secret_key_from_instance(instance_path: str) -> str:
    """Generate the key once and keep it in the instance folder, never in the repository."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def config_from_environment(instance_path: str) -> dict:
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'surveyapp.sqlite'}"
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY"),  # None: create_app reads or makes the instance's key
        "BABEL_DEFAULT_LOCALE": "ru",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIMEZONE", "Asia/Bishkek"),
        "LANGUAGES": LANGUAGES,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get(
            "SESSION_COOKIE_SECURE", "1" if os.environ.get("PUBLIC_URL", "").startswith("https://") else "0"
        )
        == "1",
        "STAFF_IDLE_MINUTES": int(os.environ.get("STAFF_IDLE_MINUTES", "30")),
        "STAFF_SESSION_HOURS": int(os.environ.get("STAFF_SESSION_HOURS", "12")),
        "EXPORT_RETENTION_HOURS": int(os.environ.get("EXPORT_RETENTION_HOURS", "24")),
        "WITHDRAWAL_ERASE_DAYS": int(os.environ.get("WITHDRAWAL_ERASE_DAYS", "30")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "LOGIN_FAILURE_LIMIT": os.environ.get("LOGIN_FAILURE_LIMIT", "20 per 10 minutes"),
        "JOIN_FAILURE_LIMIT": os.environ.get("JOIN_FAILURE_LIMIT", "30 per 10 minutes"),
        "INTAKE_FAILURE_LIMIT": os.environ.get("INTAKE_FAILURE_LIMIT", "60 per 10 minutes"),
        "SESSION_FAILURE_LIMIT": os.environ.get("SESSION_FAILURE_LIMIT", "200 per 10 minutes"),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "KIOSK_IDLE_SECONDS": int(os.environ.get("KIOSK_IDLE_SECONDS", "180")),
        "KIOSK_IDLE_WARNING_SECONDS": int(os.environ.get("KIOSK_IDLE_WARNING_SECONDS", "30")),
        **alert_settings_from_environment(),
    }


ACK_MINUTES_DEFAULTS = {"acute": 15, "non_acute": 24 * 60, "referral": 24 * 60}


def alert_settings_from_environment() -> dict:
    """Risk alerts: the outbox's SMTP server, acknowledgement deadlines, the helplines shown to a child."""
    return {
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "8025")),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "surveyapp@localhost"),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "0") == "1",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        "ALERT_ACK_MINUTES": {
            level: int(os.environ.get(f"ALERT_ACK_MINUTES_{level.upper()}", minutes))
            for level, minutes in ACK_MINUTES_DEFAULTS.items()
        },
        "WORKER_INTERVAL_SECONDS": float(os.environ.get("WORKER_INTERVAL_SECONDS", "5")),
        "HELPLINES": parse_helplines(os.environ.get("HELPLINES", "111;112")),
    }


def parse_helplines(text: str) -> tuple[tuple[str, str], ...]:
    """``111;112;+996 555 000 000=Programme psychologist`` -> (number, name) pairs; a number without a name
    (111, 112) is named by the kiosk in the child's language."""
    entries = (entry.partition("=") for entry in text.split(";") if entry.strip())
    return tuple((number.strip(), name.strip()) for number, _sep, name in entries)
