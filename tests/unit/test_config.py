from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.config import (
    DEFAULT_CAUSES,
    ConfigError,
    EnvSettings,
    Settings,
    StaffConfig,
    load_settings,
)
from bot.domain.clocks import Target

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "hotline.example.toml"

# A small valid config; tests append to it or replace parts of it.
BASE = """\
timezone = "Asia/Shanghai"
database = "data/hotline.db"

[[staff]]
key = "eng1"
name = "Engineer One"
telegram_id = 1001
phone = "13800000001"
roles = ["engineer"]

[[staff]]
key = "eng2"
name = "Engineer Two"
telegram_id = 1002
roles = ["engineer"]

[[staff]]
key = "cm"
name = "Customer Manager One"
telegram_id = 1005
roles = ["customer_manager"]

[[projects]]
key = "village"
name = "County Police Village Query Service"
invite = "VILLAGE2026"
policy = "abc"
on_duty = ["eng1"]
escalation = ["cm"]

[policies.abc]
respond = { A = "15m", B = "15m", C = "15m" }
arrive = { A = "60m", B = "2h", C = "2h" }
repair = { A = "4h", B = "3h", C = "2h" }
"""

SECOND_PROJECT = """
[[projects]]
key = "rollout"
name = "Security Equipment Rollout"
invite = "ROLLOUT2026"
policy = "abc"
on_duty = ["eng2"]
"""


