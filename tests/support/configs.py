"""The hotline configs the dialog tests, the end-to-end tests and the benchmarks run with.

``hotline_config()`` with no arguments is the standard one: five staff (three engineers, a
customer manager, a project manager), the village project (eng1 and eng2 on duty, eng3 a
member, cm and pm escalated to), a second project with eng3 on duty, and the "abc" policy.
Callers vary it with the parts below: other staff, other projects or policies, teams.

The benchmarks use it too (``benchmarks/common.py`` puts the repository root on ``sys.path``);
it needs nothing but the standard library.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import NamedTuple


class Person(NamedTuple):
    """A [[staff]] entry."""

    key: str
    name: str
    telegram_id: int
    role: str
    phone: str = ""


STAFF: tuple[Person, ...] = (
    Person("eng1", "Engineer One", 1001, "engineer", "13800000001"),
    Person("eng2", "Engineer Two", 1002, "engineer", "13800000002"),
    Person("eng3", "Engineer Three", 1003, "engineer", "13800000003"),
    Person("eng4", "Engineer Four", 1004, "engineer", "13800000004"),
    Person("cm", "Customer Manager", 1011, "customer_manager", "13800000011"),
    Person("pm", "Project Manager", 1012, "project_manager", "13800000012"),
    Person("lead", "Project Lead", 1013, "project_lead", "13800000013"),
)

VILLAGE = "County Police Village Query Service"
INVITE = "VILLAGE2026"


def people(*keys: str) -> list[Person]:
    """The standard staff with these keys, in this order (all seven when none are given)."""
    by_key = {p.key: p for p in STAFF}
    return [by_key[k] for k in keys] if keys else list(STAFF)


# --------------------------------------------------------------------------- TOML values


def _s(value: str) -> str:
    # A JSON string is a TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def _list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_s(v) for v in values) + "]"


Targets = str | tuple[str, str, str]  # one duration for every level, or one each for A, B, C


def _levels(targets: Targets) -> str:
    a, b, c = (targets,) * 3 if isinstance(targets, str) else targets
    return f"{{ A = {_s(a)}, B = {_s(b)}, C = {_s(c)} }}"


# --------------------------------------------------------------------------- parts


def staff_toml(staff: Iterable[Person]) -> str:
    """[[staff]] tables; an empty phone is left out."""
    return "".join(
        f"\n[[staff]]\nkey = {_s(p.key)}\nname = {_s(p.name)}\ntelegram_id = {p.telegram_id}\n"
        + (f"phone = {_s(p.phone)}\n" if p.phone else "")
        + f"roles = [{_s(p.role)}]\n"
        for p in staff
    )


def project_toml(
    key: str = "village",
    *,
    name: str = VILLAGE,
    invite: str = INVITE,
    policy: str = "abc",
    on_duty: Sequence[str] = (),
    team: str | None = None,
    members: Sequence[str] = (),
    escalation: Sequence[str] = (),
    extra: str = "",
) -> str:
    """A [[projects]] table; ``extra`` is more of its lines (e.g. ``ack_timeout = "1h"``)."""
    lines = [
        "\n[[projects]]",
        f"key = {_s(key)}",
        f"name = {_s(name)}",
        f"invite = {_s(invite)}",
        f"policy = {_s(policy)}",
    ]
    if on_duty:
        lines.append(f"on_duty = {_list(on_duty)}")
    if team is not None:
        lines.append(f"team = {_s(team)}")
    if members:
        lines.append(f"members = {_list(members)}")
    if escalation:
        lines.append(f"escalation = {_list(escalation)}")
    return "\n".join(lines) + "\n" + extra


def policy_toml(
    key: str = "abc",
    *,
    respond: Targets = "15m",
    arrive: Targets = ("60m", "2h", "2h"),
    repair: Targets = ("4h", "3h", "2h"),
    warn: Sequence[str] | None = None,
    escalate_every: str | None = None,
    calendar: str = "24x7",
) -> str:
    """A [policies.KEY] table (the defaults are the "abc" policy)."""
    lines = [
        f"\n[policies.{key}]",
        f"calendar = {_s(calendar)}",
        f"respond = {_levels(respond)}",
        f"arrive = {_levels(arrive)}",
        f"repair = {_levels(repair)}",
    ]
    if warn is not None:
        lines.append(f"warn = {_list(warn)}")
    if escalate_every is not None:
        lines.append(f"escalate_every = {_s(escalate_every)}")
    return "\n".join(lines) + "\n"


# The standard config's parts.
STANDARD_STAFF = ("eng1", "eng2", "eng3", "cm", "pm")
VILLAGE_PROJECT = project_toml(on_duty=["eng1", "eng2"], members=["eng3"], escalation=["cm", "pm"])
OTHER_PROJECT = project_toml("other", name="Other Project", invite="OTHER2026", on_duty=["eng3"])


def hotline_config(
    *,
    staff: Iterable[Person] | None = None,
    projects: Iterable[str] | None = None,
    policies: str | None = None,
    extra: str = "",
    messages_per_second: float | None = None,
    guard_burst: int | None = 1000,
) -> str:
    """A whole config file's text (its database: hotline.db next to it).

    ``staff``: default the STANDARD_STAFF; ``projects``: default the village project and
    the other one; ``policies``: default the "abc" policy; ``extra``: more tables at the end
    (teams, heightened periods, calendars, ...); ``guard_burst``: [guard] burst (scripted
    users send many updates at one instant of the fake clock; None: the default).
    """
    head = 'timezone = "Asia/Shanghai"\ndefault_language = "zh"\ndatabase = "hotline.db"\n'
    if messages_per_second is not None:
        head += f"messages_per_second = {messages_per_second}\n"
    return (
        head
        + staff_toml(people(*STANDARD_STAFF) if staff is None else staff)
        + "".join([VILLAGE_PROJECT, OTHER_PROJECT] if projects is None else projects)
        + (policy_toml() if policies is None else policies)
        + extra
        + ("" if guard_burst is None else f"\n[guard]\nburst = {guard_burst}\n")
    )
