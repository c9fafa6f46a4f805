"""The daemon's configuration: one TOML file, validated at start, overridable by `AUTHSCAN_`.

Backends (readers, stores, case-file connectors) are chosen by a `type` key; every section
forbids unknown keys so that a typo is an error with its key path, not a silent default.
Environment overrides use `AUTHSCAN_<SECTION>__<KEY>=value` (double underscore = one level).
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from scanner.config import ScanConfig

DEFAULT_CONFIG = Path("/etc/authscan/authscan.toml")
ENV_PREFIX = "AUTHSCAN_"


class ConfigError(Exception):
    """The configuration cannot be used; `problems` lists `key.path: message` lines."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: " + "; ".join(problems))
        self.source = source
        self.problems = problems


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServerSettings(_Section):
    """Where the API listens and how long a login lasts."""

    host: str = Field("127.0.0.1", description="listen address; not loopback needs TLS")
    port: int = Field(8470, ge=1, le=65535, description="TCP port of the API")
    tls_cert: Path | None = Field(None, description="PEM certificate (required off loopback)")
    tls_key: Path | None = Field(None, description="PEM private key (required off loopback)")
    token_ttl_minutes: int = Field(480, ge=1, description="lifetime of a login token")

    def is_loopback(self) -> bool:
        """True when only this machine can reach the API."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    @model_validator(mode="after")
    def _tls_off_loopback(self) -> ServerSettings:
        if not self.is_loopback() and (self.tls_cert is None or self.tls_key is None):
            raise ValueError(f"host {self.host} is not loopback: set tls_cert and tls_key "
                             "(the API carries logins and passport images)")
        return self


class StoreSettings(_Section):
    """The database: SQLite in the data folder by default, PostgreSQL by URL on a hub."""

    url: str | None = Field(None, description="SQLAlchemy URL; default sqlite in data_dir")


class ImageKeySettings(_Section):
    """The AES-256-GCM key that encrypts images at rest."""

    path: Path | None = Field(None, description="key file; default data_dir/image.key; "
                              "$CREDENTIALS_DIRECTORY/authscan-image-key wins when present")
    create: bool = Field(True, description="create a new key (mode 0600) when the file is missing")


class SimReaderSettings(_Section):
    """The simulated reader that renders UTO specimens."""

    type: Literal["sim"] = "sim"
    url: str = Field("sim:", description="reader URL, e.g. sim: or sim:?dpi=200")


class UrlReaderSettings(_Section):
    """A hardware or folder reader opened by URL (serial:///dev/..., folder:///...)."""

    type: Literal["url"]
    url: str = Field(description="reader URL understood by drivers.registry.open_reader")


ReaderSettings = Annotated[SimReaderSettings | UrlReaderSettings, Field(discriminator="type")]


class HotfolderTarget(_Section):
    """PDF + JSON + XML written atomically into a DMS import folder."""

    type: Literal["hotfolder"]
    name: str = "hotfolder"
    path: Path = Field(description="the DMS import folder")


class HttpTarget(_Section):
    """POST of JSON + PDF to a REST endpoint, HMAC-SHA256 signed, with an Idempotency-Key."""

    type: Literal["http"]
    name: str = "http"
    url: str = Field(description="endpoint that answers 2xx once it has stored the case file")
    secret_file: Path | None = Field(None, description="file holding the HMAC secret")
    timeout_s: float = Field(30.0, gt=0)


class HubTarget(_Section):
    """Forwarding to another authscan daemon (the office hub) through its API."""

    type: Literal["hub"]
    name: str = "hub"
    url: str = Field(description="base URL of the hub, e.g. https://hub.example:8470")
    username: str
    password_file: Path
    ca_file: Path | None = Field(None, description="CA bundle that signed the hub's cert")
    timeout_s: float = Field(60.0, gt=0)


CaseFileTarget = Annotated[HotfolderTarget | HttpTarget | HubTarget,
                           Field(discriminator="type")]


class CaseFileSettings(_Section):
    """Case-file delivery: targets, retries and dead letters."""

    targets: list[CaseFileTarget] = Field(default_factory=list)
    max_attempts: int = Field(10, ge=1, description="attempts before a row becomes dead")
    backoff_base_s: float = Field(5.0, gt=0, description="first retry delay; doubles each time")
    backoff_max_s: float = Field(3600.0, gt=0, description="upper limit of the retry delay")
    poll_interval_s: float = Field(2.0, gt=0, description="how often the worker looks")

    @model_validator(mode="after")
    def _unique_names(self) -> CaseFileSettings:
        names = [t.name for t in self.targets]
        if len(names) != len(set(names)):
            raise ValueError(f"target names must be unique, got {names}")
        return self


class RetentionSettings(_Section):
    """How long images stay after the case file acknowledged them."""

    image_days: float = Field(30.0, ge=0, description="days after acknowledgement")
    sweep_interval_s: float = Field(3600.0, gt=0)


class CalibrationSettings(_Section):
    """Where the readers' calibration profiles are (from `authscan calibrate`)."""

    enabled: bool = Field(False, description="apply the reader's profile to every scan; "
                          "checks of lights it no longer covers become undetermined")
    profiles: Path | None = Field(None, description="profiles folder; default "
                                  "<data_dir>/calibration")
    health: bool = Field(True, description="record each scan's light levels in "
                         "<data_dir>/health.csv for drift warnings")


class Settings(_Section):
    """The whole configuration tree of `authscan serve`."""

    data_dir: Path = Field(default_factory=lambda: default_data_dir(),  # noqa: PLW0108
                           description="database, key and working files")
    server: ServerSettings = Field(default_factory=ServerSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    image_key: ImageKeySettings = Field(default_factory=ImageKeySettings)
    reader: ReaderSettings = Field(default_factory=SimReaderSettings)
    casefile: CaseFileSettings = Field(default_factory=CaseFileSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    calibration: CalibrationSettings = Field(default_factory=CalibrationSettings)
    scan: ScanConfig = Field(default_factory=ScanConfig,
                             description="thresholds of the checks and the verdict mode")

    def store_url(self) -> str:
        """The database URL, defaulting to SQLite in the data folder."""
        return self.store.url or f"sqlite:///{self.data_dir / 'authscan.db'}"

    def image_key_path(self) -> Path:
        """Where the image key file is (the systemd credential wins when present)."""
        cred_dir = os.environ.get("CREDENTIALS_DIRECTORY")
        if cred_dir and (Path(cred_dir) / "authscan-image-key").is_file():
            return Path(cred_dir) / "authscan-image-key"
        return self.image_key.path or self.data_dir / "image.key"


def default_data_dir() -> Path:
    """`$XDG_DATA_HOME/authscan` when set, else `./authscan-data`."""
    xdg = os.environ.get("XDG_DATA_HOME")
    return Path(xdg) / "authscan" if xdg else Path("authscan-data")


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX) or key == f"{ENV_PREFIX}CONFIG":
            continue
        parts = key[len(ENV_PREFIX):].lower().split("__")
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return tree


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _problems(err: ValidationError) -> list[str]:
    lines = []
    for item in err.errors():
        path = ".".join(str(p) for p in item["loc"]) or "(top)"
        lines.append(f"{path}: {item['msg']}")
    return lines


def config_path(given: str | None, environ: dict[str, str] | None = None) -> Path | None:
    """The file to read: `--config`, else `$AUTHSCAN_CONFIG`, else the default when present."""
    environ = dict(os.environ) if environ is None else environ
    chosen = given or environ.get(f"{ENV_PREFIX}CONFIG")
    if chosen:
        return Path(chosen)
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def load_settings(path: Path | None, environ: dict[str, str] | None = None,
                  overrides: dict[str, Any] | None = None) -> Settings:
    """Read and validate a config file (None: defaults), `AUTHSCAN_` and explicit overrides."""
    environ = dict(os.environ) if environ is None else environ
    source = str(path) if path else "defaults"
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise ConfigError(source, [f"cannot read: {err.strerror or err}"]) from err
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(source, [f"not valid TOML: {err}"]) from err
    try:
        merged = _merge(_merge(raw, _env_overrides(environ)), overrides or {})
        return Settings.model_validate(merged)
    except ValidationError as err:
        raise ConfigError(source, _problems(err)) from err