def write(tmp_path: Path, text: str, name: str = "hotline.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    """Load ``text`` and return the problem lines without the file-path prefix."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    prefix = f"{path}: "
    assert str(info.value) == "\n".join(info.value.problems)
    assert all(line.startswith(prefix) for line in info.value.problems)
    return [line.removeprefix(prefix) for line in info.value.problems]


def replace(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# --------------------------------------------------------------------------- example file


def test_example_config_loads() -> None:
    settings = load_settings(EXAMPLE)

    assert settings.timezone == "Asia/Shanghai"
    assert settings.tz == ZoneInfo("Asia/Shanghai")
    assert settings.default_language == "zh"
    assert settings.database == EXAMPLE.parent / "data" / "hotline.db"
    assert settings.draft_ttl == timedelta(hours=24)

    assert [s.key for s in settings.staff] == [
        "eng1",
        "eng2",
        "eng3",
        "eng4",
        "cm",
        "pm",
        "lead",
        "admin",
    ]
    assert [s.telegram_id for s in settings.staff] == list(range(1001, 1009))
    assert [s.phone for s in settings.staff] == [f"1380000000{i}" for i in range(1, 9)]
    assert [s.key for s in settings.staff if s.has_role("engineer")] == [
        "eng1",
        "eng2",
        "eng3",
        "eng4",
    ]
    assert settings.staff_by_key("cm").roles == ["customer_manager"]
    assert settings.staff_by_key("pm").roles == ["project_manager"]
    assert settings.staff_by_key("lead").roles == ["project_lead"]
    assert settings.staff_by_key("admin").roles == ["admin"]
    assert settings.staff_by_key("eng1").name == "Engineer One"

    assert [p.key for p in settings.projects] == ["village", "rollout"]
    village = settings.project("village")
    assert village.invite == "VILLAGE2026"
    assert village.policy == "unicom-abc"
    assert village.escalation == ["cm", "pm", "lead"]
    rollout = settings.project("rollout")
    assert rollout.policy == "asiainfo-5x8"

    abc = settings.policy_of("village")
    assert abc.calendar == "24x7"
    assert abc.respond == {
        "A": Target(15 * 60, "s"),
        "B": Target(15 * 60, "s"),
        "C": Target(15 * 60, "s"),
    }
    assert abc.arrive == {
        "A": Target(3600, "s"),
        "B": Target(2 * 3600, "s"),
        "C": Target(2 * 3600, "s"),
    }
    assert abc.repair == {
        "A": Target(4 * 3600, "s"),
        "B": Target(3 * 3600, "s"),
        "C": Target(2 * 3600, "s"),
    }

    five_by_eight = settings.policy_of("rollout")
    assert five_by_eight.calendar == "5x8"
    # A major fault's immediate response (立即响应) is shorter than the others' 30 min.
    assert five_by_eight.respond == {
        "A": Target(15 * 60, "s"),
        "B": Target(30 * 60, "s"),
        "C": Target(30 * 60, "s"),
    }
    assert five_by_eight.arrive == {
        "A": Target(2 * 3600, "s"),
        "B": Target(4, "bh"),
        "C": Target(4, "bh"),
    }
    assert five_by_eight.repair == dict.fromkeys("ABC", Target(48 * 3600, "s"))
    assert [c.name for c in five_by_eight.clocks] == [
        "proposal", "loaner", "spare_part", "liability", "callback"]
    assert [c.name for c in settings.sla_policy("village").clocks] == [
        "respond", "arrive", "repair", "remote_first", "spare_unit", "replacement",
        "callback"]

    assert settings.causes == list(DEFAULT_CAUSES)
    assert settings.cause("power").zh == "电源"


# --------------------------------------------------------------------------- defaults, lookups


def test_defaults_and_lookups(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, BASE + SECOND_PROJECT))

    assert settings.default_language == "zh"
    assert settings.draft_ttl == timedelta(hours=24)
    assert [c.key for c in settings.causes] == [
        "power",
        "transmission",
        "hardware",
        "software",
        "user_operation",
        "force_majeure",
        "other",
    ]
    assert settings.cause("user_operation").en == "User operation"
    assert settings.cause("force_majeure").label("zh") == "不可抗力"
    assert settings.cause("force_majeure").label("en") == "Force majeure"
    with pytest.raises(KeyError):
        settings.cause("weather")

    assert settings.policies["abc"].calendar == "24x7"
    assert settings.staff_by_key("eng2").phone == ""
    with pytest.raises(KeyError):
        settings.staff_by_key("nobody")
    assert settings.staff_by_telegram_id(1002) is settings.staff_by_key("eng2")
    assert settings.staff_by_telegram_id(9999) is None

    rollout = settings.project("rollout")
    assert rollout.escalation == []
    assert rollout.members == []
    with pytest.raises(KeyError):
        settings.project("nowhere")
    assert settings.project_by_invite("VILLAGE2026") is settings.project("village")
    assert settings.project_by_invite("village2026") is settings.project("village")
    assert settings.project_by_invite("Rollout2026") is rollout
    assert settings.project_by_invite("NOPE") is None

    assert [p.key for p in settings.projects_of_staff("eng1")] == ["village"]
    assert [p.key for p in settings.projects_of_staff("eng2")] == ["rollout"]
    assert [p.key for p in settings.projects_of_staff("cm")] == ["village"]
    assert settings.projects_of_staff("nobody") == []
    assert settings.policy_of("rollout") is settings.policies["abc"]
    with pytest.raises(KeyError):
        settings.policy_of("nowhere")


def test_optional_keys(tmp_path: Path) -> None:
    text = (
        replace(
            'database = "data/hotline.db"\n',
            ('database = "data/hotline.db"\ndefault_language = "en"\ndraft_ttl = "1h30m"\n'),
        )
        + '\n[[causes]]\nkey = "theft"\nzh = "被盗"\nen = "Theft"\n'
    )
    settings = load_settings(write(tmp_path, text))
    assert settings.default_language == "en"
    assert settings.draft_ttl == timedelta(hours=1, minutes=30)
    assert [(c.key, c.zh, c.en) for c in settings.causes] == [("theft", "被盗", "Theft")]


def test_roles_and_staff_keys() -> None:
    engineer = StaffConfig(key="e", name="E", telegram_id=1, roles=["engineer"])
    assert engineer.has_role("engineer")
    assert not engineer.has_role("admin", "project_lead")
    assert not engineer.is_manager
    for role in ("customer_manager", "project_manager", "project_lead", "admin"):
        staff = StaffConfig(key="m", name="M", telegram_id=2, roles=["engineer", role])
        assert staff.is_manager
        assert staff.has_role("admin", role)

    settings = Settings.model_validate(
        {
            "timezone": "UTC",
            "database": "x.db",
            "staff": [
                {"key": k, "name": k, "telegram_id": i, "roles": ["engineer"]}
                for i, k in enumerate(["a", "b", "c", "d"], start=1)
            ],
            "projects": [
                {
                    "key": "p",
                    "name": "P",
                    "invite": "P1",
                    "policy": "x",
                    "on_duty": ["b", "a"],
                    "members": ["c", "a"],
                    "escalation": ["d", "b"],
                }
            ],
            "policies": {
                "x": {k: dict.fromkeys("ABC", "1h") for k in ("respond", "arrive", "repair")}
            },
        }
    )
    assert settings.project_staff_keys(settings.project("p")) == ["b", "a", "c", "d"]
    assert settings.database == Path("x.db")  # only load_settings resolves paths


def test_a_team_rotation_member_belongs_to_the_project(tmp_path: Path) -> None:
    # eng2 is in the project's team rotation and in none of its own lists.
    text = replace('on_duty = ["eng1"]\n', 'on_duty = ["eng1"]\nteam = "county"\n') + (
        '\n[[teams]]\nkey = "county"\n\n[[teams.layers]]\nmembers = ["eng2"]\n'
        "start = 2026-11-02\n"
    )
    settings = load_settings(write(tmp_path, text))
    village = settings.project("village")
    assert "eng2" not in [*village.on_duty, *village.members, *village.escalation]

    assert settings.project_staff_keys(village) == ["eng1", "eng2", "cm"]
    assert settings.projects_of_staff("eng2") == [village]


# --------------------------------------------------------------------------- cross-checks


def test_duplicate_staff_key(tmp_path: Path) -> None:
    text = replace('key = "cm"', 'key = "eng1"')
    text = replace('escalation = ["cm"]\n', "", text)
    assert problems(tmp_path, text) == [
        "staff[2].key: duplicate staff key 'eng1' (already used by staff[0])"
    ]


def test_duplicate_telegram_id(tmp_path: Path) -> None:
    text = replace("telegram_id = 1005", "telegram_id = 1001")
    assert problems(tmp_path, text) == [
        "staff[2].telegram_id: duplicate telegram id '1001' (already used by staff[0])"
    ]


def test_duplicate_project_key(tmp_path: Path) -> None:
    text = BASE + replace('key = "rollout"', 'key = "village"', SECOND_PROJECT)
    assert problems(tmp_path, text) == [
        "projects[1].key: duplicate project key 'village' (already used by projects[0])"
    ]


def test_duplicate_invite_ignores_case(tmp_path: Path) -> None:
    text = BASE + replace('"ROLLOUT2026"', '"village2026"', SECOND_PROJECT)
    assert problems(tmp_path, text) == [
        "projects[1].invite: duplicate invite code (invite codes ignore case) 'village2026' "
        "(already used by projects[0])"
    ]


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('on_duty = ["eng1"]', 'on_duty = ["eng1", "engX"]', "on_duty"),
        ('escalation = ["cm"]', 'escalation = ["engX"]', "escalation"),
        ('escalation = ["cm"]', 'escalation = ["cm"]\nmembers = ["engX"]', "members"),
    ],
)
def test_unknown_staff_key(tmp_path: Path, old: str, new: str, where: str) -> None:
    assert problems(tmp_path, replace(old, new)) == [
        f"projects[0].{where}: unknown staff key 'engX'"
    ]


