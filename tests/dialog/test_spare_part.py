"""/part N: the engineer records that a hardware part must be replaced; the AsiaInfo contract's
3-working-day spare-part clock starts then, not for every fault."""

from __future__ import annotations

from tests.dialog.harness import Harness
from tests.dialog.test_sla import CUSTOMER, ENG3, make, run, s, send, team, to

__all__ = ["make", "s"]  # the fixtures, shared with the SLA tests


async def test_part_needed_starts_the_spare_part_clock(s: Harness) -> None:
    staff = await team(s)
    cust = await s.customer(invite="ROLLOUT2026")
    await s.report(cust)  # Monday 14:00
    await staff[ENG3].send("/take 1")
    await staff[ENG3].send("/sla 1")
    assert "备件更换" not in staff[ENG3].last().text  # no part needed: no clock
    said = await send(s, staff[ENG3], "/part 1")
    assert "已记录工单 #1：需要更换硬件部件。" in to(said, ENG3)
    assert to(said, CUSTOMER) == ["工单 #1：工程师确认需要更换硬件部件，正在安排备件。"]
    await staff[ENG3].send("/sla 1")
    assert "• 备件更换：时限 3 个工作日，已用 0分钟" in staff[ENG3].last().text
    # What is left reads in working days too (not "1天": 24 working hours are 3 days).
    assert "剩余 3 个工作日" in staff[ENG3].last().text
    events = [e.kind for e in await s.events(1)]
    assert events[-1] == "part_needed"
    # The spare part provided stops it: nothing more is said about it.
    await send(s, staff[ENG3], "/spare 1")
    said = await run(s, days=5)
    assert [x for x in said if "备件更换" in x.text] == []
