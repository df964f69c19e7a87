"""The operator's messages: /health (`health.report`) and a failed backup (`backup.failed`)."""

from __future__ import annotations

from bot.services.notices import Notice
from bot.services.operations import BackupFailed, HealthReport
from bot.telegram.catalog import Markup, markup, text
from bot.telegram.render.parts import Parts, RenderFn, span
from bot.telegram.render.widgets import Call, message


def health_report(p: Parts, lang: str, n: Notice) -> list[Call]:
    """The same facts as /healthz and /metrics, a line each; the verdict first."""
    report = n.params_as(HealthReport)
    f = report.facts
    sep = "、" if lang == "zh" else ", "
    if report.problems:
        reasons = sep.join(text(lang, f"health.reason.{r}") for r in report.problems)
        verdict = markup(lang, "health.bad", reasons=reasons)
    else:
        verdict = markup(lang, "health.ok")

    def age(seconds: float | None) -> str:
        seconds = seconds or 0.0
        if seconds < 60:  # a healthy bot's ages are seconds: "1m" would hide that
            return f"{int(seconds)}秒" if lang == "zh" else f"{int(seconds)}s"
        return span(seconds, lang)

    lines = [
        markup(lang, "health.database_ok")
        if not f.database_error
        else markup(lang, "health.database_bad", error=f.database_error),
        markup(lang, "health.updates", age=age(f.updates_age), count=f.updates_handled)
        if f.polling
        else markup(lang, "health.updates_pushed", count=f.updates_handled),
        markup(lang, "health.outbox", backlog=f.outbox_backlog, age=age(f.outbox_oldest_age))
        if f.outbox_backlog
        else markup(lang, "health.outbox_empty"),
        markup(lang, "health.timers", age=age(f.timers_oldest_age))
        if f.timers_oldest_age is not None
        else markup(lang, "health.timers_none"),
        markup(lang, "health.tickets", levels=_counts(f.open_tickets, lang))
        if f.open_tickets
        else markup(lang, "health.tickets_none"),
        markup(lang, "health.breaches", clocks=_counts(_clock_names(f.open_breaches, lang), lang))
        if f.open_breaches
        else markup(lang, "health.breaches_none"),
        markup(lang, "health.unreachable", count=f.unreachable_staff),
        markup(lang, "health.backup", age=age(f.last_backup_age))
        if f.last_backup_age is not None
        else markup(lang, "health.backup_none"),
    ]
    if f.backup_error:
        lines.append(markup(lang, "health.backup_error", error=f.backup_error))
    body = text(lang, "health.report", verdict=verdict, lines=Markup("\n".join(lines)))
    return [message(n, body)]


def _counts(values: dict[str, int], lang: str) -> str:
    return ("，" if lang == "zh" else ", ").join(f"{k} {v}" for k, v in sorted(values.items()))


def _clock_names(counts: dict[str, int], lang: str) -> dict[str, int]:
    """The standard clocks in the reader's words (a policy's own clock by its key)."""
    named: dict[str, int] = {}
    for name, count in counts.items():
        try:
            named[text(lang, f"sla.clock.{name}")] = count
        except KeyError:
            named[name] = count
    return named


def backup_failed(p: Parts, lang: str, n: Notice) -> list[Call]:
    failed = n.params_as(BackupFailed)
    return [message(n, text(lang, "backup.failed", error=failed.error, folder=failed.folder))]


RENDERERS: dict[str, RenderFn] = {
    "health.report": health_report,
    "backup.failed": backup_failed,
}