def test_unknown_policy(tmp_path: Path) -> None:
    text = BASE + replace('policy = "abc"', 'policy = "xyz"', SECOND_PROJECT)
    assert problems(tmp_path, text) == ["projects[1].policy: unknown policy 'xyz' (defined: abc)"]


def test_empty_on_duty(tmp_path: Path) -> None:
    assert problems(tmp_path, replace('on_duty = ["eng1"]', "on_duty = []")) == [
        "projects[0].on_duty: must name at least one staff key to page for new faults"
    ]


def test_several_cross_check_problems_one_line_each(tmp_path: Path) -> None:
    text = replace("telegram_id = 1002", "telegram_id = 1001")
    text = replace('on_duty = ["eng1"]', 'on_duty = ["engX"]', text)
    text = replace('policy = "abc"', 'policy = "nope"', text)
    assert problems(tmp_path, text) == [
        "staff[1].telegram_id: duplicate telegram id '1001' (already used by staff[0])",
        "projects[0].on_duty: unknown staff key 'engX'",
        "projects[0].policy: unknown policy 'nope' (defined: abc)",
    ]


def test_duplicate_cause_key(tmp_path: Path) -> None:
    cause = '\n[[causes]]\nkey = "power"\nzh = "电源"\nen = "Power supply"\n'
    assert problems(tmp_path, BASE + cause + cause) == [
        "causes[1].key: duplicate cause key 'power' (already used by causes[0])"
    ]


