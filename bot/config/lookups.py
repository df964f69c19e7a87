"""Questions asked of a validated configuration: staff by key or Telegram id, projects by key or
invite code, who belongs to a project, causes, heightened periods.

``Lookups`` builds its indexes once, when ``Settings`` is created; ``Settings`` answers each
question through it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, TypeVar

from bot.config.schema import (
    CauseConfig,
    HeightenedConfig,
    PolicyConfig,
    ProjectConfig,
    StaffConfig,
    TeamConfig,
)

if TYPE_CHECKING:
    from bot.config.settings import Settings

T = TypeVar("T")


class Lookups:
    """Indexes over one ``Settings``."""

    def __init__(self, settings: Settings) -> None:
        self._policies = settings.policies
        self._heightened = settings.heightened
        self._staff_by_key = {s.key: s for s in settings.staff}
        self._staff_by_tid = {s.telegram_id: s for s in settings.staff}
        self._projects_by_key = {p.key: p for p in settings.projects}
        self._projects_by_invite = {p.invite.casefold(): p for p in settings.projects}
        self._causes_by_key = {c.key: c for c in settings.causes}
        self._teams_by_key = {t.key: t for t in settings.teams}
        self._projects_by_staff: dict[str, list[ProjectConfig]] = {}
        for project in settings.projects:
            for key in self.project_staff_keys(project):
                self._projects_by_staff.setdefault(key, []).append(project)

    # ---------------------------------------------------------------- staff

    def staff_by_key(self, key: str) -> StaffConfig:
        """The staff entry ``key``; ``KeyError`` if there is none."""
        return _known(self._staff_by_key, key, "staff")

    def staff_by_telegram_id(self, telegram_id: int) -> StaffConfig | None:
        return self._staff_by_tid.get(telegram_id)

    def find_staff(self, key: str) -> StaffConfig | None:
        """The staff entry ``key``, or None when the config no longer has it (a ticket or a
        roster row in the database may name someone who has left)."""
        return self._staff_by_key.get(key)

    # ---------------------------------------------------------------- projects

    def project(self, key: str) -> ProjectConfig:
        """The project ``key``; ``KeyError`` if there is none."""
        return _known(self._projects_by_key, key, "project")

    def find_project(self, key: str) -> ProjectConfig | None:
        """The project ``key``, or None when the config no longer has it (a retired project
        whose tickets are still in the database)."""
        return self._projects_by_key.get(key)

    def project_by_invite(self, code: str) -> ProjectConfig | None:
        """The project whose invite code is ``code``, ignoring case."""
        return self._projects_by_invite.get(code.casefold())

    def policy_of(self, project_key: str) -> PolicyConfig:
        """The deadline policy of project ``project_key``; ``KeyError`` if no such project."""
        return self._policies[self.project(project_key).policy]

    def team_of(self, project: ProjectConfig) -> TeamConfig | None:
        """The on-call team the project pages, if it names one."""
        return self._teams_by_key.get(project.team or "")

    # ---------------------------------------------------------------- who belongs where
    # The one definition of a project's people; both directions below follow from it.

    def project_staff_keys(self, project: ProjectConfig) -> list[str]:
        """Everyone of a project: always on duty, its team's rotation, members, escalation."""
        team = self.team_of(project)
        rotation = [k for layer in team.layers for k in layer.members] if team else []
        return list(
            dict.fromkeys([*project.on_duty, *rotation, *project.members, *project.escalation])
        )

    def projects_of_staff(self, key: str) -> list[ProjectConfig]:
        """Projects whose ``project_staff_keys`` include ``key``, in config order."""
        return list(self._projects_by_staff.get(key, ()))

    # ---------------------------------------------------------------- the rest

    def heightened_on(self, project_key: str, day: date) -> HeightenedConfig | None:
        """The heightened period (重大活动) covering `day` for this project, if any."""
        for period in self._heightened:
            if period.start <= day <= period.end and (
                not period.projects or project_key in period.projects
            ):
                return period
        return None

    def cause(self, key: str) -> CauseConfig:
        """The cause ``key``; ``KeyError`` if there is none."""
        return _known(self._causes_by_key, key, "cause")


def _known(index: dict[str, T], key: str, what: str) -> T:
    """``index[key]``, or a ``KeyError`` that says which kind of key is unknown."""
    try:
        return index[key]
    except KeyError:
        raise KeyError(f"unknown {what} key {key!r}") from None
