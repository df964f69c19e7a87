"""Who the sandbox's web page can act as: the config's staff and the demo customers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

JsonDict = dict[str, Any]

ROLE_LABELS = {
    "customer": "Customer 客户",
    "engineer": "Engineer 工程师",
    "customer_manager": "Customer manager 客户经理",
    "project_manager": "Project manager 项目经理",
    "project_lead": "Project lead 项目负责人",
    "admin": "Admin 管理员",
}


@dataclass(frozen=True)
class Persona:
    """Someone the page can act as: a staff member of the config or a demo customer."""

    user_id: int
    name: str
    kind: str  # "customer" | "staff"
    roles: tuple[str, ...]
    language: str
    projects: tuple[str, ...] = ()  # project names
    invite: str = ""  # customers: the /start code of their project
    unit: str = ""
    phone: str = ""

    @property
    def group(self) -> str:
        """Where the persona picker lists this persona."""
        if self.kind == "customer":
            return "Customers"
        return "Engineers" if "engineer" in self.roles else "Managers"

    def to_dict(self) -> JsonDict:
        roles = self.roles or ("customer",)
        return {
            "id": self.user_id,
            "name": self.name,
            "kind": self.kind,
            "group": self.group,
            "roles": list(roles),
            "role_label": " · ".join(ROLE_LABELS.get(r, r) for r in roles),
            "language": self.language,
            "projects": list(self.projects),
            "invite": self.invite,
            "unit": self.unit,
            "phone": self.phone,
        }
