"""Deployment configuration: the TOML file the operator edits, plus secrets from the environment.

``load_settings(path)`` reads the TOML file and returns a validated, immutable ``Settings``.
Every problem is reported as a ``ConfigError`` with one line per problem, each line naming
the file and the key path, e.g.::

    config/hotline.toml: projects[0].on_duty: unknown staff key 'engX'

Secrets (the bot token) never live in the TOML file; ``EnvSettings`` reads them from the
environment and keeps them in ``SecretStr`` so they do not show up in reprs or logs.

The package, in reading order:

- ``fields.py``: the field types the sections share (keys, durations, targets) and their base;
- ``schema.py``: the sections (staff, projects, policies, calendars, teams, ...) as models;
- ``operations.py``: how the bot runs ([webhook], [guard], [http]), re-exported by schema;
- ``settings.py``: ``Settings``, the whole file, and the checks across its sections;
- ``lookups.py``: the questions asked of it (staff by key, who belongs to a project, ...);
- ``builders.py``: the domain objects it describes (a team, a calendar, an SLA policy);
- ``loading.py``: ``load_settings`` and ``ConfigError``;
- ``env.py``: ``EnvSettings``.
"""

from bot.config.env import EnvSettings
from bot.config.loading import ConfigError, load_settings
from bot.config.schema import (
    DEFAULT_CAUSES,
    LEVELS,
    MANAGER_ROLES,
    ROLES,
    CalendarConfig,
    CauseConfig,
    ClockConfig,
    ContractConfig,
    HeightenedConfig,
    LayerConfig,
    Level,
    PolicyConfig,
    ProjectConfig,
    Role,
    StaffConfig,
    TeamConfig,
    WebhookConfig,
)
from bot.config.settings import Settings

__all__ = [
    "DEFAULT_CAUSES",
    "LEVELS",
    "MANAGER_ROLES",
    "ROLES",
    "CalendarConfig",
    "CauseConfig",
    "ClockConfig",
    "ConfigError",
    "ContractConfig",
    "EnvSettings",
    "HeightenedConfig",
    "LayerConfig",
    "Level",
    "PolicyConfig",
    "ProjectConfig",
    "Role",
    "Settings",
    "StaffConfig",
    "TeamConfig",
    "WebhookConfig",
    "load_settings",
]
