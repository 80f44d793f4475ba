"""Configuration read from environment variables; bad values fail at start with a clear message."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_DATABASE_URL = "sqlite://data/iepimp.sqlite3"
SMTP_SECURITY_CHOICES = ("none", "starttls", "tls")
DEFAULT_METRICS_ALLOWED = "127.0.0.0/8,::1"


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot run with."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    env: str = "development"
    secret_key: str = ""
    db_pool_min: int = 1
    db_pool_max: int = 10
    gc_young_threshold: int = 20_000
    max_query_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 400
    max_document_bytes: int = 20_000
    max_operations_per_request: int = 1
    max_directives: int = 5
    query_cost_budget: int = 25_000
    report_cache_entries: int = 64
    report_cache_bytes: int = 50_000_000
    report_cache_seconds: int = 300
    graphiql: bool = True
    introspection: bool = True
    session_lifetime_minutes: int = 8 * 60
    session_idle_minutes: int = 30
    login_failure_limit: int = 10
    login_failure_window_minutes: int = 15
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_security: str = "none"
    smtp_timeout_seconds: float = 30.0
    mail_from: str = "iepimplementation@localhost"
    mail_worker: bool = True
    mail_dir: str = ""
    cors_origins: tuple[str, ...] = ()
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(
        default_factory=tuple
    )
    metrics_allowed: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(
        default_factory=lambda: _networks("IEPIMP_METRICS_ALLOWED", DEFAULT_METRICS_ALLOWED)
    )
    metrics_token: str = ""

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite://")


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _database_url(env: Mapping[str, str]) -> str:
    url = env.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    scheme = urlparse(url).scheme
    if scheme not in ("sqlite", "postgres", "asyncpg", "postgresql"):
        raise SettingsError(
            f"DATABASE_URL must start with sqlite:// or postgres://, got scheme {scheme!r}"
        )
    if scheme == "postgresql":
        url = "postgres" + url[len("postgresql") :]
    return url


def sqlite_path(database_url: str) -> Path | None:
    """The file behind a sqlite:// URL, or None for memory or another engine."""
    if not database_url.startswith("sqlite://"):
        return None
    path = database_url[len("sqlite://") :].split("?", 1)[0]
    if path in ("", ":memory:"):
        return None
    return Path(path)


def _secret_key(env: Mapping[str, str], production: bool, database_url: str) -> str:
    key = env.get("IEPIMP_SECRET_KEY", "")
    if key:
        if len(key) < 32:
            raise SettingsError("IEPIMP_SECRET_KEY must be at least 32 characters long")
        return key
    if production:
        raise SettingsError("IEPIMP_SECRET_KEY is required when IEPIMP_ENV=production")
    db_file = sqlite_path(database_url)
    key_file = (
        db_file.with_name(db_file.name + ".secret") if db_file else Path("data/iepimp.secret")
    )
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    return _create_key_file(key_file)