# --------------------------------------------------------------------------- field errors


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'respond = { A = "15m"',
            'respond = { A = "15x"',
            "policies.abc.respond.A: invalid duration '15x': use e.g. 90s, 15m, 2h, 1h30m, 3d, "
            "4bh, 3wd",
        ),
        (
            'repair = { A = "4h", B = "3h", C = "2h" }',
            'repair = { A = "4h", B = "3h", C = 2 }',
            'policies.abc.repair.C: write durations as quoted text, e.g. "15m", "2h", "4bh" or '
            '"3wd"',
        ),
        (
            'arrive = { A = "60m", B = "2h", C = "2h" }',
            'arrive = { A = "60m" }',
            "policies.abc.arrive: missing level B, C: give a duration for each of A, B and C",
        ),
        (
            'arrive = { A = "60m", B = "2h", C = "2h" }',
            'arrive = { A = "60m", B = "2h", C = "2h", D = "1h" }',
            "policies.abc.arrive: unknown level 'D': the levels are A, B and C",
        ),
        (
            "[policies.abc]\n",
            '[policies.abc]\ncalendar = "9x9"\n',
            "policies.abc.calendar: unknown calendar '9x9' (defined: 24x7, 5x8)",
        ),
        (
            'timezone = "Asia/Shanghai"',
            'timezone = "Mars/Base"',
            "timezone: unknown time zone 'Mars/Base': use an IANA name such as 'Asia/Shanghai'",
        ),
        (
            'database = "data/hotline.db"',
            'database = "data/hotline.db"\ndefault_language = "fr"',
            "default_language: must be 'zh' or 'en'",
        ),
        (
            'database = "data/hotline.db"',
            'database = "data/hotline.db"\ndraft_ttl = "0m"',
            "draft_ttl: invalid duration '0m': use e.g. 90s, 15m, 2h, 1h30m, 3d",
        ),
        ('database = "data/hotline.db"\n', "", "database: required key is missing"),
        ('database = "data/hotline.db"', 'database = ""', "database: must not be empty"),
        (
            'key = "eng2"',
            'key = "Eng 2"',
            "staff[1].key: invalid key 'Eng 2': use lowercase letters, digits, '_' and '-' only",
        ),
        (
            'key = "eng2"',
            'key = "' + "e" * 33 + '"',
            "staff[1].key: invalid key '" + "e" * 33 + "': at most 32 characters",
        ),
        ('name = "Engineer Two"', 'name = "  "', "staff[1].name: must not be empty"),
        ("telegram_id = 1002", "telegram_id = 0", "staff[1].telegram_id: must be greater than 0"),
        (
            "telegram_id = 1002",
            'telegram_id = "1002"',
            "staff[1].telegram_id: must be a whole number (without quotes)",
        ),
        (
            'phone = "13800000001"',
            "phone = 13800000001",
            'staff[0].phone: write the phone number in quotes, e.g. "13800000001"',
        ),
        (
            'roles = ["customer_manager"]',
            "roles = []",
            "staff[2].roles: must list at least one role (engineer, customer_manager, "
            "project_manager, project_lead, admin)",
        ),
        (
            'roles = ["customer_manager"]',
            'roles = ["customer_manager", "boss"]',
            "staff[2].roles[1]: must be 'engineer', 'customer_manager', 'project_manager', "
            "'project_lead' or 'admin'",
        ),
        (
            'roles = ["customer_manager"]',
            'roles = "customer_manager"',
            'staff[2].roles: must be a list, e.g. ["a", "b"]',
        ),
        (
            'invite = "VILLAGE2026"',
            'invite = "VILLAGE 2026"',
            "projects[0].invite: invalid invite code 'VILLAGE 2026': use 1 to 64 letters, "
            "digits, '_' or '-' (it travels in a Telegram /start link)",
        ),
        (
            'escalation = ["cm"]',
            'escalaton = ["cm"]',
            "projects[0].escalaton: unknown key (check the spelling)",
        ),
        ('policy = "abc"\n', "", "projects[0].policy: required key is missing"),
    ],
)
def test_field_problem(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert problems(tmp_path, replace(old, new)) == [expected]


def test_invite_length_limit(tmp_path: Path) -> None:
    ok = "X" * 64
    settings = load_settings(write(tmp_path, replace("VILLAGE2026", ok)))
    assert settings.project("village").invite == ok
    [line] = problems(tmp_path, replace("VILLAGE2026", ok + "X"))
    assert line.startswith(f"projects[0].invite: invalid invite code '{ok}X': use 1 to 64")


def test_field_problems_are_all_reported(tmp_path: Path) -> None:
    text = replace('timezone = "Asia/Shanghai"', 'timezone = "Mars/Base"')
    text = replace('respond = { A = "15m"', 'respond = { A = "15x"', text)
    assert problems(tmp_path, text) == [
        "timezone: unknown time zone 'Mars/Base': use an IANA name such as 'Asia/Shanghai'",
        "policies.abc.respond.A: invalid duration '15x': use e.g. 90s, 15m, 2h, 1h30m, 3d, "
        "4bh, 3wd",
    ]


def test_no_projects(tmp_path: Path) -> None:
    text = BASE.split("[[projects]]")[0] + BASE.split('escalation = ["cm"]\n')[1]
    assert problems(tmp_path, text) == ["projects: required key is missing"]
    text = "projects = []\n" + text
    assert problems(tmp_path, text) == ["projects: must not be empty"]


def test_empty_causes(tmp_path: Path) -> None:
    assert problems(tmp_path, "causes = []\n" + BASE) == [
        "causes: must list at least one cause (or leave 'causes' out)"
    ]


def test_settings_direct_validation_error_is_readable() -> None:
    with pytest.raises(ValidationError) as info:
        Settings.model_validate(
            {
                "timezone": "UTC",
                "database": "x.db",
                "staff": [],
                "projects": [
                    {"key": "p", "name": "P", "invite": "P", "policy": "x", "on_duty": ["e"]}
                ],
                "policies": {},
            }
        )
    assert "projects[0].on_duty: unknown staff key 'e'" in str(info.value)


# --------------------------------------------------------------------------- files and paths


def test_relative_database_resolves_against_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "etc" / "hotline"
    folder.mkdir(parents=True)
    write(folder, BASE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    settings = load_settings("../etc/hotline/hotline.toml")
    assert settings.database == folder / "data" / "hotline.db"
    assert settings.database.is_absolute()


def test_absolute_database_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "var" / "hotline.db"
    text = replace('database = "data/hotline.db"', f"database = '{target}'")
    assert load_settings(write(tmp_path, text)).database == target


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert str(info.value) == f"{path}: config file not found"


def test_toml_syntax_error_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'timezone = "Asia/Shanghai"\ndatabase = \n')
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    message = str(info.value)
    assert message.startswith(f"{path}: TOML syntax error: ")
    assert "line 2" in message
    assert "\n" not in message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "hotline.toml"
    path.write_bytes(BASE.replace("Engineer One", "工程师").encode("gbk"))
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert str(info.value) == f"{path}: config file is not UTF-8 text"


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "hotline.toml"
    path.write_bytes(BASE.encode("utf-8-sig"))
    assert load_settings(path).timezone == "Asia/Shanghai"


# --------------------------------------------------------------------------- environment

FAKE_TOKEN = "123456:FAKE-token-for-tests_only"


def test_env_settings_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("TELEGRAM_API_BASE_URL", raising=False)
    env = EnvSettings()
    assert env.telegram_bot_token is None
    assert env.telegram_api_base_url == "https://api.telegram.org/bot"


def test_env_settings_reads_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", FAKE_TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    env = EnvSettings()
    assert env.telegram_bot_token is not None
    assert env.telegram_bot_token.get_secret_value() == FAKE_TOKEN
    assert env.telegram_api_base_url == "http://127.0.0.1:8081/bot"


def test_empty_token_means_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    assert EnvSettings().telegram_bot_token is None


def test_token_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", FAKE_TOKEN)
    env = EnvSettings()
    shown = [
        repr(env),
        str(env),
        f"{env}",
        repr(env.telegram_bot_token),
        str(env.telegram_bot_token),
        str(env.model_dump()),
        env.model_dump_json(),
    ]
    for text in shown:
        assert FAKE_TOKEN not in text
        assert "FAKE-token" not in text
    assert "**********" in str(env.telegram_bot_token)


# --------------------------------------------------------------------------- contract

CONTRACT = """
[projects.contract]
start = 2026-03-01
end = 2029-02-28
value = 1200000
renewal_rate = "8%"
inspections = "quarterly"
phone_visits_per_year = 4
final_inspection_before_end = "3 months"
"""


def test_hotline_and_contract(tmp_path: Path) -> None:
    text = replace('escalation = ["cm"]\n', 'escalation = ["cm"]\nhotline = " 400-000-0001 "\n')
    text = text.replace("\n[policies.abc]", CONTRACT + "\n[policies.abc]")
    project = load_settings(write(tmp_path, text)).projects[0]
    assert project.hotline == "400-000-0001"
    contract = project.contract
    assert contract is not None
    assert contract.warranty_end.isoformat() == "2029-02-28"  # default: the contract's end
    assert contract.inspection_months == 3
    assert contract.renewal_percent == 8.0
    assert contract.final_inspection_before_end == (3, "months")
    assert contract.warranty_notices == [90, 30, 7]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("end = 2029-02-28", "end = 2026-02-01",
         "projects[0].contract: end (2026-02-01) is before start (2026-03-01)"),
        ('"3 months"', '"three months"',
         "projects[0].contract.final_inspection_before_end: invalid period 'three months': "
         'write e.g. "3 months" or "90 days"'),
        ('"8%"', '"8"', "projects[0].contract.renewal_rate: invalid rate '8': write a "
         'percentage, e.g. "8%"'),
        ('"quarterly"', '"weekly"', "projects[0].contract.inspections: must be 'none', "
         "'monthly', 'quarterly', 'half-yearly' or 'yearly'"),
        ("phone_visits_per_year = 4", "phone_visits_per_year = 52",
         "projects[0].contract.phone_visits_per_year: must be at most 12"),
    ],
)  # fmt: skip
def test_contract_problem(tmp_path: Path, old: str, new: str, expected: str) -> None:
    text = BASE.replace("\n[policies.abc]", CONTRACT.replace(old, new) + "\n[policies.abc]")
    assert problems(tmp_path, text) == [expected]


def test_hotline_must_look_like_a_phone_number(tmp_path: Path) -> None:
    text = replace('escalation = ["cm"]\n', 'escalation = ["cm"]\nhotline = "call us"\n')
    assert problems(tmp_path, text) == [
        "projects[0].hotline: invalid phone number 'call us': digits, spaces, '-', '(' and ')' "
        'only, optionally starting with +, e.g. "400-000-0000"'
    ]