def _create_key_file(key_file: Path) -> str:
    """Write a new key whole, then link it into place; a process that loses the race reads
    the winner's key, never a half-written file."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    generated = secrets.token_urlsafe(48)
    draft = key_file.with_name(f"{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(generated + "\n")
        try:
            os.link(draft, key_file)
        except FileExistsError:
            return key_file.read_text(encoding="utf-8").strip()
    finally:
        draft.unlink(missing_ok=True)
    return generated


def _networks(name: str, raw: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise SettingsError(
                f"{name} holds {part!r}, which is not an IP address or network"
            ) from None
    return tuple(networks)


def _metrics_token(env: Mapping[str, str]) -> str:
    token = env.get("IEPIMP_METRICS_TOKEN", "")
    if token and len(token) < 32:
        raise SettingsError("IEPIMP_METRICS_TOKEN must be at least 32 characters long")
    return token


def _report_cache_bytes(env: Mapping[str, str]) -> int:
    if env.get("IEPIMP_REPORT_CACHE_VALUES"):
        raise SettingsError(
            "IEPIMP_REPORT_CACHE_VALUES is no longer read: stored report answers are measured "
            "in bytes; set IEPIMP_REPORT_CACHE_BYTES instead"
        )
    return _int(env, "IEPIMP_REPORT_CACHE_BYTES", 50_000_000, 1, 4_000_000_000)


def _query_cost_budget(env: Mapping[str, str]) -> int:
    if env.get("IEPIMP_MAX_PAGE_SIZE"):
        raise SettingsError(
            "IEPIMP_MAX_PAGE_SIZE is no longer read: a request is bounded by its query cost; "
            "set IEPIMP_QUERY_COST_BUDGET instead"
        )
    return _int(env, "IEPIMP_QUERY_COST_BUDGET", 25_000, 1, 10_000_000)


def _origins(env: Mapping[str, str]) -> tuple[str, ...]:
    raw = env.get("IEPIMP_CORS_ORIGINS", "")
    origins = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        parsed = urlparse(part)
        if (
            parsed.scheme not in ("http", "https")
            or not parsed.netloc
            or parsed.path not in ("", "/")
            or parsed.query
            or parsed.fragment
        ):
            raise SettingsError(
                f"IEPIMP_CORS_ORIGINS holds {part!r}, which is not an origin like "
                "https://portal.example.org"
            )
        origins.append(f"{parsed.scheme}://{parsed.netloc}")
    return tuple(origins)


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    mode = env.get("IEPIMP_ENV", "development") or "development"
    if mode not in ("development", "production"):
        raise SettingsError(f"IEPIMP_ENV must be development or production, got {mode!r}")
    production = mode == "production"
    database_url = _database_url(env)
    security = (env.get("SMTP_SECURITY") or "none").lower()
    if security not in SMTP_SECURITY_CHOICES:
        raise SettingsError(f"SMTP_SECURITY must be one of none, starttls, tls, got {security!r}")
    mail_from = env.get("MAIL_FROM") or Settings.mail_from
    if "@" not in mail_from:
        raise SettingsError(f"MAIL_FROM must be an email address, got {mail_from!r}")
    lifetime = _int(env, "IEPIMP_SESSION_LIFETIME_MINUTES", 8 * 60, 5, 12 * 60)
    pool_min = _int(env, "IEPIMP_DB_POOL_MIN", 1, 1, 100)
    pool_max = _int(env, "IEPIMP_DB_POOL_MAX", 10, 1, 200)
    if pool_max < pool_min:
        raise SettingsError("IEPIMP_DB_POOL_MAX must not be smaller than IEPIMP_DB_POOL_MIN")
    return Settings(
        database_url=database_url,
        env=mode,
        secret_key=_secret_key(env, production, database_url),
        db_pool_min=pool_min,
        db_pool_max=pool_max,
        gc_young_threshold=_int(env, "IEPIMP_GC_YOUNG_THRESHOLD", 20_000, 100, 10_000_000),
        max_query_depth=_int(env, "IEPIMP_MAX_QUERY_DEPTH", 10, 1, 100),
        max_aliases=_int(env, "IEPIMP_MAX_ALIASES", 15, 1, 1000),
        max_tokens=_int(env, "IEPIMP_MAX_TOKENS", 400, 10, 100_000),
        max_document_bytes=_int(env, "IEPIMP_MAX_DOCUMENT_BYTES", 20_000, 100, 10_000_000),
        max_operations_per_request=_int(env, "IEPIMP_MAX_OPERATIONS_PER_REQUEST", 1, 1, 100),
        report_cache_entries=_int(env, "IEPIMP_REPORT_CACHE_ENTRIES", 64, 0, 10_000),
        report_cache_bytes=_report_cache_bytes(env),
        report_cache_seconds=_int(env, "IEPIMP_REPORT_CACHE_SECONDS", 300, 1, 86_400),
        max_directives=_int(env, "IEPIMP_MAX_DIRECTIVES", 5, 0, 1000),
        query_cost_budget=_query_cost_budget(env),
        graphiql=_bool(env, "IEPIMP_GRAPHIQL", not production),
        introspection=_bool(env, "IEPIMP_INTROSPECTION", not production),
        session_lifetime_minutes=lifetime,
        session_idle_minutes=_int(env, "IEPIMP_SESSION_IDLE_MINUTES", 30, 1, lifetime),
        login_failure_limit=_int(env, "IEPIMP_LOGIN_FAILURE_LIMIT", 10, 1, 10_000),
        login_failure_window_minutes=_int(env, "IEPIMP_LOGIN_FAILURE_WINDOW_MINUTES", 15, 1, 1440),
        smtp_host=env.get("SMTP_HOST") or Settings.smtp_host,
        smtp_port=_int(env, "SMTP_PORT", 25, 1, 65535),
        smtp_username=env.get("SMTP_USERNAME", ""),
        smtp_password=env.get("SMTP_PASSWORD", ""),
        smtp_security=security,
        smtp_timeout_seconds=float(_int(env, "SMTP_TIMEOUT_SECONDS", 30, 1, 600)),
        mail_from=mail_from,
        mail_worker=_bool(env, "IEPIMP_MAIL_WORKER", True),
        trusted_proxies=_networks("IEPIMP_TRUSTED_PROXIES", env.get("IEPIMP_TRUSTED_PROXIES", "")),
        metrics_allowed=_networks(
            "IEPIMP_METRICS_ALLOWED", env.get("IEPIMP_METRICS_ALLOWED", DEFAULT_METRICS_ALLOWED)
        ),
        metrics_token=_metrics_token(env),
        mail_dir=env.get("IEPIMP_MAIL_DIR", ""),
        cors_origins=_origins(env),
    )
