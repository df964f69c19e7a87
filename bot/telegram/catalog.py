"""The message catalog: every user-facing string, in Chinese (default) and English.

Templates are Telegram HTML. `text()` escapes every parameter unless it is `Markup` built by a
renderer from catalog strings, so user input can never break the markup.
"""

from __future__ import annotations

import html
from typing import Any

LANGUAGES = ("zh", "en")


class Markup(str):
    """Already-escaped HTML: inserted into a template as is."""


def esc(value: object) -> str:
    if isinstance(value, Markup):
        return value
    return html.escape(str(value), quote=False)


def pick_language(telegram_code: str | None, default: str) -> str:
    """The user's Telegram language wins when we support it."""
    if telegram_code:
        code = telegram_code.lower()
        for lang in LANGUAGES:
            if code == lang or code.startswith(lang + "-"):
                return lang
    return default


def text(lang: str, key: str, **params: Any) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        raise KeyError(f"message catalog has no key {key!r}")
    template = entry.get(lang) or entry["zh"]
    return template.format(**{k: esc(v) for k, v in params.items()})


def markup(lang: str, key: str, **params: Any) -> Markup:
    return Markup(text(lang, key, **params))


M = dict[str, dict[str, str]]

MESSAGES: M = {
    # --- joining and profile
    "start.staff": {
        "zh": "您好，{name}！您已登记为值班人员，新故障会推送给您。发送 /help 查看命令。",
        "en": "Hello, {name}! You are registered as hotline staff; new faults will be paged "
        "to you. Send /help for your commands.",
    },
    "start.manager": {
        "zh": "您好，{name}！您已登记为热线的{role}。新故障不会推送给您；"
        "无人接单、时限将到或已超时的工单会通知您，"
        "您可以安排代班（/cover）、查看时限（/sla）或联系工程师。发送 /help 查看命令。",
        "en": "Hello, {name}! You are registered as the hotline's {role}. New faults are not "
        "paged to you; you are told when a ticket is not accepted or its deadline is near or "
        "missed, and you can put someone on duty (/cover), check the deadlines (/sla) or call "
        "the engineer. Send /help for your commands.",
    },
    "role.customer_manager": {"zh": "客户经理", "en": "customer manager"},
    "role.project_manager": {"zh": "项目经理", "en": "project manager"},
    "role.project_lead": {"zh": "项目负责人", "en": "project lead"},
    "role.admin": {"zh": "管理员", "en": "administrator"},
    "start.bad_invite": {
        "zh": "邀请码无效。请使用项目给您的邀请链接，或联系客户经理。",
        "en": "This invite code is not valid. Please use the invite link of your project, "
        "or ask your customer manager.",
    },
    "start.need_invite": {
        "zh": "欢迎使用 7×24 热线值班机器人。请通过项目的邀请链接加入（/start 邀请码）。",
        "en": "Welcome to the 7×24 hotline bot. Please join through your project's invite "
        "link (/start INVITE).",
    },
    "start.joined": {
        "zh": "您已加入项目：<b>{project}</b>。",
        "en": "You have joined the project <b>{project}</b>.",
    },
    "start.welcome_back": {
        "zh": "欢迎回来（{project}）。报障请发送 /report，查看我的工单 /my。",
        "en": "Welcome back ({project}). Send /report to report a fault, /my for your tickets.",
    },
    "profile.ask_name": {
        "zh": "请告诉我您的姓名：",
        "en": "Please tell me your name:",
    },
    "profile.ask_unit": {
        "zh": "您所在的单位：",
        "en": "Your unit (organisation / department):",
    },
    "profile.ask_phone": {
        "zh": "您的联系电话：",
        "en": "Your phone number:",
    },
    "profile.after_report": {
        "zh": "为便于工程师联系您，请补充您的联系信息（可发送 /cancel 跳过）。",
        "en": "So that the engineers know whom to contact, please complete your contact "
        "details (or send /cancel to skip).",
    },
    "profile.saved": {
        "zh": "已保存：{name}，{unit}，{phone}。可随时用 /profile 修改。",
        "en": "Saved: {name}, {unit}, {phone}. Change it any time with /profile.",
    },
    # --- dialog control
    "cancel.nothing": {"zh": "当前没有进行中的操作。", "en": "Nothing to cancel."},
    "cancel.done": {"zh": "已取消。", "en": "Cancelled."},
    "cancel.report_open": {
        "zh": "已停止补充信息。工单 #{ticket_id} 已经建立，工程师正在处理。",
        "en": "Stopped adding details. Ticket #{ticket_id} is already open and being handled.",
    },
    "draft.expired": {
        "zh": "您未完成的填写已超过 24 小时未操作，已作废。如需报障请重新发送 /report。",
        "en": "Your unfinished form was untouched for 24 hours and has expired. Send /report "
        "to start again.",
    },
    "draft.expired_open": {
        "zh": "补充信息已超过 24 小时未操作，已结束。工单 #{ticket_id} 照常处理中。",
        "en": "Adding details was untouched for 24 hours and has ended. Ticket #{ticket_id} "
        "is still being handled.",
    },
    "draft.expired_work": {
        "zh": "工单 #{ticket_id}：您未完成的输入已超过 24 小时未操作，已作废，工单状态未变。",
        "en": "Ticket #{ticket_id}: your unfinished input was untouched for 24 hours and has "
        "expired; the ticket is unchanged.",
    },
    "dialog.busy": {
        "zh": "请先完成当前的填写，或发送 /cancel 取消。",
        "en": "Please finish the current form first, or send /cancel.",
    },
    "dialog.resume": {
        "zh": "您有未完成的填写，请继续回答（或发送 /cancel 取消）：",
        "en": "Your form is still open; please go on (or send /cancel):",
    },
    # --- hints for wrong input
    "hint.want_text": {"zh": "请用文字回复。", "en": "Please answer with text."},
    "hint.too_long": {
        "zh": "内容太长（最多 {limit} 字），请精简后再发送。",
        "en": "That is too long (at most {limit} characters); please shorten it.",
    },
    "hint.bad_phone": {
        "zh": "请输入有效的电话号码（数字，可带 + 和 -）。",
        "en": "Please enter a valid phone number (digits, + and - allowed).",
    },
    "hint.use_buttons": {
        "zh": "请点击上面消息中的按钮作答，或发送 /cancel 取消。",
        "en": "Please use the buttons of the message above, or send /cancel.",
    },
    "hint.want_site": {
        "zh": "请用文字写出故障地点，或发送位置（📎 → 位置）。",
        "en": "Please type the site of the fault, or send a location (📎 → Location).",
    },
    "hint.want_photo": {
        "zh": "这里可以发送照片；没有照片请点「完成」。",
        "en": 'You can send photos here; press "Done" when finished or if you have none.',
    },
    "hint.too_many_photos": {
        "zh": "最多 {limit} 张照片，请点「完成」。",
        "en": 'At most {limit} photos; please press "Done".',
    },
    "hint.unknown_command": {
        "zh": "不认识这个命令。发送 /help 查看可用命令。",
        "en": "I don't know that command. Send /help for the list.",
    },
    "hint.idle": {
        "zh": "如需报障请发送 /report；查看工单 /my；帮助 /help。",
        "en": "To report a fault send /report; your tickets: /my; help: /help.",
    },
    "hint.not_registered": {
        "zh": "您还没有加入任何项目。请通过项目的邀请链接加入（/start 邀请码）。",
        "en": "You have not joined a project yet. Please use your project's invite link "
        "(/start INVITE).",
    },
    "button.stale": {
        "zh": "这个按钮已失效，请使用最新的消息。",
        "en": "This button is out of date; please use the latest message.",
    },
    # --- report dialog
    "report.staff": {
        "zh": "值班人员不通过本机器人报障；请使用 /queue 查看待处理工单。",
        "en": "Staff do not report faults here; use /queue for open tickets.",
    },
    "report.intro": {
        "zh": "开始报障。先回答几个简单问题，以确定故障级别。",
        "en": "Let's report the fault. A few plain questions first, to find its severity.",
    },
    "severity.q.whole": {
        "zh": "整个系统是否无法使用、业务已经中断？",
        "en": "Is the whole system unusable — has the business stopped?",
    },
    "severity.q.partial": {
        "zh": "是否有部分设备故障，或部分功能受影响、受限？",
        "en": "Has part of the equipment failed, or are some functions affected or limited?",
    },
    "report.level": {
        "zh": "故障级别：<b>{level}</b>\n工程师将在 <b>{respond}</b>内响应，"
        "<b>{arrive}</b>内到场；到场后{repair}内修复。",
        "en": "Severity: <b>{level}</b>\nAn engineer will respond within <b>{respond}</b> and "
        "be on site within <b>{arrive}</b>; the repair follows within {repair} of arrival.",
    },
    "report.ask_site": {
        "zh": "故障地点在哪里？请写出地点，或发送位置。",
        "en": "Where is the fault? Type the site, or send a location.",
    },
    "report.ask_symptom": {
        "zh": "请描述故障现象（最多 2000 字）：",
        "en": "Please describe the symptom (at most 2000 characters):",
    },
    "report.ask_photos": {
        "zh": "如有照片请发送（可多张），完成后点「完成」。",
        "en": 'Send photos if you have any (several are fine), then press "Done".',
    },
    "report.photo_added": {
        "zh": "已收到 {count} 张照片。继续发送，或点「完成」。",
        "en": '{count} photo(s) received. Send more, or press "Done".',
    },
    "report.ask_model": {
        "zh": "设备型号和序列号（可跳过）：例如 “DS-2CD3T46 SN:E123”，或分两行写。",
        "en": "Product model and serial number (you may skip): e.g. \"DS-2CD3T46 SN:E123\", "
        "or on two lines.",
    },
    "report.ask_phone": {
        "zh": "联系电话：使用 {phone}，或输入其他号码。",
        "en": "Contact phone: use {phone}, or type another number.",
    },
    "report.ask_phone_empty": {
        "zh": "请输入联系电话：",
        "en": "Please enter a contact phone number:",
    },
    "report.ask_confirm": {
        "zh": "请确认报障信息：\n\n{summary}",
        "en": "Please confirm the report:\n\n{summary}",
    },
    "report.ask_edit": {"zh": "要修改哪一项？", "en": "Which item do you want to change?"},
    "report.details_done": {
        "zh": "补充信息已加入工单 #{ticket_id}。工程师会随时与您联系。",
        "en": "Your details were added to ticket #{ticket_id}. The engineer will keep you posted.",
    },
    # --- tickets
    "ticket.receipt": {
        "zh": "✅ 已受理，工单号 <b>#{id}</b>\n{facts}\n"
        "我们会在每一步通知您；查看进度 /status {id}",
        "en": "✅ Received: ticket <b>#{id}</b>\n{facts}\nWe will tell you at every step; "
        "follow it with /status {id}",
    },
    "ticket.receipt_early": {
        "zh": "⚠️ 特大故障已立即派单，工单号 <b>#{id}</b>，工程师正在接警。请继续补充信息。",
        "en": "⚠️ Severe fault: ticket <b>#{id}</b> was opened at once and the engineers are "
        "being paged. Please continue with the details.",
    },
    "ticket.page": {
        "zh": "🚨 <b>新故障 #{id}</b>（{project}）\n{body}",
        "en": "🚨 <b>New fault #{id}</b> ({project})\n{body}",
    },
    "ticket.page_chain": {
        "zh": "🚨 <b>工单 #{id} 无人接单</b>（{project}）：值班工程师未响应或无法联系。"
        "请安排工程师接单（/oncall 查看值班，/cover 安排代班）。\n{body}",
        "en": "🚨 <b>Nobody has accepted ticket #{id}</b> ({project}): the on-duty engineers "
        "did not answer or cannot be reached. Get an engineer on it (/oncall shows who is on "
        "duty, /cover puts someone on duty).\n{body}",
    },
    "ticket.page_taken": {
        "zh": "#{id} 已由 {owner} 接单。\n{body}",
        "en": "#{id} was taken by {owner}.\n{body}",
    },
    "ticket.card": {
        "zh": "🛠 <b>工单 #{id}</b> · {status}\n{body}\n{extra}",
        "en": "🛠 <b>Ticket #{id}</b> · {status}\n{body}\n{extra}",
    },
    "ticket.details_added": {
        "zh": "📎 工单 #{id} 补充了信息（{field}）：\n{body}",
        "en": "📎 Ticket #{id} got more details ({field}):\n{body}",
    },
    "ticket.page_updated": {"zh": "📎 已补充：{field}", "en": "📎 Just added: {field}"},
    "ticket.not_found": {
        "zh": "找不到工单 #{ticket_id}。",
        "en": "Ticket #{ticket_id} not found.",
    },
    "ticket.status": {
        "zh": "<b>工单 #{id}</b> · {status}\n{body}\n\n<b>进展</b>\n{timeline}",
        "en": "<b>Ticket #{id}</b> · {status}\n{body}\n\n<b>Timeline</b>\n{timeline}",
    },
    "list.my": {"zh": "<b>我的未结工单</b>\n{lines}", "en": "<b>My open tickets</b>\n{lines}"},
    "list.queue": {
        "zh": "<b>待处理工单</b>\n{lines}",
        "en": "<b>Open tickets</b>\n{lines}",
    },
    "list.mine": {"zh": "<b>我负责的工单</b>\n{lines}", "en": "<b>My tickets</b>\n{lines}"},
    "list.empty": {"zh": "（无）", "en": "(none)"},
    "list.more": {"zh": "……另有 {count} 张", "en": "… and {count} more"},
    # --- what the customer is told
    "customer.accepted": {
        "zh": "👷 工单 #{id} 已由工程师 {engineer} 接单，电话 {phone}。",
        "en": "👷 Ticket #{id} was accepted by engineer {engineer}, phone {phone}.",
    },
    "customer.on_way": {
        "zh": "🚗 工单 #{id}：工程师 {engineer} 已出发，预计 {arrive} 前到场。",
        "en": "🚗 Ticket #{id}: engineer {engineer} is on the way, due on site by {arrive}.",
    },
    "customer.on_way_eta": {
        "zh": "🚗 工单 #{id}：工程师 {engineer} 已出发，预计 {eta} 到场。",
        "en": "🚗 Ticket #{id}: engineer {engineer} is on the way, expected on site at {eta}.",
    },
    "customer.on_way_late": {
        "zh": "🚗 工单 #{id}：工程师 {engineer} 已出发。"
        "很抱歉，承诺的到场时间 {arrive} 已经超过。",
        "en": "🚗 Ticket #{id}: engineer {engineer} is on the way. We are sorry: the promised "
        "arrival time {arrive} has passed.",
    },
    "customer.on_way_eta_line": {
        "zh": "工程师预计 {eta} 到场。",
        "en": "The engineer expects to be on site at {eta}.",
    },
    "customer.on_way_no_due": {
        "zh": "🚗 工单 #{id}：工程师 {engineer} 已出发。",
        "en": "🚗 Ticket #{id}: engineer {engineer} is on the way.",
    },
    "customer.arrived": {
        "zh": "📍 工单 #{id}：工程师 {engineer} 已到场，承诺 {repair} 前修复。",
        "en": "📍 Ticket #{id}: engineer {engineer} is on site; repair promised by {repair}.",
    },
    "customer.arrived_no_due": {
        "zh": "📍 工单 #{id}：工程师 {engineer} 已到场。",
        "en": "📍 Ticket #{id}: engineer {engineer} is on site.",
    },
    "customer.resolved": {
        "zh": "✅ 工单 #{id} 已修复。\n原因：{cause}\n处理：{resolution}\n请确认是否已恢复正常。",
        "en": "✅ Ticket #{id} is resolved.\nCause: {cause}\nWhat was done: {resolution}\n"
        "Please confirm it works again.",
    },
    "customer.confirmed": {
        "zh": "感谢确认，工单 #{id} 已关闭。",
        "en": "Thank you for confirming; ticket #{id} is closed.",
    },
    "customer.reopened": {
        "zh": "已重新打开工单 #{id}，并通知了工程师。",
        "en": "Ticket #{id} was reopened and the engineer has been told.",
    },
    "customer.regraded": {
        "zh": "工单 #{id} 的故障级别由 {old} 调整为 {level}。\n{deadlines}",
        "en": "Ticket #{id} was re-graded from {old} to {level}.\n{deadlines}",
    },
    "owner.confirmed": {
        "zh": "客户已确认工单 #{id} 修复，工单关闭。",
        "en": "The customer confirmed ticket #{id} is fixed; it is closed.",
    },
    "owner.reopened": {
        "zh": "⚠️ 客户反馈工单 #{id} 未修复，工单已重新打开（第 {count} 次）。",
        "en": "⚠️ The customer says ticket #{id} is not fixed; it is open again "
        "(times reopened: {count}).",
    },
    # --- engineers' work
    "work.ask_cause": {
        "zh": "工单 #{id}：请选择故障原因：",
        "en": "Ticket #{id}: choose the cause:",
    },
    "work.ask_resolution": {
        "zh": "工单 #{ticket_id}：请简要说明处理措施：",
        "en": "Ticket #{ticket_id}: briefly, what was done?",
    },
    "work.ask_note": {
        "zh": "工单 #{id}：请输入备注：",
        "en": "Ticket #{id}: type the note:",
    },
    "work.note_saved": {"zh": "备注已加入工单 #{id}。", "en": "Note added to ticket #{id}."},
    "work.ask_handover": {
        "zh": "工单 #{id}：转交给谁？",
        "en": "Ticket #{id}: hand over to whom?",
    },
    "work.handover_sent": {
        "zh": "已请 {target} 接手工单 #{id}，等待对方确认。",
        "en": "Asked {target} to take over ticket #{id}; waiting for them to accept.",
    },
    "work.handover_offer": {
        "zh": "🔁 {owner} 请您接手工单 #{id}：\n{body}",
        "en": "🔁 {owner} asks you to take over ticket #{id}:\n{body}",
    },
    "work.handover_accepted": {
        "zh": "{target} 已接手工单 #{id}。",
        "en": "{target} took over ticket #{id}.",
    },
    "work.handover_declined": {
        "zh": "{target} 未接手工单 #{id}，工单仍由您负责。",
        "en": "{target} declined ticket #{id}; it stays with you.",
    },
    "work.regraded": {
        "zh": "工单 #{id} 级别由 {old} 调整为 {level}。\n{deadlines}",
        "en": "Ticket #{id} re-graded from {old} to {level}.\n{deadlines}",
    },
    "staff.unreachable": {
        "zh": "⚠️ 以下人员无法接收消息（未启动机器人或已屏蔽）：{names}（{project}）。{ticket}"
        "请提醒他们在 Telegram 中打开本机器人并点「开始」。",
        "en": "⚠️ These staff cannot receive messages (never started the bot, or blocked "
        "it): {names} ({project}). {ticket}Please ask them to open the bot in Telegram "
        "and press Start.",
    },
    "staff.unreachable_ticket": {
        "zh": "工单 #{ticket_id} 的派单未送达。",
        "en": "The page for ticket #{ticket_id} did not reach them. ",
    },
    # --- refusals
    "refuse.staff_only": {"zh": "此操作仅限值班人员。", "en": "Only hotline staff can do this."},
    "refuse.engineers_only": {
        "zh": "只有本项目的工程师可以接单。",
        "en": "Only engineers of this project can accept tickets.",
    },
    "refuse.managers_only": {
        "zh": "只有经理可以调整故障级别。",
        "en": "Only managers can re-grade a fault.",
    },
    "refuse.not_found": {
        "zh": "找不到这张工单，或您无权处理。",
        "en": "That ticket does not exist or is not yours to handle.",
    },
    "refuse.already_taken": {
        "zh": "这张工单已被其他工程师接单。",
        "en": "Another engineer has already taken this ticket.",
    },
    "refuse.already_yours": {
        "zh": "这张工单已经是您的了。",
        "en": "You already own this ticket.",
    },
    "refuse.not_open": {"zh": "这张工单已经结束。", "en": "This ticket is no longer open."},
    "refuse.not_in_progress": {
        "zh": "这张工单不在处理中。",
        "en": "This ticket is not in progress.",
    },
    "refuse.retired": {
        "zh": "这张工单的项目已不在配置中：只能查看、接单并处理完毕。",
        "en": "This ticket's project is no longer in the config: it can only be read, taken "
        "and resolved.",
    },
    "refuse.not_owner": {
        "zh": "只有接单工程师可以操作这张工单。",
        "en": "Only the engineer who owns this ticket can do that.",
    },
    "refuse.wrong_step": {
        "zh": "这一步已经完成或不适用。",
        "en": "That step is already done or does not apply.",
    },
    "refuse.handover_self": {"zh": "不能转交给自己。", "en": "You cannot hand over to yourself."},
    "refuse.handover_pending": {
        "zh": "已在等待对方确认这次转交。",
        "en": "This hand-over is already waiting for an answer.",
    },
    "refuse.no_handover": {"zh": "没有待确认的转交。", "en": "There is no pending hand-over."},
    "refuse.no_candidates": {
        "zh": "本项目没有其他工程师可以转交。",
        "en": "There is no other engineer in this project to hand over to.",
    },
    "refuse.not_yours": {"zh": "这不是您的工单。", "en": "This is not your ticket."},
    "refuse.not_resolved": {
        "zh": "这张工单目前不是「已修复」状态。",
        "en": "This ticket is not in the resolved state.",
    },
    "refuse.same_level": {"zh": "级别没有变化。", "en": "The level is unchanged."},
    "toast.accepted": {"zh": "接单成功", "en": "Accepted"},
    "toast.on_way": {"zh": "已记录：出发", "en": "Recorded: on the way"},
    "toast.arrived": {"zh": "已记录：到场", "en": "Recorded: on site"},
    "toast.ok": {"zh": "好的", "en": "OK"},
    "answered": {"zh": "✔ {who}：{answer}（{at}）", "en": "✔ {answer} — {who}, {at}"},
    # --- usage of commands
    "usage.ticket": {
        "zh": "用法：/{command} 工单号，例如 /{command} 12",
        "en": "Usage: /{command} NUMBER, e.g. /{command} 12",
    },
    "usage.onway": {
        "zh": "用法：/onway 工单号 [预计路上用时，如 30m 或 1h30m]",
        "en": "Usage: /onway NUMBER [time to the site, e.g. 30m or 1h30m]",
    },
    "usage.resolve": {
        "zh": "用法：/resolve 工单号 处理说明",
        "en": "Usage: /resolve NUMBER what was done",
    },
    "usage.note": {"zh": "用法：/note 工单号 备注", "en": "Usage: /note NUMBER text"},
    "usage.regrade": {"zh": "用法：/regrade 工单号 A|B|C", "en": "Usage: /regrade NUMBER A|B|C"},
    "whoami": {
        "zh": "您的 Telegram 用户 ID：<code>{id}</code>",
        "en": "Your Telegram user id: <code>{id}</code>",
    },
    # /help: a heading per role; the commands come from the table in menus.py
    "help.customer": {"zh": "<b>客户命令</b>", "en": "<b>Customer commands</b>"},
    "help.staff": {"zh": "<b>值班命令</b>", "en": "<b>Staff commands</b>"},
    "help.manager": {"zh": "<b>经理命令</b>", "en": "<b>Manager commands</b>"},
    # --- pieces
    "level.A": {"zh": "A 特大故障", "en": "A — severe"},
    "level.B": {"zh": "B 重大故障", "en": "B — major"},
    "level.C": {"zh": "C 一般故障", "en": "C — ordinary"},
    "level.A.meaning": {
        "zh": "系统严重故障，业务无法运行",
        "en": "severe system failure; the business cannot operate",
    },
    "level.B.meaning": {
        "zh": "部分设备故障，部分业务功能受影响",
        "en": "part of the equipment failed; some functions are affected",
    },
    "level.C.meaning": {
        "zh": "一般技术故障，大部分工作正常进行",
        "en": "an ordinary fault; most work proceeds normally",
    },
    "status.new": {"zh": "待接单", "en": "waiting for an engineer"},
    "status.accepted": {"zh": "已接单", "en": "accepted"},
    "status.on_way": {"zh": "工程师在路上", "en": "engineer on the way"},
    "status.on_site": {"zh": "工程师已到场", "en": "engineer on site"},
    "status.resolved": {"zh": "已修复，待确认", "en": "resolved, awaiting confirmation"},
    "status.closed": {"zh": "已关闭", "en": "closed"},
    "field.level": {"zh": "级别", "en": "Level"},
    "field.site": {"zh": "地点", "en": "Site"},
    "field.location": {"zh": "位置", "en": "Location"},
    "field.symptom": {"zh": "现象", "en": "Symptom"},
    "field.photos": {"zh": "照片", "en": "Photos"},
    "field.model": {"zh": "型号/序列号", "en": "Model/serial"},
    "field.product_model": {"zh": "型号", "en": "Model"},
    "field.serial": {"zh": "序列号", "en": "Serial no."},
    "field.phone": {"zh": "电话", "en": "Phone"},
    "field.contact": {"zh": "报障人", "en": "Contact"},
    "field.owner": {"zh": "负责人", "en": "Owner"},
    "field.respond_by": {"zh": "响应时限", "en": "Respond by"},
    "field.arrive_by": {"zh": "到场时限", "en": "On site by"},
    "field.repair_by": {"zh": "修复时限", "en": "Repair by"},
    "field.repair_within": {"zh": "到场后{d}内", "en": "within {d} of arrival"},
    "field.cause": {"zh": "原因", "en": "Cause"},
    "field.resolution": {"zh": "处理", "en": "Done"},
    "field.reopened": {"zh": "重开次数", "en": "Reopened"},
    "field.none": {"zh": "（未填）", "en": "(none)"},
    "field.pin": {"zh": "已发送定位", "en": "location sent"},
    "ev.reported": {"zh": "报障（{level} 级）", "en": "reported (level {level})"},
    "ev.accepted": {"zh": "接单", "en": "accepted"},
    "ev.on_way": {"zh": "出发", "en": "on the way"},
    "ev.arrived": {"zh": "到场", "en": "arrived on site"},
    "ev.resolved": {"zh": "修复：{note}", "en": "resolved: {note}"},
    "ev.reopened": {"zh": "反馈未修复，{nth}重新打开", "en": "not fixed; reopened ({nth})"},
    "ev.confirmed": {"zh": "确认已修复，工单关闭", "en": "confirmed fixed; closed"},
    "ev.handover_proposed": {"zh": "提出转交给 {to}", "en": "hand-over offered to {to}"},
    "ev.handover_accepted": {"zh": "接手（原负责人 {frm}）", "en": "took over from {frm}"},
    "ev.handover_declined": {"zh": "拒绝转交", "en": "declined the hand-over"},
    "ev.note": {"zh": "备注：{text}", "en": "note: {text}"},
    "ev.regraded": {"zh": "级别 {old} → {new}", "en": "level {old} → {new}"},
    "ev.details_added": {"zh": "补充信息（{field}）", "en": "details added ({field})"},
    "actor.customer": {"zh": "客户", "en": "customer"},
    "actor.system": {"zh": "系统", "en": "system"},
    # --- buttons (kept short: Telegram shows them on one line)
    "btn.yes": {"zh": "是", "en": "Yes"},
    "btn.no": {"zh": "否", "en": "No"},
    "btn.accept": {"zh": "接单", "en": "Accept"},
    "btn.on_way": {"zh": "🚗 已出发", "en": "🚗 On my way"},
    "btn.arrived": {"zh": "📍 已到场", "en": "📍 Arrived"},
    "btn.resolved": {"zh": "✅ 已修复", "en": "✅ Resolved"},
    "btn.handover": {"zh": "🔁 转交", "en": "🔁 Hand over"},
    "btn.note": {"zh": "📝 备注", "en": "📝 Add note"},
    "btn.photos_done": {"zh": "完成", "en": "Done"},
    "btn.skip": {"zh": "跳过", "en": "Skip"},
    "btn.keep_phone": {"zh": "使用 {phone}", "en": "Use {phone}"},
    "btn.confirm": {"zh": "✅ 确认提交", "en": "✅ Confirm"},
    "btn.edit": {"zh": "✏️ 修改", "en": "✏️ Edit"},
    "btn.cancel": {"zh": "取消", "en": "Cancel"},
    "btn.fixed": {"zh": "✅ 确认已恢复", "en": "✅ Confirm fixed"},
    "btn.not_fixed": {"zh": "❌ 未修复", "en": "❌ Not fixed"},
    "btn.take_handover": {"zh": "接手", "en": "Take over"},
    "btn.decline_handover": {"zh": "拒绝", "en": "Decline"},
    # --- the command menu
    "cmd.report": {"zh": "报障", "en": "Report a fault"},
    "cmd.my": {"zh": "我的工单", "en": "My tickets"},
    "cmd.status": {"zh": "查看工单进度", "en": "A ticket's timeline"},
    "cmd.profile": {"zh": "修改联系信息", "en": "Change my contact details"},
    "cmd.cancel": {"zh": "取消当前操作", "en": "Cancel the current form"},
    "cmd.help": {"zh": "帮助", "en": "Help"},
    "cmd.whoami": {"zh": "我的用户 ID", "en": "My user id"},
    "cmd.queue": {"zh": "待处理工单", "en": "Open tickets"},
    "cmd.mine": {"zh": "我负责的工单", "en": "My tickets"},
    "cmd.take": {"zh": "接单 N", "en": "Accept ticket N"},
    "cmd.onway": {"zh": "已出发 N", "en": "On my way to N"},
    "cmd.arrive": {"zh": "已到场 N", "en": "Arrived at N"},
    "cmd.resolve": {"zh": "已修复 N 说明", "en": "Resolve N with a note"},
    "cmd.note": {"zh": "备注 N 内容", "en": "Add a note to N"},
    "cmd.regrade": {"zh": "调整级别 N A|B|C", "en": "Re-grade N A|B|C"},
    # --- the contract's clocks (SLA)
    "unit.bh": {"zh": "{n} 个工作小时", "en": "{n} business hours"},
    "unit.wd": {"zh": "{n} 个工作日", "en": "{n} working days"},
    "sla.clock.respond": {"zh": "响应", "en": "response"},
    "sla.clock.arrive": {"zh": "到场", "en": "arrival on site"},
    "sla.clock.repair": {"zh": "修复", "en": "repair"},
    "sla.expect.respond": {
        "zh": "请立即接单（/take {id}）并联系客户。",
        "en": "Accept it now (/take {id}) and call the customer.",
    },
    "sla.expect.arrive": {
        "zh": "请立即赶往现场，到场后点「已到场」。",
        "en": 'Get to the site now and press "Arrived" there.',
    },
    "sla.expect.repair": {
        "zh": "请尽快修复；无法修复时按合同提供备机。",
        "en": "Repair it now; if you cannot, provide a spare unit as the contract says.",
    },
    "sla.expect.default": {"zh": "请立即处理。", "en": "Act on it now."},
    "sla.next.respond": {
        "zh": "我们已通知值班负责人，工程师会尽快与您联系。",
        "en": "The duty managers have been alerted; an engineer will contact you shortly.",
    },
    "sla.next.arrive": {
        "zh": "我们已通知负责人督促工程师尽快到场，并会随时告知您进展。",
        "en": "The managers have been alerted to get the engineer to you as soon as possible; "
        "we will keep you posted.",
    },
    "sla.next.repair": {
        "zh": "我们已通知负责人；如仍无法修复，将按合同为您提供备机先恢复使用。",
        "en": "The managers have been alerted; if it still cannot be repaired, a spare unit "
        "will be provided as the contract says so that the system runs again.",
    },
    "sla.next.default": {
        "zh": "我们已通知负责人，并会随时告知您进展。",
        "en": "The managers have been alerted; we will keep you posted.",
    },
    "sla.late": {
        "zh": "（迟发：机器人停机期间到期，原定 {due}）",
        "en": " (late: it fell due at {due} while the bot was down)",
    },
    "sla.warn": {
        "zh": "⏰ 工单 #{id}（{level}，{site}）的{clock}时限还剩 {left}，截止 {due}。{late}",
        "en": "⏰ Ticket #{id} ({level}, {site}): {left} left for {clock}, due {due}.{late}",
    },
    "sla.missed": {
        "zh": "🔴 工单 #{id}（{level}，{site}）已超过{clock}时限 {over}（截止 {due}）。{late}\n"
        "{expect}",
        "en": "🔴 Ticket #{id} ({level}, {site}) missed its {clock} deadline by {over} "
        "(due {due}).{late}\n{expect}",
    },
    "sla.missed_now": {
        "zh": "🔴 工单 #{id}（{level}，{site}）已超过{clock}时限（截止 {due}）。{late}\n{expect}",
        "en": "🔴 Ticket #{id} ({level}, {site}) missed its {clock} deadline (due {due}).{late}\n"
        "{expect}",
    },
    "sla.escalated": {
        "zh": "🔴 升级：工单 #{id}（{level}，{site}）{clock}时限已超 {over}（截止 {due}）。"
        "{late}\n{expect}",
        "en": "🔴 Escalation: ticket #{id} ({level}, {site}) is {over} past its {clock} "
        "deadline (due {due}).{late}\n{expect}",
    },
    "sla.customer_missed": {
        "zh": "很抱歉，工单 #{id} 的{clock}时限（{due}）已超过 {over}。{next}",
        "en": "We are sorry: the {clock} time promised for ticket #{id} ({due}) was missed "
        "by {over}. {next}",
    },
    "sla.customer_missed_now": {
        "zh": "很抱歉，工单 #{id} 的{clock}时限（{due}）已经超过。{next}",
        "en": "We are sorry: the {clock} time promised for ticket #{id} ({due}) has passed. "
        "{next}",
    },
    "sla.opened": {
        "zh": "📌 工单 #{id}：{clock}义务开始，须在 {due} 前完成。\n{expect}",
        "en": "📌 Ticket #{id}: the {clock} obligation starts now, due {due}.\n{expect}",
    },
    "sla.view": {
        "zh": "<b>工单 #{id} 服务时限</b>（{level}）\n{pause}\n{lines}",
        "en": "<b>Ticket #{id} deadlines</b> ({level})\n{pause}\n{lines}",
    },
    "sla.line": {
        "zh": "• <b>{name}</b>：时限 {target}，已用 {elapsed}，{verdict}{paused}",
        "en": "• <b>{name}</b>: target {target}, elapsed {elapsed}, {verdict}{paused}",
    },
    "sla.met": {"zh": "✅ 达成", "en": "✅ met"},
    "sla.missed_short": {"zh": "❌ 超时 {over}", "en": "❌ missed by {over}"},
    "sla.left": {"zh": "剩余 {left}（截止 {due}）", "en": "{left} left (due {due})"},
    "sla.paused_short": {"zh": "⏸ 已暂停", "en": "⏸ paused"},
    "sla.paused_for": {"zh": "，暂停 {d}", "en": ", paused {d}"},
    "sla.nearest": {"zh": "⏰ 最近时限：{clock} {due}", "en": "⏰ Next deadline: {clock} {due}"},
    "sla.missed_bare": {"zh": "❌ 超时", "en": "❌ missed"},
    "sla.overdue": {"zh": "❌ 已到期", "en": "❌ overdue"},
    "sla.reopened": {
        "zh": "🔁 客户反馈未修复，已重开 {n} 次",
        "en": "🔁 Times reopened by the customer (not fixed): {n}",
    },
    "sla.next.loaner": {
        "zh": "按合同，我们将免费为您提供备用机，先恢复使用；负责人已收到通知。",
        "en": "As the contract promises, a loaner unit will be provided free of charge so that "
        "you can keep working; the managers have been alerted.",
    },
    # What a manager (the escalation chain) can do about a missed deadline.
    "sla.manage.owned": {
        "zh": "负责人：{owner}。您可以致电督促，或用 /assign {id} 加工程师代号 改派。",
        "en": "Owner: {owner}. You can call them, or reassign it with /assign {id} "
        "and an engineer's key.",
    },
    "sla.manage.nobody": {
        "zh": "目前无人接单{duty}。您可以用 /cover 安排人员值班，或用 /assign {id} 加工程师代号 "
        "指派工程师。",
        "en": "Nobody has accepted it{duty}. You can put someone on duty with /cover, or give "
        "it to an engineer with /assign {id} and their key.",
    },
    "sla.manage.care": {
        "zh": "客户经理：{people}。您可以督促其回访客户，回访后用 /callback {id} 记录。",
        "en": "Customer manager: {people}. You can have them call the customer back; the "
        "call-back is recorded with /callback {id}.",
    },
    "sla.manage.phone": {"zh": "（电话 {phone}）", "en": " (phone {phone})"},
    "sla.manage.on_duty": {"zh": "（值班：{people}）", "en": " (on duty: {people})"},
    "sla.manage.no_duty": {"zh": "，也无人值班", "en": ", and nobody is on duty"},
    # The customer's "not fixed": what is still wrong goes to the engineer.
    "work.ask_still_wrong": {
        "zh": "已重新打开工单 #{id}，并通知了工程师，修复时限重新计算。请描述仍存在的问题：",
        "en": "Ticket #{id} was reopened, the engineer has been told and the repair time "
        "counts again. What is still wrong? Please describe it:",
    },
    "reopen.thanks": {
        "zh": "已转告工程师，工单 #{id} 会继续处理。",
        "en": "Passed on to the engineer; ticket #{id} stays in progress.",
    },
    "reopen.still_wrong": {
        "zh": "⚠️ 工单 #{id} 客户反馈仍存在的问题：\n<b>{text}</b>",
        "en": "⚠️ Ticket #{id}: what the customer says is still wrong:\n<b>{text}</b>",
    },
    "ev.still_wrong": {"zh": "仍存在的问题：{text}", "en": "still wrong: {text}"},
    "sla.nearest_overdue": {
        "zh": "🔴 已超时：{clock} {due}",
        "en": "🔴 Overdue: {clock} was due {due}",
    },
    # --- pauses (force majeure, waiting for the customer)
    "pause.kind.force_majeure": {"zh": "不可抗力", "en": "force majeure"},
    "pause.kind.waiting": {"zh": "等待客户", "en": "waiting for the customer"},
    "pause.line_active": {
        "zh": "⏸ 时限暂停中（{kind}：{reason}）",
        "en": "⏸ Clocks paused ({kind}: {reason})",
    },
    "pause.line_proposed": {
        "zh": "⏳ 暂停申请待同意（{kind}：{reason}）",
        "en": "⏳ Pause awaiting agreement ({kind}: {reason})",
    },
    "pause.proposed": {
        "zh": "已提交不可抗力暂停申请（{reason}），等待客户同意和项目经理批准。",
        "en": "Force-majeure pause requested ({reason}); waiting for the customer's agreement "
        "and the project manager's approval.",
    },
    "pause.approve": {
        "zh": "⏸ {owner} 申请因不可抗力暂停工单 #{id} 的服务时限：\n<b>{reason}</b>\n{body}",
        "en": "⏸ {owner} asks to pause the deadlines of ticket #{id} for force majeure:\n"
        "<b>{reason}</b>\n{body}",
    },
    "pause.started": {
        "zh": "⏸ 工单 #{id} 的服务时限已暂停（{kind}：{reason}）。恢复请发送 /resume {id}。",
        "en": "⏸ The deadlines of ticket #{id} are paused ({kind}: {reason}). "
        "Send /resume {id} to resume.",
    },
    "pause.rejected": {
        "zh": "工单 #{id} 的暂停申请被 {by} 驳回，时限照常计算。",
        "en": "{by} rejected the pause of ticket #{id}; its deadlines keep running.",
    },
    "pause.ended": {
        "zh": "▶️ 工单 #{id} 恢复计时（暂停了 {d}）。\n{deadlines}",
        "en": "▶️ Ticket #{id}: the clocks run again (paused for {d}).\n{deadlines}",
    },
    "customer.paused_force_majeure": {
        "zh": "工单 #{id}：因不可抗力（{reason}），经双方确认，服务时限暂停计算。"
        "我们会继续处理并随时告知您。",
        "en": "Ticket #{id}: because of force majeure ({reason}), agreed by both sides, the "
        "promised times are suspended. We keep working on it and will keep you posted.",
    },
    "customer.paused_waiting": {
        "zh": "工单 #{id}：正在等待您的配合（{reason}），期间服务时限暂停计算。",
        "en": "Ticket #{id}: we are waiting for you ({reason}); meanwhile the promised times "
        "are suspended.",
    },
    "customer.resumed": {
        "zh": "工单 #{id} 恢复处理（暂停了 {d}）。\n{deadlines}",
        "en": "Ticket #{id} is back in progress (paused for {d}).\n{deadlines}",
    },
    "refuse.already_paused": {
        "zh": "这张工单已经暂停或有待批准的暂停申请。",
        "en": "This ticket is already paused or has a pause awaiting approval.",
    },
    "refuse.not_paused": {"zh": "这张工单没有暂停。", "en": "This ticket is not paused."},
    "refuse.approvers_only": {
        "zh": "只有本项目的项目经理可以批准暂停。",
        "en": "Only this project's project manager can approve a pause.",
    },
    "usage.pause": {
        "zh": "用法：/pause 工单号 不可抗力原因（如 雷击、设备被盗）",
        "en": "Usage: /pause NUMBER force-majeure cause (e.g. lightning, theft)",
    },
    "usage.wait": {
        "zh": "用法：/wait 工单号 原因（如 现场无法进入）",
        "en": "Usage: /wait NUMBER reason (e.g. site not accessible)",
    },
    "btn.approve": {"zh": "✅ 批准", "en": "✅ Approve"},
    "btn.reject": {"zh": "驳回", "en": "Reject"},
    # --- a pause by agreement (双方协商): the customer answers, the customer managers are told
    "customer.pause_ask_force_majeure": {
        "zh": "⏸ 工单 #{id}：工程师 {engineer} 提出，因不可抗力（{reason}）暂停服务时限的计算。"
        "按合同，这需要双方协商一致，并经项目经理批准。您是否同意？",
        "en": "⏸ Ticket #{id}: engineer {engineer} proposes to suspend the promised times "
        "because of force majeure ({reason}). By the contract this needs the agreement of both "
        "sides and the project manager's approval. Do you agree?",
    },
    "customer.pause_ask_waiting": {
        "zh": "⏸ 工单 #{id}：工程师 {engineer} 需要等待您的配合（{reason}），"
        "请求在此期间暂停服务时限的计算。您是否确认？",
        "en": "⏸ Ticket #{id}: engineer {engineer} needs to wait for you ({reason}) and asks "
        "to suspend the promised times meanwhile. Do you confirm?",
    },
    "btn.pause_agree": {"zh": "✅ 同意", "en": "✅ I agree"},
    "btn.pause_refuse": {"zh": "不同意", "en": "I do not agree"},
    "customer.pause_pending": {
        "zh": "已记录您的同意（工单 #{id}）。暂停还需项目经理批准；在此之前服务时限照常计算。",
        "en": "Your agreement is recorded (ticket #{id}). The pause still needs the project "
        "manager's approval; until then the promised times keep running.",
    },
    "customer.pause_refused": {
        "zh": "已记录：您不同意暂停，工单 #{id} 的服务时限照常计算。",
        "en": "Recorded: you do not agree to a pause; the promised times of ticket #{id} keep "
        "running.",
    },
    "customer.pause_dropped": {
        "zh": "工单 #{id}：暂停提议已撤回，服务时限照常计算。",
        "en": "Ticket #{id}: the proposed pause was withdrawn; the promised times keep running.",
    },
    "pause.wait_proposed": {
        "zh": "已请客户确认等待（{reason}）；客户确认后工单 #{id} 的时限才暂停。",
        "en": "The customer is asked to confirm the wait ({reason}); the deadlines of ticket "
        "#{id} pause only once they confirm.",
    },
    "pause.waiting_asked": {
        "zh": "ℹ️ 工单 #{id}：{owner} 请客户确认等待客户配合（{reason}）；客户确认后时限暂停。",
        "en": "ℹ️ Ticket #{id}: {owner} asks the customer to confirm a wait for them "
        "({reason}); the deadlines pause once the customer confirms.",
    },
    "pause.customer_agreed": {
        "zh": "客户已同意暂停工单 #{id}（{reason}），等待项目经理批准。",
        "en": "The customer agreed to pause ticket #{id} ({reason}); waiting for the project "
        "manager.",
    },
    "pause.approved_pending": {
        "zh": "{by} 已批准工单 #{id} 的暂停（{reason}），等待客户同意。",
        "en": "{by} approved the pause of ticket #{id} ({reason}); waiting for the customer's "
        "agreement.",
    },
    "pause.refused": {
        "zh": "客户不同意暂停工单 #{id}（{reason}），时限照常计算。",
        "en": "The customer does not agree to pause ticket #{id} ({reason}); its deadlines keep "
        "running.",
    },
    "pause.withdrawn": {
        "zh": "已撤回工单 #{id} 的暂停申请，时限照常计算。",
        "en": "The pause request of ticket #{id} is withdrawn; its deadlines keep running.",
    },
    "ev.wait_proposed": {
        "zh": "请客户确认等待：{reason}",
        "en": "asked the customer to confirm a wait: {reason}",
    },
    "ev.pause_agreed": {"zh": "同意暂停", "en": "agreed to the pause"},
    "ev.pause_refused": {"zh": "不同意暂停", "en": "refused the pause"},
    "ev.pause_approved": {"zh": "批准暂停", "en": "approved the pause"},
    "ev.pause_withdrawn": {"zh": "撤回暂停申请", "en": "withdrew the pause request"},
    # --- promised steps the owner records
    "work.event_recorded": {
        "zh": "已记录工单 #{id}：{event}。",
        "en": "Recorded on ticket #{id}: {event}.",
    },
    "customer.proposal": {
        "zh": "工单 #{id}：工程师 {engineer} 已提交解决方案。",
        "en": "Ticket #{id}: engineer {engineer} has sent the solution proposal.",
    },
    "customer.spare_provided": {
        "zh": "工单 #{id}：已为您提供备机/备件，系统先行恢复。",
        "en": "Ticket #{id}: a spare unit/part was provided so the system runs again.",
    },
    "customer.part_needed": {
        "zh": "工单 #{id}：工程师确认需要更换硬件部件，正在安排备件。",
        "en": "Ticket #{id}: the engineer found that a hardware part must be replaced; the "
        "spare part is being arranged.",
    },
    "customer.loaner_provided": {
        "zh": "工单 #{id}：已为您免费提供备用机。",
        "en": "Ticket #{id}: a loaner unit was provided free of charge.",
    },
    "ev.proposal": {"zh": "提交解决方案", "en": "solution proposal sent"},
    "ev.spare_provided": {"zh": "提供备机/备件", "en": "spare unit/part provided"},
    "ev.part_needed": {"zh": "需要更换硬件部件", "en": "a hardware part must be replaced"},
    "ev.loaner_provided": {"zh": "提供免费备用机", "en": "loaner unit provided"},
    "ev.pause_proposed": {
        "zh": "申请不可抗力暂停：{reason}",
        "en": "force-majeure pause requested: {reason}",
    },
    "ev.paused": {"zh": "时限暂停：{reason}", "en": "deadlines paused: {reason}"},
    "ev.pause_rejected": {"zh": "暂停申请被驳回", "en": "pause rejected"},
    "ev.resumed": {"zh": "恢复计时（暂停了 {span}）", "en": "clocks resumed (paused for {span})"},
    "ev.sla_missed": {"zh": "超时：{clock}", "en": "deadline missed: {clock}"},
    "ev.sla_escalated": {"zh": "升级通知：{to}", "en": "escalated to {to}"},
    "cmd.sla": {"zh": "服务时限 N", "en": "Deadlines of N"},
    "cmd.pause": {"zh": "不可抗力暂停 N 原因", "en": "Force-majeure pause of N"},
    "cmd.wait": {"zh": "等待客户 N 原因", "en": "Wait for the customer on N"},
    "cmd.resume": {"zh": "恢复计时 N", "en": "Resume the clocks of N"},
    "cmd.proposal": {"zh": "已提交方案 N", "en": "Solution proposal sent for N"},
    "cmd.spare": {"zh": "已提供备机/备件 N", "en": "Spare unit/part provided for N"},
    "cmd.part": {"zh": "需要更换部件 N", "en": "A hardware part of N must be replaced"},
    "cmd.loaner": {"zh": "已提供备用机 N", "en": "Loaner unit provided for N"},
    "usage.sla": {"zh": "用法：/sla 工单号", "en": "Usage: /sla NUMBER"},
    "orphans.found": {
        "zh": "⚠️ 以下未关闭工单的负责人、项目或时限已不在配置中：\n{lines}",
        "en": "⚠️ The config no longer has the owner, project or deadline of these open "
        "tickets:\n{lines}",
    },
    "orphans.owner_gone": {
        "zh": "#{id}：负责人 {name} 已移除，工单退回待接单，已通知值班工程师。",
        "en": "#{id}: owner {name} was removed; the ticket is unowned again and the on-duty "
        "engineers are paged.",
    },
    "orphans.project_gone": {
        "zh": "#{id}：项目 {name} 已移除，提醒已暂停。管理员可查看（/status {id}）、"
        "接单（/take {id}）并处理完毕；恢复该项目的配置并重启后提醒继续。",
        "en": "#{id}: project {name} was removed; its reminders are held. Admins can read it "
        "(/status {id}), take it (/take {id}) and resolve it; put the project back in the "
        "config and restart to resume its reminders.",
    },
    "orphans.clock_gone": {
        "zh": "#{id}：时限 {name} 已不在其项目的时限策略中，该时限的提醒已暂停。",
        "en": "#{id}: its project's policy no longer has the {name} deadline; that deadline's "
        "reminders are held.",
    },
    "orphans.target_gone": {
        "zh": "#{id}：时限 {name} 已没有该工单级别的目标，该时限的提醒已暂停。",
        "en": "#{id}: the {name} deadline no longer has a target at this ticket's level; its "
        "reminders are held.",
    },
    "ev.unowned": {
        "zh": "负责人 {frm} 已不在配置中，工单退回待接单",
        "en": "owner {frm} is no longer in the config; the ticket is unowned again",
    },
    "ev.orphaned": {
        "zh": "配置中已无此工单的项目或时限，提醒暂停",
        "en": "the config no longer has this ticket's project or deadline; reminders held",
    },
    "ev.restored": {
        "zh": "配置已恢复，提醒继续",
        "en": "the config has it again; reminders resume",
    },
    "calendar.missing": {
        "zh": "{project}：还没有 {years} 年的官方节假日，工作日暂按周一至周五计算；"
        "请运行 <code>pip install -U chinesecalendar</code> 后重启机器人。",
        "en": "{project}: no official holidays for {years} yet, so working days count as "
        "Monday to Friday; run <code>pip install -U chinesecalendar</code> and restart the bot.",
    },
    # --- the roster (值班表)
    "roster.oncall": {"zh": "<b>当前值班</b>\n\n{body}", "en": "<b>On call now</b>\n\n{body}"},
    "roster.now_line": {"zh": "{layer}：{names}", "en": "{layer}: {names}"},
    "roster.always_line": {"zh": "常驻值班：{names}", "en": "always on duty: {names}"},
    "roster.next_line": {"zh": "下次交接 {at} → {who}", "en": "next hand-off {at} → {who}"},
    "roster.nobody": {"zh": "（无人）", "en": "(nobody)"},
    "roster.gap_now": {
        "zh": "⚠️ 当前无人值班：新故障将直接通知升级链。",
        "en": "⚠️ Nobody is on duty now: new faults go straight to the escalation chain.",
    },
    "roster.schedule": {
        "zh": "<b>未来 7 天值班表</b>\n\n{body}\n\n<b>我的班次</b>\n{mine}",
        "en": "<b>On call, next 7 days</b>\n\n{body}\n\n<b>My shifts</b>\n{mine}",
    },
    "roster.gap_line": {"zh": "⚠️ 无人值班：{span}", "en": "⚠️ nobody on duty: {span}"},
    "roster.ics_caption": {
        "zh": "我的值班日历（{count} 个班次），可导入手机日历。",
        "en": "My on-call calendar ({count} shifts), to import into a phone calendar.",
    },
    "roster.covered": {
        "zh": "已安排 {name} 于 {start} – {end} 值班（优先于轮值）。",
        "en": "{name} is on duty {start} – {end} (this beats the rotation).",
    },
    "roster.you_cover": {
        "zh": "{by} 安排您于 {start} – {end} 值班。",
        "en": "{by} put you on duty {start} – {end}.",
    },
    "roster.unknown_staff": {"zh": "没有这个人员：{staff}", "en": "No staff member {staff}."},
    "roster.no_team": {
        "zh": "{name} 不在您负责的任何值班组中。",
        "en": "{name} is not in any on-call team of your projects.",
    },
    "roster.no_shifts": {
        "zh": "未来 7 天您没有班次。",
        "en": "You have no shifts in the next 7 days.",
    },
    "roster.pick_shift": {"zh": "要换出哪个班次？", "en": "Which shift do you want to swap?"},
    "roster.pick_colleague": {
        "zh": "{span}：请选择接班的同事。",
        "en": "{span}: choose the colleague to take it.",
    },
    "roster.no_colleagues": {
        "zh": "值班组里没有其他工程师。",
        "en": "There is no other engineer in the team.",
    },
    "roster.swap_sent": {
        "zh": "已请 {target} 接替您 {span} 的班次，等待对方确认。",
        "en": "Asked {target} to take your shift {span}; waiting for them.",
    },
    "roster.swap_offer": {
        "zh": "🔁 {owner} 请您接替 {span} 的值班。",
        "en": "🔁 {owner} asks you to take the shift {span}.",
    },
    "roster.swap_declined": {
        "zh": "{target} 没有接受 {span} 的换班。",
        "en": "{target} declined the shift {span}.",
    },
    "roster.swap_accepted": {
        "zh": "{target} 已接替您 {span} 的班次。",
        "en": "{target} took your shift {span}.",
    },
    "roster.swap_done": {
        "zh": "已确认：{span} 由您值班（替 {owner}）。",
        "en": "Confirmed: you are on duty {span} (for {owner}).",
    },
    "roster.swap_told": {
        "zh": "换班：{span} 由 {target} 替 {owner} 值班。",
        "en": "Shift swap: {target} is on duty {span} instead of {owner}.",
    },
    "roster.shift_soon": {
        "zh": "⏰ 您的值班（{layer}）将于 {start} 开始，至 {end}。",
        "en": "⏰ Your on-call shift ({layer}) starts at {start}, until {end}.",
    },
    "roster.handoff": {
        "zh": "👋 交接班：您现在负责 {project} 的值班。未结工单 {count} 张：\n{lines}",
        "en": "👋 Hand-off: you are now on duty for {project}. Open tickets ({count}):\n{lines}",
    },
    "roster.gaps": {
        "zh": "⚠️ {project} 未来 7 天有无人值班的时段：\n{lines}\n请用 /cover 安排人员。",
        "en": "⚠️ {project} has nobody on duty in the next 7 days at:\n{lines}\n"
        "Use /cover to put someone on duty.",
    },
    "refuse.managers_only_roster": {
        "zh": "只有经理可以安排代班。",
        "en": "Only managers can put someone on duty.",
    },
    "usage.cover": {
        "zh": "用法：/cover 人员 时长（如 /cover eng3 12h），或 /cover 人员 开始 结束"
        "（如 /cover eng3 2026-12-01T08:00 2026-12-02T08:00）",
        "en": "Usage: /cover STAFF DURATION (e.g. /cover eng3 12h), or /cover STAFF FROM TO "
        "(e.g. /cover eng3 2026-12-01T08:00 2026-12-02T08:00)",
    },
    "btn.ics": {"zh": "📅 导出日历 (.ics)", "en": "📅 Calendar file (.ics)"},
    "btn.take_shift": {"zh": "接班", "en": "Take it"},
    "cmd.oncall": {"zh": "当前值班", "en": "Who is on duty"},
    "cmd.schedule": {"zh": "未来 7 天值班表", "en": "Next 7 days of duty"},
    "cmd.cover": {"zh": "安排代班（经理）", "en": "Put someone on duty (managers)"},
    "cmd.swap": {"zh": "换班", "en": "Swap a shift"},
    # --- /assign: a manager takes a ticket off an absent owner
    "usage.assign": {
        "zh": "用法：/assign 工单号 人员（如 /assign 12 eng2）",
        "en": "Usage: /assign NUMBER STAFF (e.g. /assign 12 eng2)",
    },
    "refuse.managers_only_assign": {
        "zh": "只有本项目的经理可以改派工单。",
        "en": "Only this project's managers can reassign a ticket.",
    },
    "refuse.assign_not_engineer": {
        "zh": "{name} 不是本项目的工程师，不能负责工单 #{id}。",
        "en": "{name} is not an engineer of this project and cannot own ticket #{id}.",
    },
    "refuse.assign_same": {
        "zh": "工单 #{id} 已由 {name} 负责。",
        "en": "{name} already owns ticket #{id}.",
    },
    "refuse.assign_unowned": {
        "zh": "工单 #{id} 还没有人接单，无需改派：值班工程师接单即可，或用 /cover 安排值班。",
        "en": "Nobody has accepted ticket #{id} yet, so there is nothing to reassign: the "
        "on-duty engineer can accept it, or put someone on duty with /cover.",
    },
    "work.assigned": {
        "zh": "已将工单 #{id} 由 {frm} 改派给 {to}。",
        "en": "Ticket #{id} is reassigned from {frm} to {to}.",
    },
    "work.assigned_away": {
        "zh": "{by} 已将工单 #{id} 改派给 {to}，您不再负责这张工单。",
        "en": "{by} reassigned ticket #{id} to {to}; you no longer own it.",
    },
    "work.assigned_to_you": {
        "zh": "{by} 将工单 #{id} 改派给您（原负责人 {frm}）。",
        "en": "{by} assigned ticket #{id} to you (it was {frm}'s).",
    },
    "customer.reassigned": {
        "zh": "👷 工单 #{id} 改由工程师 {engineer} 负责，电话 {phone}。",
        "en": "👷 Ticket #{id} is now handled by engineer {engineer}, phone {phone}.",
    },
    "ev.assigned": {"zh": "改派：{frm} → {to}", "en": "reassigned from {frm} to {to}"},
    "cmd.assign": {
        "zh": "改派工单 N 给工程师（经理）",
        "en": "Give ticket N to another engineer (managers)",
    },
    # --- the team group chat
    "group.status": {
        "zh": "#{id} {event}（{actor}）· {status}",
        "en": "#{id} {event} ({actor}) · {status}",
    },
    "group.ev.accepted": {"zh": "已接单", "en": "accepted"},
    "group.ev.on_way": {"zh": "工程师出发", "en": "engineer on the way"},
    "group.ev.arrived": {"zh": "工程师到场", "en": "engineer on site"},
    "group.ev.resolved": {"zh": "已修复", "en": "resolved"},
    # --- the satisfaction survey (满意度调查) after the customer confirms
    "survey.ask": {
        "zh": "感谢您确认工单 #{id}！请为本次服务打分（1–5 星）：",
        "en": "Thank you for confirming ticket #{id}! Please rate our service (1–5 stars):",
    },
    "survey.ask_comment": {
        "zh": "谢谢您的评分！还有什么想对我们说的吗？请直接回复文字，或点击“跳过”。",
        "en": "Thank you for your rating! Anything you would like to tell us? Reply with "
        "text, or press Skip.",
    },
    "work.ask_survey_comment": {
        "zh": "工单 #{id}：还有什么想对我们说的吗？请直接回复文字，或发送 /cancel 跳过。",
        "en": "Ticket #{id}: anything you would like to tell us? Reply with text, or send "
        "/cancel to skip.",
    },
    "survey.thanks": {
        "zh": "感谢您的评价，我们会继续改进服务。",
        "en": "Thank you for your feedback; it helps us improve.",
    },
    "survey.answered": {
        "zh": "您已为这个工单评过分，谢谢！",
        "en": "You have already rated this ticket. Thank you!",
    },
    "survey.complain_offer": {
        "zh": "很抱歉本次服务没有让您满意。客户经理会在 1 个工作日内与您联系。"
        "如需正式投诉，请点击下方按钮。",
        "en": "We are sorry the service fell short. Your customer manager will call you "
        "within 1 working day. To file a formal complaint, press the button below.",
    },
    "survey.low": {
        "zh": "⚠️ 客户对工单 #{id} 的服务评分为 {stars} 星。请在 1 个工作日内回访客户，"
        "并用 /callback {id} 记录沟通结果。\n{body}",
        "en": "⚠️ The customer rated the service of ticket #{id} {stars} star(s). Please call "
        "them back within 1 working day and record what was agreed with /callback {id}.\n{body}",
    },
    "survey.low_comment": {
        "zh": "💬 工单 #{id}（{stars} 星）客户留言：\n<b>{comment}</b>\n{body}",
        "en": "💬 Ticket #{id} ({stars} star(s)), the customer's comment:\n"
        "<b>{comment}</b>\n{body}",
    },
    "survey.callback_recorded": {
        "zh": "📞 已记录工单 #{id} 的客户回访（{name}）：{note}",
        "en": "📞 Call-back recorded for ticket #{id} ({name}): {note}",
    },
    "survey.no_low_rating": {
        "zh": "工单 #{ticket_id} 没有需要回访的低分评价。",
        "en": "Ticket #{ticket_id} has no low rating to call back about.",
    },
    "survey.called_back_before": {
        "zh": "工单 #{ticket_id} 的回访已记录过。",
        "en": "The call-back for ticket #{ticket_id} was recorded before.",
    },
    "usage.callback": {
        "zh": "用法：/callback 工单号 沟通结果",
        "en": "Usage: /callback NUMBER what was agreed",
    },
    "refuse.managers_only_callback": {
        "zh": "只有经理可以记录客户回访。",
        "en": "Only managers can record a call-back.",
    },
    "cmd.callback": {
        "zh": "记录低分工单 N 的客户回访（经理）",
        "en": "Record the call-back after ticket N's low rating (managers)",
    },
    "btn.survey_skip": {"zh": "跳过", "en": "Skip"},
    "btn.complain": {"zh": "📝 我要投诉", "en": "📝 File a complaint"},
    "ev.rated": {"zh": "满意度评分：{stars} 星", "en": "rated the service: {stars} star(s)"},
    "ev.rating_comment": {"zh": "评价留言：{text}", "en": "rating comment: {text}"},
    "ev.callback_done": {"zh": "低分回访：{text}", "en": "called back: {text}"},
    # --- proof of arrival: the engineer's shared location
    "arrival.ask_location": {
        "zh": "📍 已到场工单 #{id}。请点击下方按钮发送您的位置，作为到场凭证（可跳过）。",
        "en": "📍 On site for ticket #{id}. Press the button below to share your location as "
        "proof of arrival (you may skip).",
    },
    "arrival.recorded": {
        "zh": "已记录到场位置：距现场约 {metres} 米。",
        "en": "Arrival location recorded: about {metres} m from the site.",
    },
    "arrival.no_site": {
        "zh": "已记录到场位置（现场没有定位，无法计算距离）。",
        "en": "Arrival location recorded (the site has no coordinates to measure from).",
    },
    "arrival.skipped": {
        "zh": "未发送位置，工单 #{id} 不记录到场位置。",
        "en": "No location shared; ticket #{id} has no arrival location.",
    },
    "arrival.far": {
        "zh": "📍 工单 #{id}：{engineer} 到场时发送的位置距现场约 {metres} 米"
        "（超过 {radius} 米）。\n{body}",
        "en": "📍 Ticket #{id}: the location {engineer} shared on arriving is about {metres} m "
        "from the site (over {radius} m).\n{body}",
    },
    "btn.share_location": {"zh": "📍 发送我的位置", "en": "📍 Share my location"},
    "btn.skip_location": {"zh": "🚫 不发送位置", "en": "🚫 Don't share my location"},
    "arrival.dismissed": {"zh": "好的，不发送位置。", "en": "OK, no location shared."},
    "ev.arrival_location": {
        "zh": "到场位置：距现场约 {metres} 米",
        "en": "arrival location: about {metres} m from the site",
    },
    "ev.arrival_location_only": {
        "zh": "到场位置：{lat}, {lon}",
        "en": "arrival location: {lat}, {lon}",
    },
    # --- complaints (投诉) and the ledger (投诉处理台账)
    "cmd.complain": {"zh": "投诉", "en": "File a complaint"},
    "cmd.complaints": {"zh": "未结投诉（经理）", "en": "Open complaints (managers)"},
    "cmd.answer": {"zh": "答复投诉 C-N 内容", "en": "Answer complaint C-N"},
    "cmd.close": {"zh": "办结投诉 C-N 处理结果", "en": "Close complaint C-N with its result"},
    "cmd.ledger": {
        "zh": "投诉处理台账 [项目] [YYYY-MM]",
        "en": "Complaint ledger [PROJECT] [YYYY-MM]",
    },
    "usage.answer": {"zh": "用法：/answer C-编号 答复内容", "en": "Usage: /answer C-N text"},
    "usage.close": {"zh": "用法：/close C-编号 处理结果", "en": "Usage: /close C-N result"},
    "usage.ledger": {
        "zh": "用法：/ledger [项目] [YYYY-MM]，例如 /ledger 2026-11",
        "en": "Usage: /ledger [PROJECT] [YYYY-MM], e.g. /ledger 2026-11",
    },
    "complaint.customers_only": {
        "zh": "投诉由客户提交；请先通过项目邀请链接加入。",
        "en": "Complaints are filed by customers; join your project by its invite link first.",
    },
    "complaint.ask_about": {
        "zh": "您要投诉什么？请选择相关的工单，或选“其他”。",
        "en": "What is your complaint about? Choose the ticket, or “Something else”.",
    },
    "complaint.ask_about_again": {
        "zh": "请先用上面的按钮选择投诉涉及的工单，或发送 /cancel 取消。",
        "en": "Please choose with the buttons above what it is about, or send /cancel.",
    },
    "btn.complaint_ticket": {"zh": "工单 #{id}", "en": "Ticket #{id}"},
    "btn.complaint_other": {"zh": "其他", "en": "Something else"},
    "complaint.ask_content": {
        "zh": "请描述发生了什么（文字，可附照片）。",
        "en": "Please tell us what happened (text; photos are welcome).",
    },
    "complaint.ask_content_ticket": {
        "zh": "关于工单 #{id}：请描述发生了什么（文字，可附照片）。",
        "en": "About ticket #{id}: please tell us what happened (text; photos are welcome).",
    },
    "complaint.photo_added": {
        "zh": "照片已收到。请再用文字描述发生了什么。",
        "en": "Photo received. Now please describe in text what happened.",
    },
    "complaint.too_many_photos": {
        "zh": "最多 {limit} 张照片；请用文字描述发生了什么。",
        "en": "At most {limit} photos; please describe in text what happened.",
    },
    "complaint.too_long": {
        "zh": "内容太长（最多 {limit} 字），请精简后再发。",
        "en": "That is too long (at most {limit} characters); please shorten it.",
    },
    "complaint.received": {
        "zh": "您的投诉 {number} 已受理，客户经理会尽快答复您。",
        "en": "Your complaint {number} is received; a customer manager will answer you soon.",
    },
    "complaint.about_other": {"zh": "其他", "en": "something else"},
    "complaint.summary": {
        "zh": "<b>投诉 {number}</b>（{project}）\n客户：{customer}\n涉及：{about}\n"
        "受理时间：{received}\n受理人：{owner}\n内容：{content}",
        "en": "<b>Complaint {number}</b> ({project})\nCustomer: {customer}\nAbout: {about}\n"
        "Received: {received}\nOwner: {owner}\nWhat happened: {content}",
    },
    "complaint.page": {
        "zh": "📣 新投诉，请受理：\n{summary}",
        "en": "📣 A new complaint, please take it:\n{summary}",
    },
    "btn.complaint_take": {"zh": "受理", "en": "Take"},
    "btn.complaint_reply": {"zh": "答复", "en": "Reply"},
    "btn.complaint_note": {"zh": "内部备注", "en": "Note"},
    "btn.complaint_close": {"zh": "办结", "en": "Close"},
    "btn.complaint_satisfied": {"zh": "满意", "en": "Satisfied"},
    "btn.complaint_not_satisfied": {"zh": "不满意", "en": "Not satisfied"},
    "complaint.yours": {
        "zh": "您已受理投诉 {number}。请通过机器人答复客户，并在处理完后办结。\n{summary}",
        "en": "You own complaint {number}. Answer the customer through the bot and close it "
        "with its result.\n{summary}",
    },
    "complaint.taken_by": {
        "zh": "投诉 {number} 已由 {who} 受理。",
        "en": "Complaint {number} was taken by {who}.",
    },
    "complaint.taken": {
        "zh": "您的投诉 {number} 由客户经理 {who} 负责处理。",
        "en": "Your complaint {number} is handled by customer manager {who}.",
    },
    "complaint.taken_already": {
        "zh": "这条投诉已由其他人受理。",
        "en": "Someone else has already taken this complaint.",
    },
    "complaint.yours_already": {
        "zh": "这条投诉已由您受理。",
        "en": "You have already taken this complaint.",
    },
    "complaint.closed_already": {
        "zh": "这条投诉已办结。",
        "en": "This complaint is already closed.",
    },
    "complaint.not_owner": {
        "zh": "这条投诉由其他人负责，只有受理人可以答复或办结。",
        "en": "Another person owns this complaint; only its owner answers or closes it.",
    },
    "complaint.not_found": {
        "zh": "找不到这条投诉，或它不属于您的项目。",
        "en": "No such complaint in your projects.",
    },
    "complaint.managers_only": {
        "zh": "只有客户经理、项目经理和管理员可以处理投诉。",
        "en": "Only customer managers, project managers and admins handle complaints.",
    },
    "complaint.ask_answer": {
        "zh": "请输入给客户的答复（投诉 {number}）：",
        "en": "Write your answer to the customer (complaint {number}):",
    },
    "complaint.ask_note": {
        "zh": "请输入内部备注（投诉 {number}，客户看不到）：",
        "en": "Write an internal note (complaint {number}; the customer does not see it):",
    },
    "complaint.ask_result": {
        "zh": "请输入处理结果（投诉 {number}），发送后即办结：",
        "en": "Write the result (complaint {number}); sending it closes the complaint:",
    },
    "complaint.answer": {
        "zh": "💬 关于您的投诉 {number}，{who} 答复：\n{text}",
        "en": "💬 About your complaint {number}, {who} answers:\n{text}",
    },
    "complaint.answered": {
        "zh": "答复已发送给客户（投诉 {number}）。",
        "en": "Your answer was sent to the customer (complaint {number}).",
    },
    "complaint.noted": {
        "zh": "备注已记录（投诉 {number}）。",
        "en": "Note recorded (complaint {number}).",
    },
    "complaint.closed": {
        "zh": "✅ 您的投诉 {number} 已办结。处理结果：\n{text}\n\n您对处理结果满意吗？",
        "en": "✅ Your complaint {number} is closed. The result:\n{text}\n\n"
        "Are you satisfied with how it was handled?",
    },
    "complaint.closed_ok": {
        "zh": "投诉 {number} 已办结，已请客户评价。",
        "en": "Complaint {number} is closed; the customer is asked whether they are satisfied.",
    },
    "complaint.thanks": {
        "zh": "感谢您的反馈（投诉 {number}）。",
        "en": "Thank you for your answer (complaint {number}).",
    },
    "complaint.reopened_customer": {
        "zh": "抱歉。投诉 {number} 已重新打开，项目经理已收到通知。",
        "en": "We are sorry. Complaint {number} is reopened and the project manager is told.",
    },
    "complaint.reopened": {
        "zh": "⚠️ 客户对投诉 {number} 的处理不满意，投诉已重新打开。\n{summary}",
        "en": "⚠️ The customer is not satisfied with complaint {number}; it is reopened.\n"
        "{summary}",
    },
    "complaint.clock.respond": {"zh": "首次答复", "en": "first answer"},
    "complaint.clock.resolve": {"zh": "办结", "en": "closing"},
    "complaint.warn": {
        "zh": "⏰ 投诉 {number}：{clock}时限 {due} 将到。\n{summary}",
        "en": "⏰ Complaint {number}: the {clock} is due at {due}.\n{summary}",
    },
    "complaint.breach": {
        "zh": "🚨 投诉 {number}：{clock}已超时（时限 {due}），已上报。\n{summary}",
        "en": "🚨 Complaint {number}: the {clock} deadline ({due}) is missed; escalated.\n"
        "{summary}",
    },
    "complaint.status.new": {"zh": "待受理", "en": "new"},
    "complaint.status.taken": {"zh": "处理中", "en": "in progress"},
    "complaint.status.closed": {"zh": "已办结", "en": "closed"},
    "complaint.list": {
        "zh": "<b>未结投诉（{count}）</b>\n{body}",
        "en": "<b>Open complaints ({count})</b>\n{body}",
    },
    "complaint.list_line": {
        "zh": "{number} · {status} · {received} · {owner} · {content}",
        "en": "{number} · {status} · {received} · {owner} · {content}",
    },
    "complaint.ledger_no_project": {
        "zh": "没有这个项目，或它不是您的项目。",
        "en": "No such project among yours.",
    },
    "ledger.title": {"zh": "投诉处理台账 {month}", "en": "Complaints {month}"},
    "ledger.caption": {
        "zh": "投诉处理台账：{project}，{month}，共 {count} 条。",
        "en": "Complaint ledger: {project}, {month}, {count} complaints.",
    },
    "ledger.yes": {"zh": "满意", "en": "yes"},
    "ledger.no": {"zh": "不满意", "en": "no"},
    "ledger.col.no": {"zh": "序号", "en": "No."},
    "ledger.col.number": {"zh": "投诉编号", "en": "Number"},
    "ledger.col.received": {"zh": "投诉日期", "en": "Received at"},
    "ledger.col.customer": {"zh": "投诉人", "en": "Customer"},
    "ledger.col.unit": {"zh": "单位", "en": "Unit"},
    "ledger.col.phone": {"zh": "联系电话", "en": "Phone"},
    "ledger.col.ticket": {"zh": "相关工单", "en": "Ticket"},
    "ledger.col.content": {"zh": "投诉内容", "en": "Content"},
    "ledger.col.owner": {"zh": "受理人", "en": "Owner"},
    "ledger.col.first_response": {"zh": "首次答复时间", "en": "First response at"},
    "ledger.col.response_time": {"zh": "答复用时", "en": "Response took"},
    "ledger.col.handling": {"zh": "处理过程及答复", "en": "Handling and answers"},
    "ledger.col.result": {"zh": "处理结果", "en": "Result"},
    "ledger.col.satisfied": {"zh": "客户是否满意", "en": "Customer satisfied"},
    "ledger.col.closed": {"zh": "办结时间", "en": "Closed at"},
    "ledger.col.escalations": {"zh": "升级记录", "en": "Escalations"},
    "ledger.event.taken": {"zh": "受理", "en": "taken"},
    "ledger.event.answered": {"zh": "答复", "en": "answered"},
    "ledger.event.note": {"zh": "备注", "en": "note"},
    "ledger.event.closed": {"zh": "办结", "en": "closed"},
    "ledger.event.not_satisfied": {"zh": "客户不满意", "en": "customer not satisfied"},
    "ledger.event.reopened": {"zh": "重新打开", "en": "reopened"},
    # --- records: the service report (售后服务报告) and /doc
    "records.caption": {
        "zh": "📄 工单 #{id} 售后服务报告（第 {version} 版，{kind}）",
        "en": "📄 Service report of ticket #{id} (version {version}, {kind})",
    },
    "records.closed_unconfirmed": {
        "zh": "工单 #{id} 已修复，但在规定时间内未收到您的确认，已关闭（未经客户确认）。"
        "如仍有问题，请重新报修。",
        "en": "Ticket #{id} was resolved and not confirmed in time; it is closed without "
        "your confirmation. If the fault is back, please report it again.",
    },
    "records.closed_unconfirmed_owner": {
        "zh": "工单 #{id} 客户未在规定时间内确认，已关闭（未经客户确认）。",
        "en": "Ticket #{id} was not confirmed by the customer in time; it is closed without "
        "the customer's confirmation.",
    },
    "records.none": {
        "zh": "工单 #{ticket_id} 还没有服务报告（修复后出具）。",
        "en": "Ticket #{ticket_id} has no service report yet (it is issued when resolved).",
    },
    "records.damaged": {
        "zh": "工单 #{ticket_id} 的存档报告与登记的校验值不符，未发送；请联系管理员。",
        "en": "The archived report of ticket #{ticket_id} does not match its recorded "
        "checksum; it was not sent. Please tell an administrator.",
    },
    "cmd.doc": {
        "zh": "工单 N 的服务报告（PDF）",
        "en": "The service report of ticket N (PDF)",
    },
    "ev.closed_unconfirmed": {
        "zh": "客户未在规定时间内确认，工单关闭",
        "en": "not confirmed in time; closed without the customer's confirmation",
    },
    "doc.title": {"zh": "售后服务报告 · 工单 #{id}", "en": "Service report · ticket #{id}"},
    "doc.subtitle": {
        "zh": "{project} · 第 {version} 版（{kind}）· 出具于 {at}",
        "en": "{project} · version {version} ({kind}) · issued {at}",
    },
    "doc.kind.issued": {"zh": "修复时出具", "en": "issued at resolution"},
    "doc.kind.confirmed": {"zh": "客户已确认", "en": "confirmed by the customer"},
    "doc.kind.closed_unconfirmed": {
        "zh": "未经客户确认关闭",
        "en": "closed without the customer's confirmation",
    },
    "doc.customer": {"zh": "客户", "en": "Customer"},
    "doc.unit": {"zh": "客户单位", "en": "Customer unit"},
    "doc.contact": {"zh": "联系人", "en": "Contact person"},
    "doc.phone": {"zh": "联系电话", "en": "Phone"},
    "doc.fault": {"zh": "设备与故障", "en": "Product and fault"},
    "doc.model": {"zh": "产品型号", "en": "Product model"},
    "doc.serial": {"zh": "序列号", "en": "Serial number"},
    "doc.regrades": {"zh": "级别调整", "en": "Re-grades"},
    "doc.milestones": {"zh": "处理进程", "en": "Timeline"},
    "doc.step": {"zh": "环节", "en": "Step"},
    "doc.time": {"zh": "时间", "en": "Time"},
    "doc.step.reported": {"zh": "报修", "en": "Reported"},
    "doc.step.accepted": {"zh": "接单", "en": "Accepted"},
    "doc.step.on_way": {"zh": "出发", "en": "On the way"},
    "doc.step.arrived": {"zh": "到场", "en": "Arrived"},
    "doc.step.resolved": {"zh": "修复", "en": "Resolved"},
    "doc.step.confirmed": {"zh": "客户确认", "en": "Confirmed"},
    "doc.step.closed": {"zh": "关闭", "en": "Closed"},
    "doc.deadlines": {"zh": "服务时限", "en": "Deadlines"},
    "doc.col.clock": {"zh": "时限", "en": "Deadline"},
    "doc.col.target": {"zh": "承诺", "en": "Target"},
    "doc.col.due": {"zh": "截止", "en": "Due"},
    "doc.col.done": {"zh": "实际", "en": "Actual"},
    "doc.col.result": {"zh": "结果", "en": "Result"},
    "doc.col.paused": {"zh": "暂停", "en": "Paused"},
    "doc.met": {"zh": "达标", "en": "met"},
    "doc.missed_by": {"zh": "超时 {by}", "en": "missed by {by}"},
    "doc.open": {"zh": "未结束", "en": "running"},
    "doc.pauses": {"zh": "暂停计时（原因与批准）", "en": "Paused time (causes and approvals)"},
    "doc.record": {"zh": "记录", "en": "Record"},
    "doc.service": {"zh": "处理情况", "en": "Service"},
    "doc.provided": {"zh": "备机/备件/部件", "en": "Spare, loaner or part"},
    "doc.engineers": {"zh": "工程师", "en": "Engineer(s)"},
    "doc.arrival": {"zh": "到场定位", "en": "Location on arrival"},
    "doc.arrival_m": {
        "zh": "工程师到场时共享的位置距现场约 {m} 米",
        "en": "the engineer's shared location was about {m} m from the site",
    },
    "doc.timeline": {"zh": "完整记录", "en": "Full record"},
    "doc.sign.pending": {
        "zh": "客户确认：待确认（客户可在 Telegram 中点击“确认”签认）。",
        "en": "Customer's confirmation: pending (the customer signs off with Confirm in "
        "Telegram).",
    },
    "doc.sign.confirmed": {
        "zh": "客户确认：已由 {who} 于 {at} 在 Telegram 中确认。",
        "en": "Customer's confirmation: confirmed by {who} at {at} in Telegram.",
    },
    "doc.sign.closed_unconfirmed": {
        "zh": "客户确认：未在规定时间内确认，工单已于 {at} 关闭（未经客户确认）。",
        "en": "Customer's confirmation: none in time; the ticket closed at {at} without the "
        "customer's confirmation.",
    },
    "doc.footer": {
        "zh": "本报告由 7×24 热线值班机器人出具。"
        "每个版本均存档并登记 SHA-256 校验值，出具后不再修改。",
        "en": "Issued by the 7×24 hotline bot. Every version is archived with its SHA-256 "
        "and never changed after it is issued.",
    },
    # --- the daily maintenance report (每日设备维护报告)
    "cmd.daily": {
        "zh": "每日维护报告 [YYYY-MM-DD]；/daily add 内容 记录非工单工作",
        "en": "Daily maintenance report [YYYY-MM-DD]; /daily add TEXT for non-ticket work",
    },
    "daily.usage": {
        "zh": "用法：/daily [YYYY-MM-DD] 查看我的每日维护报告；/daily add 内容 记录今天的"
        "非工单维护工作（如巡检、例行保养）；经理：/daily 人员代号 YYYY-MM-DD。",
        "en": "Usage: /daily [YYYY-MM-DD] shows my daily maintenance report; /daily add TEXT "
        "records today's maintenance work that is not a ticket (inspections, routine care); "
        "managers: /daily STAFF_KEY YYYY-MM-DD.",
    },
    "daily.future": {
        "zh": "这一天还没有到，没有报告。",
        "en": "That day has not come yet; there is no report.",
    },
    "daily.managers_only": {
        "zh": "只有项目经理、项目负责人或管理员可以查看他人的每日维护报告。",
        "en": "Only project managers, project leads and admins can read another "
        "engineer's daily report.",
    },
    "daily.no_staff": {
        "zh": "您的项目中没有这位人员（请用 /daily 人员代号 YYYY-MM-DD）。",
        "en": "There is no such staff member in your projects (use /daily STAFF_KEY "
        "YYYY-MM-DD).",
    },
    "daily.nothing_of": {
        "zh": "{name} 在 {day} 没有处理工单，也没有记录维护工作。",
        "en": "{name} touched no ticket and recorded no maintenance work on {day}.",
    },
    "daily.no_project": {
        "zh": "您不属于任何项目，没有每日维护报告。",
        "en": "You belong to no project, so you have no daily report.",
    },
    "daily.title": {
        "zh": "<b>每日设备维护报告</b> · {day}\n维护人员：{name} · {project}",
        "en": "<b>Daily maintenance report</b> · {day}\nEngineer: {name} · {project}",
    },
    "daily.intro.draft": {
        "zh": "今天的维护报告草稿如下。请核对，补充非工单的维护工作，然后点击“签字确认”。",
        "en": "Here is the draft of today's maintenance report. Check it, add any "
        "maintenance work that was not a ticket, then press Sign.",
    },
    "daily.intro.reminder": {
        "zh": "✍️ 提醒：您 {day} 的每日维护报告尚未签字确认。",
        "en": "✍️ Reminder: your daily maintenance report of {day} is not signed yet.",
    },
    "daily.intro.added": {
        "zh": "已记录。更新后的报告：",
        "en": "Recorded. The report now reads:",
    },
    "daily.part": {"zh": "<b>报告</b>", "en": "<b>Report</b>"},
    "daily.addendum": {"zh": "<b>补充报告 {n}</b>", "en": "<b>Addendum {n}</b>"},
    "daily.draft_part": {"zh": "<b>草稿（未签字）</b>", "en": "<b>Draft (not signed)</b>"},
    "daily.draft_addendum": {
        "zh": "<b>补充报告 {n} 草稿（未签字）</b>",
        "en": "<b>Addendum {n}, draft (not signed)</b>",
    },
    "daily.tickets": {"zh": "工单：", "en": "Tickets:"},
    "daily.no_tickets": {"zh": "工单：无", "en": "Tickets: none"},
    "daily.work": {"zh": "非工单维护工作：", "en": "Maintenance work (not tickets):"},
    "daily.line": {
        "zh": "#{id} {site} — {symptom} — 原因：{cause} — {solved} — 用时：{time}",
        "en": "#{id} {site} — {symptom} — cause: {cause} — {solved} — on site: {time}",
    },
    "daily.solved": {"zh": "✅ 已解决", "en": "✅ solved"},
    "daily.unsolved": {"zh": "⏳ 未解决", "en": "⏳ not solved"},
    "daily.remote": {"zh": "远程处理", "en": "remote"},
    "daily.work_line": {"zh": "• {at} {text}", "en": "• {at} {text}"},
    "daily.signed_by": {
        "zh": "✍️ 已由 {who}（Telegram id {id}）于 {at} 签字确认 · SHA-256 {sha}",
        "en": "✍️ Signed by {who} (Telegram id {id}) at {at} · SHA-256 {sha}",
    },
    "daily.empty": {
        "zh": "这一天还没有处理过的工单或记录的维护工作。",
        "en": "No ticket touched and no maintenance work recorded on this day yet.",
    },
    "daily.all_signed": {
        "zh": "全部内容已签字确认。之后新增的内容将作为补充报告另行签字。",
        "en": "Everything is signed. Anything added later becomes an addendum, signed "
        "on its own.",
    },
    "btn.daily_sign": {"zh": "✍️ 签字确认", "en": "✍️ Sign"},
    "btn.daily_add": {"zh": "➕ 添加工作", "en": "➕ Add work"},
    "daily.ask_work": {
        "zh": "请输入 {day} 的非工单维护工作（{project}），例如：“巡检 3 号点位摄像头”。"
        "发送 /cancel 取消。",
        "en": "Describe the maintenance work of {day} that was not a ticket ({project}), "
        "e.g. \"inspected the cameras at point 3\". Send /cancel to stop.",
    },
    "daily.signed": {
        "zh": "已签字确认：{project} {day} 的维护报告{part_text}。SHA-256：<code>{sha256}"
        "</code>。PDF 随后发给您和项目经理。",
        "en": "Signed: your maintenance report of {day} ({project}){part_text}. SHA-256: "
        "<code>{sha256}</code>. The PDF goes to you and the project manager.",
    },
    "daily.signed_toast": {"zh": "已签字确认", "en": "Signed"},
    "daily.stale": {
        "zh": "报告内容已有变化或这不是您的报告，未签字。请在最新的报告消息上签字。",
        "en": "The report changed since this message, or it is not yours: nothing was "
        "signed. Please sign the latest report message.",
    },
    "daily.already_signed": {
        "zh": "这份报告已经签字确认，不能再次签字或修改。",
        "en": "This report is already signed; it cannot be signed again or changed.",
    },
    "daily.unsigned_manager": {
        "zh": "⚠️ {name} {day} 的每日维护报告（{project}）至今未签字确认。",
        "en": "⚠️ {name} has not signed the daily maintenance report of {day} ({project}) yet.",
    },
    "daily.caption": {
        "zh": "每日设备维护报告 · {name} · {day}{part_text}（已签字）",
        "en": "Daily maintenance report · {name} · {day}{part_text} (signed)",
    },
    "daily.part_text": {"zh": " · 补充报告 {n}", "en": " · addendum {n}"},
    "daily.damaged": {
        "zh": "存档的报告文件与登记的校验值不符，未发送。请联系管理员。",
        "en": "The archived report file does not match its recorded hash; it was not sent. "
        "Please tell the administrator.",
    },
    # the daily report as a PDF
    "ddoc.title": {"zh": "每日设备维护报告", "en": "Daily maintenance report"},
    "ddoc.addendum_title": {
        "zh": "每日设备维护报告 · 补充报告 {n}",
        "en": "Daily maintenance report · addendum {n}",
    },
    "ddoc.subtitle": {
        "zh": "{project} · 日期 {day} · 维护人员 {name}",
        "en": "{project} · date {day} · engineer {name}",
    },
    "ddoc.head": {"zh": "基本信息", "en": "Summary"},
    "ddoc.date": {"zh": "日期", "en": "Date"},
    "ddoc.engineer": {"zh": "维护人员", "en": "Engineer"},
    "ddoc.project": {"zh": "项目", "en": "Project"},
    "ddoc.count": {"zh": "处理工单 / 已解决", "en": "Tickets touched / solved"},
    "ddoc.tickets": {"zh": "工单维护记录", "en": "Tickets"},
    "ddoc.col.ticket": {"zh": "工单", "en": "Ticket"},
    "ddoc.col.site": {"zh": "点位", "en": "Site"},
    "ddoc.col.symptom": {"zh": "故障现象", "en": "Symptom"},
    "ddoc.col.cause": {"zh": "故障原因 / 未解决原因", "en": "Cause / blocking reason"},
    "ddoc.col.solved": {"zh": "是否解决", "en": "Solved"},
    "ddoc.col.time": {"zh": "用时（到场至修复）", "en": "Time on site"},
    "ddoc.yes": {"zh": "是", "en": "yes"},
    "ddoc.no": {"zh": "否", "en": "no"},
    "ddoc.work": {"zh": "非工单维护工作", "en": "Maintenance work (not tickets)"},
    "ddoc.col.at": {"zh": "记录时间", "en": "Recorded"},
    "ddoc.col.work": {"zh": "工作内容", "en": "Work"},
    "ddoc.sign": {
        "zh": "维护人员签字：{who}（Telegram id {id}）于 {at} 在 Telegram 中签字确认。\n"
        "内容 SHA-256：{sha}",
        "en": "Engineer's signature: {who} (Telegram id {id}) signed at {at} in Telegram.\n"
        "Content SHA-256: {sha}",
    },
    "ddoc.footer": {
        "zh": "本报告由 7×24 热线值班机器人出具。签字后的内容连同 SHA-256 校验值存档，不再修改；"
        "之后新增的内容以补充报告另行签字。",
        "en": "Issued by the 7×24 hotline bot. Signed content is archived with its SHA-256 "
        "and never changed; anything added later is an addendum, signed on its own.",
    },
    "doc.kind.rated": {"zh": "含满意度评价", "en": "with the customer's rating"},
    "doc.survey": {"zh": "满意度调查", "en": "Satisfaction survey"},
    "doc.survey.stars": {"zh": "评分", "en": "Rating"},
    "doc.survey.score": {"zh": "{stars}（{n} / 5 星）", "en": "{stars} ({n} / 5 stars)"},
    "doc.survey.comment": {"zh": "客户意见", "en": "Customer's comment"},
    "doc.survey.no_comment": {"zh": "（未填写）", "en": "(none given)"},
    "doc.survey.at": {"zh": "评价时间", "en": "Rated at"},
    "complaint.escalated": {
        "zh": "🚨 投诉 {number}：{clock}仍未完成，已超时 {over}（时限 {due}），"
        "第 {step} 次上报。\n{summary}",
        "en": "🚨 Complaint {number}: the {clock} is still not done, {over} past its deadline "
        "({due}); escalated again (escalation {step}).\n{summary}",
    },
    # --- why a ticket is not fixed yet (阻塞原因)
    "cmd.blocked": {
        "zh": "工单未解决的原因 工单号 [原因]",
        "en": "Why a ticket is not fixed yet NUMBER [REASON]",
    },
    "usage.blocked": {
        "zh": "用法：/blocked 工单号 [原因]，原因可写：{reasons}，或“清除”。"
        "不写原因时显示选择按钮。",
        "en": "Usage: /blocked NUMBER [REASON], REASON being one of: {reasons}, or \"clear\". "
        "Without a reason you get the choices as buttons.",
    },
    "btn.blocked": {"zh": "⛔ 未解决原因", "en": "⛔ Blocked: why"},
    "btn.blocked_now": {"zh": "⛔ 受阻：{reason}", "en": "⛔ Blocked: {reason}"},
    "btn.blocked_clear": {"zh": "清除原因", "en": "Clear"},
    "field.blocking_reason": {"zh": "未解决原因", "en": "Blocked by"},
    "blocking.ask": {
        "zh": "工单 #{id} 为什么还没有解决？请选择原因（当前：{current}）：",
        "en": "Why is ticket #{id} not fixed yet? Choose the reason (now: {current}):",
    },
    "blocking.changed": {
        "zh": "工单 #{id} 的未解决原因：{old} → {new}。",
        "en": "Ticket #{id} is blocked by: {old} → {new}.",
    },
    "blocking.changed_by": {
        "zh": "{who} 修改了工单 #{id} 的未解决原因：{old} → {new}。",
        "en": "{who} changed why ticket #{id} is not fixed yet: {old} → {new}.",
    },
    "blocking.unchanged": {
        "zh": "工单 #{id} 的未解决原因已经是：{new}。",
        "en": "Ticket #{id} already has this reason: {new}.",
    },
    "blocking.none": {"zh": "无", "en": "none"},
    "ev.blocked": {"zh": "未解决原因 {old} → {new}", "en": "blocked by {old} → {new}"},
    # --- the auditor's export (审计导出)
    "cmd.export": {
        "zh": "审计导出 [项目] 开始日期 结束日期（XLSX）",
        "en": "Auditor's export [PROJECT] FROM TO (XLSX)",
    },
    "usage.export": {
        "zh": "用法：/export [项目] 开始日期 结束日期，日期格式 YYYY-MM-DD（含首尾两天），"
        "例如 /export 2026-11-01 2026-11-30",
        "en": "Usage: /export [PROJECT] FROM TO, dates as YYYY-MM-DD (both days included), "
        "e.g. /export 2026-11-01 2026-11-30",
    },
    "export.managers_only": {
        "zh": "审计导出仅限项目经理、项目负责人和管理员。",
        "en": "The auditor's export is for project managers, project leads and admins.",
    },
    "export.no_project": {
        "zh": "请指定您负责的项目：{projects}。例如 /export 项目 2026-11-01 2026-11-30",
        "en": "Name one of your projects: {projects}. E.g. /export PROJECT 2026-11-01 "
        "2026-11-30",
    },
    "export.caption": {
        "zh": "审计导出：{project}，{first} 至 {last}，共 {count} 张工单（时间为 {tz}）。",
        "en": "Auditor's export: {project}, {first} to {last}, {count} tickets (times in "
        "{tz}).",
    },
    "export.sheet.tickets": {"zh": "工单", "en": "Tickets"},
    "export.sheet.pauses": {"zh": "暂停", "en": "Pauses"},
    "export.sheet.timeline": {"zh": "完整记录", "en": "Timeline"},
    "export.yes": {"zh": "是", "en": "yes"},
    "export.no": {"zh": "否", "en": "no"},
    "export.met": {"zh": "达标", "en": "met"},
    "export.missed": {"zh": "超时", "en": "missed"},
    "export.running": {"zh": "计时中", "en": "running"},
    "export.not_promised": {"zh": "无承诺", "en": "not promised"},
    "export.regrade": {"zh": "{old} → {new}（{at}）", "en": "{old} → {new} ({at})"},
    "export.channel.chat": {"zh": "聊天报障", "en": "chat"},
    "export.channel.phone": {"zh": "电话报障", "en": "phone"},
    "export.answer.agreed": {"zh": "同意", "en": "agreed"},
    "export.answer.refused": {"zh": "拒绝", "en": "refused"},
    "export.pause_state.proposed": {"zh": "待同意", "en": "proposed"},
    "export.pause_state.active": {"zh": "暂停中", "en": "active"},
    "export.pause_state.rejected": {"zh": "被拒绝", "en": "rejected"},
    "export.pause_state.ended": {"zh": "已结束", "en": "ended"},
    "export.pause_state.withdrawn": {"zh": "已撤回", "en": "withdrawn"},
    "export.col.number": {"zh": "工单号", "en": "Ticket"},
    "export.col.project": {"zh": "项目", "en": "Project"},
    "export.col.level": {"zh": "级别", "en": "Level"},
    "export.col.level_changes": {"zh": "级别调整", "en": "Level changes"},
    "export.col.status": {"zh": "状态", "en": "Status"},
    "export.col.channel": {"zh": "报障渠道", "en": "Channel"},
    "export.col.reported": {"zh": "报障时间", "en": "Reported at"},
    "export.col.accepted": {"zh": "接单时间", "en": "Accepted at"},
    "export.col.on_way": {"zh": "出发时间", "en": "On the way at"},
    "export.col.arrived": {"zh": "到场时间", "en": "Arrived at"},
    "export.col.resolved": {"zh": "修复时间", "en": "Resolved at"},
    "export.col.closed": {"zh": "关闭时间", "en": "Closed at"},
    "export.col.unit": {"zh": "客户单位", "en": "Customer unit"},
    "export.col.contact": {"zh": "联系人", "en": "Contact"},
    "export.col.phone": {"zh": "联系电话", "en": "Phone"},
    "export.col.site": {"zh": "故障地点", "en": "Site"},
    "export.col.coordinates": {"zh": "坐标", "en": "Coordinates"},
    "export.col.model": {"zh": "设备型号", "en": "Model"},
    "export.col.serial": {"zh": "序列号", "en": "Serial number"},
    "export.col.symptom": {"zh": "故障现象", "en": "Symptom"},
    "export.col.cause": {"zh": "故障原因", "en": "Cause"},
    "export.col.resolution": {"zh": "处理结果", "en": "Resolution"},
    "export.col.blocking_reason": {"zh": "未解决原因", "en": "Blocking reason"},
    "export.col.owner": {"zh": "负责工程师", "en": "Owner"},
    "export.col.engineers": {"zh": "参与工程师", "en": "Engineers"},
    "export.col.reopen_count": {"zh": "重开次数", "en": "Reopened (times)"},
    "export.col.closed_unconfirmed": {
        "zh": "未经客户确认关闭",
        "en": "Closed without confirmation",
    },
    "export.col.arrival_distance": {"zh": "到场定位距现场（米）", "en": "Arrival distance (m)"},
    "export.col.survey_stars": {"zh": "满意度（星）", "en": "Survey stars"},
    "export.col.survey_comment": {"zh": "满意度评价", "en": "Survey comment"},
    "export.col.ticket": {"zh": "工单号", "en": "Ticket"},
    "export.col.kind": {"zh": "类型", "en": "Kind"},
    "export.col.reason": {"zh": "原因", "en": "Reason"},
    "export.col.state": {"zh": "状态", "en": "State"},
    "export.col.proposed_by": {"zh": "提出人", "en": "Proposed by"},
    "export.col.proposed_at": {"zh": "提出时间", "en": "Proposed at"},
    "export.col.customer_answer": {"zh": "客户答复", "en": "Customer's answer"},
    "export.col.customer_at": {"zh": "客户答复时间", "en": "Customer answered at"},
    "export.col.approved_by": {"zh": "审批人", "en": "Approved by"},
    "export.col.approved_at": {"zh": "审批时间", "en": "Approved at"},
    "export.col.from": {"zh": "暂停开始", "en": "Paused from"},
    "export.col.to": {"zh": "暂停结束", "en": "Paused until"},
    "export.col.paused_minutes": {"zh": "暂停时长（分钟）", "en": "Paused (minutes)"},
    "export.col.at": {"zh": "时间", "en": "At"},
    "export.col.who": {"zh": "操作人", "en": "Who"},
    "export.col.event": {"zh": "事件", "en": "Event"},
    "export.col.detail": {"zh": "内容", "en": "Detail"},
    "export.col.clock_target": {"zh": "{clock}承诺时限", "en": "{clock}: target"},
    "export.col.clock_due": {"zh": "{clock}截止时间", "en": "{clock}: due"},
    "export.col.clock_actual": {"zh": "{clock}实际完成", "en": "{clock}: actual"},
    "export.col.clock_result": {"zh": "{clock}结果", "en": "{clock}: result"},
    "export.col.clock_missed_by": {
        "zh": "{clock}超时（分钟）",
        "en": "{clock}: missed by (minutes)",
    },
    "export.col.clock_paused": {"zh": "{clock}暂停（分钟）", "en": "{clock}: paused (minutes)"},
    "export.col.in_zone": {"zh": "{label}（{tz}）", "en": "{label} ({tz})"},
    # --- the monthly summary (每月维护报告汇总)
    "cmd.monthly": {
        "zh": "每月维护报告汇总 [项目] [YYYY-MM]",
        "en": "Monthly summary [PROJECT] [YYYY-MM]",
    },
    "usage.monthly": {
        "zh": "用法：/monthly [项目] [YYYY-MM]，例如 /monthly 2026-11（默认上个月）",
        "en": "Usage: /monthly [PROJECT] [YYYY-MM], e.g. /monthly 2026-11 (default: last "
        "month)",
    },
    "monthly.not_allowed": {
        "zh": "每月汇总只发给项目经理、项目负责人和管理员。",
        "en": "The monthly summary is for project managers, project leads and admins.",
    },
    "monthly.no_project": {
        "zh": "请指定您负责的项目：/monthly 项目 [YYYY-MM]。您的项目：{projects}",
        "en": "Please name a project of yours: /monthly PROJECT [YYYY-MM]. Your projects: "
        "{projects}",
    },
    "monthly.headline": {
        "zh": "<b>每月维护报告汇总 · {project} · {month}</b>\n"
        "报修数量：{reported}（{levels}）\n"
        "已维护完毕：{resolved}　故障解决率：{rate}\n"
        "月末未解决：{unresolved}{reasons}\n"
        "时限达标：{clocks}\n"
        "重开工单：{reopened}　未经确认关闭：{unconfirmed}\n"
        "满意度：{stars}（{surveys} 份）\n"
        "投诉：收到 {received}，办结 {closed}，超时 {overdue}\n"
        "图表、XLSX 明细和可打印的 PDF 见下。",
        "en": "<b>Monthly summary · {project} · {month}</b>\n"
        "Faults reported: {reported} ({levels})\n"
        "Resolved: {resolved}   resolution rate: {rate}\n"
        "Unresolved at month end: {unresolved}{reasons}\n"
        "Deadlines met: {clocks}\n"
        "Reopened: {reopened}   closed without confirmation: {unconfirmed}\n"
        "Satisfaction: {stars} ({surveys} surveys)\n"
        "Complaints: {received} received, {closed} closed, {overdue} overdue\n"
        "The chart, the XLSX details and a printable PDF follow.",
    },
    "monthly.headline_auto": {
        "zh": "<b>每月维护报告汇总 · {project} · {month}</b>（每月 1 日自动发送）\n"
        "报修数量：{reported}（{levels}）\n"
        "已维护完毕：{resolved}　故障解决率：{rate}\n"
        "月末未解决：{unresolved}{reasons}\n"
        "时限达标：{clocks}\n"
        "重开工单：{reopened}　未经确认关闭：{unconfirmed}\n"
        "满意度：{stars}（{surveys} 份）\n"
        "投诉：收到 {received}，办结 {closed}，超时 {overdue}\n"
        "图表、XLSX 明细和可打印的 PDF 见下。",
        "en": "<b>Monthly summary · {project} · {month}</b> (sent on the 1st of each month)\n"
        "Faults reported: {reported} ({levels})\n"
        "Resolved: {resolved}   resolution rate: {rate}\n"
        "Unresolved at month end: {unresolved}{reasons}\n"
        "Deadlines met: {clocks}\n"
        "Reopened: {reopened}   closed without confirmation: {unconfirmed}\n"
        "Satisfaction: {stars} ({surveys} surveys)\n"
        "Complaints: {received} received, {closed} closed, {overdue} overdue\n"
        "The chart, the XLSX details and a printable PDF follow.",
    },
    "monthly.chart_caption": {
        "zh": "{project} · {month}：每日报修、月末未解决原因、时限达标",
        "en": "{project} · {month}: faults per day, unresolved by reason, deadlines met",
    },
    "monthly.book_caption": {
        "zh": "{project} · {month} 每月维护报告汇总（XLSX 明细）",
        "en": "{project} · {month} monthly summary (XLSX details)",
    },
    "monthly.pdf_caption": {
        "zh": "{project} · {month} 每月维护报告汇总（可打印 PDF）",
        "en": "{project} · {month} monthly summary (printable PDF)",
    },
    "monthly.channel.chat": {"zh": "在线报修", "en": "chat"},
    "monthly.channel.phone": {"zh": "电话报修", "en": "phone"},
    "monthly.reason.none": {"zh": "未说明原因", "en": "no reason given"},
    "monthly.met": {"zh": "达标", "en": "met"},
    "monthly.missed": {"zh": "超时", "en": "missed"},
    "monthly.running": {"zh": "进行中", "en": "running"},
    "monthly.yes": {"zh": "是", "en": "yes"},
    "monthly.no": {"zh": "否", "en": "no"},
    "monthly.complaint.new": {"zh": "待受理", "en": "new"},
    "monthly.complaint.taken": {"zh": "处理中", "en": "in hand"},
    "monthly.complaint.closed": {"zh": "已办结", "en": "closed"},
    "monthly.sum.project": {"zh": "项目", "en": "Project"},
    "monthly.sum.month": {"zh": "月份", "en": "Month"},
    "monthly.sum.timezone": {
        "zh": "时区（表中时间均为当地时间）",
        "en": "Time zone (all times local)",
    },
    "monthly.sum.reported": {"zh": "报修数量", "en": "Faults reported"},
    "monthly.sum.resolved": {"zh": "本月已维护完毕数量", "en": "Resolved in the month"},
    "monthly.sum.resolved_of_reported": {
        "zh": "本月报修中月末前已解决",
        "en": "Of the month's reports, resolved by month end",
    },
    "monthly.sum.rate": {"zh": "故障解决率", "en": "Resolution rate"},
    "monthly.sum.unresolved": {
        "zh": "月末未解决数量（按原因）",
        "en": "Unresolved at month end (by reason)",
    },
    "monthly.sum.paused_tickets": {"zh": "暂停计时的工单", "en": "Tickets paused"},
    "monthly.sum.paused_time": {"zh": "暂停时长合计", "en": "Time paused in total"},
    "monthly.sum.reopened": {"zh": "重开的工单", "en": "Tickets reopened"},
    "monthly.sum.reopens": {"zh": "重开次数", "en": "Reopenings"},
    "monthly.sum.closed": {"zh": "本月关闭的工单", "en": "Tickets closed in the month"},
    "monthly.sum.closed_unconfirmed": {
        "zh": "其中未经客户确认关闭",
        "en": "of which closed without the customer's confirmation",
    },
    "monthly.sum.survey_count": {"zh": "满意度调查份数", "en": "Surveys answered"},
    "monthly.sum.survey_average": {"zh": "满意度平均分（满分 5）", "en": "Average stars (of 5)"},
    "monthly.sum.complaints_received": {"zh": "收到投诉", "en": "Complaints received"},
    "monthly.sum.complaints_closed": {"zh": "办结投诉", "en": "Complaints closed"},
    "monthly.sum.complaints_overdue": {"zh": "超时投诉", "en": "Complaints overdue"},
    "monthly.sheet.summary": {"zh": "汇总", "en": "Summary"},
    "monthly.sheet.tickets": {"zh": "工单", "en": "Tickets"},
    "monthly.sheet.deadlines": {"zh": "时限", "en": "Deadlines"},
    "monthly.sheet.unresolved": {"zh": "未解决", "en": "Unresolved"},
    "monthly.sheet.complaints": {"zh": "投诉", "en": "Complaints"},
    "monthly.sheet.survey": {"zh": "满意度", "en": "Survey"},
    "monthly.col.item": {"zh": "指标", "en": "Item"},
    "monthly.col.value": {"zh": "数值", "en": "Value"},
    "monthly.col.ticket": {"zh": "工单号", "en": "Ticket"},
    "monthly.col.reported": {"zh": "报修时间", "en": "Reported"},
    "monthly.col.level": {"zh": "故障级别", "en": "Level"},
    "monthly.col.channel": {"zh": "报修方式", "en": "Channel"},
    "monthly.col.status": {"zh": "状态", "en": "Status"},
    "monthly.col.site": {"zh": "点位", "en": "Site"},
    "monthly.col.symptom": {"zh": "故障现象", "en": "Symptom"},
    "monthly.col.owner": {"zh": "负责工程师", "en": "Engineer"},
    "monthly.col.accepted": {"zh": "响应时间", "en": "Accepted"},
    "monthly.col.arrived": {"zh": "到场时间", "en": "Arrived"},
    "monthly.col.resolved": {"zh": "修复时间", "en": "Resolved"},
    "monthly.col.closed": {"zh": "关闭时间", "en": "Closed"},
    "monthly.col.cause": {"zh": "故障原因", "en": "Cause"},
    "monthly.col.blocking": {"zh": "未解决原因", "en": "Blocking reason"},
    "monthly.col.reopens": {"zh": "重开次数", "en": "Reopens"},
    "monthly.col.closed_unconfirmed": {"zh": "未经确认关闭", "en": "Closed unconfirmed"},
    "monthly.col.deadlines": {"zh": "各项时限", "en": "Deadlines"},
    "monthly.col.clock": {"zh": "时限", "en": "Clock"},
    "monthly.col.count": {"zh": "数量", "en": "Count"},
    "monthly.col.met": {"zh": "达标", "en": "Met"},
    "monthly.col.missed": {"zh": "超时", "en": "Missed"},
    "monthly.col.running": {"zh": "进行中", "en": "Running"},
    "monthly.col.met_rate": {"zh": "达标率", "en": "Met %"},
    "monthly.col.median": {"zh": "用时中位数", "en": "Median time"},
    "monthly.col.worst": {"zh": "最长用时", "en": "Worst time"},
    "monthly.col.paused": {"zh": "暂停时长", "en": "Paused"},
    "monthly.col.reason": {"zh": "原因", "en": "Reason"},
    "monthly.col.number": {"zh": "投诉编号", "en": "Complaint"},
    "monthly.col.received": {"zh": "投诉日期", "en": "Received"},
    "monthly.col.content": {"zh": "投诉内容", "en": "Content"},
    "monthly.col.first_response": {"zh": "首次回复时间", "en": "First response"},
    "monthly.col.result": {"zh": "处理结果", "en": "Result"},
    "monthly.col.satisfied": {"zh": "客户是否满意", "en": "Satisfied"},
    "monthly.col.overdue": {"zh": "超时", "en": "Overdue"},
    "monthly.col.answered": {"zh": "评价时间", "en": "Answered"},
    "monthly.col.stars": {"zh": "星级", "en": "Stars"},
    "monthly.col.comment": {"zh": "意见", "en": "Comment"},
    "monthly.chart.title": {
        "zh": "每月维护报告汇总 · {project} · {month}",
        "en": "Monthly summary · {project} · {month}",
    },
    "monthly.chart.per_day": {
        "zh": "每日报修数量（按故障级别，共 {n}）",
        "en": "Faults reported per day, by level ({n} in all)",
    },
    "monthly.chart.unresolved": {
        "zh": "月末未解决（按原因，共 {n}）",
        "en": "Unresolved at month end, by reason ({n})",
    },
    "monthly.chart.deadlines": {"zh": "各项时限达标情况", "en": "Deadlines met, per clock"},
    "monthly.chart.nothing": {"zh": "无", "en": "none"},
    "monthly.pdf.title": {
        "zh": "每月维护报告汇总 {month}",
        "en": "Monthly maintenance summary {month}",
    },
    "monthly.pdf.subtitle": {"zh": "{project} · 出具时间 {at}", "en": "{project} · issued {at}"},
    "monthly.pdf.numbers": {"zh": "汇总", "en": "The numbers"},
    "monthly.pdf.deadlines": {
        "zh": "时限达标（按时限和故障级别）",
        "en": "Deadlines, per clock and level",
    },
    "monthly.pdf.unresolved": {"zh": "月末未解决（按原因）", "en": "Unresolved at month end"},
    "monthly.pdf.footer": {
        "zh": "本汇总由 7×24 热线值班机器人根据工单记录生成；时间均为当地时间。"
        "各项数字的定义见使用说明。",
        "en": "Made by the 7×24 hotline bot from the tickets' records; times are local. "
        "Each number's definition is in the README.",
    },
    # --- document jobs (documents made after the command's transaction)
    "export.preparing": {
        "zh": "正在准备审计导出（{project}，{first} 至 {last}），完成后会发给您。",
        "en": "Preparing your auditor's export ({project}, {first} to {last}); it will come "
        "here when ready.",
    },
    "export.what": {"zh": "审计导出", "en": "auditor's export"},
    "jobs.document": {"zh": "文件", "en": "document"},
    "jobs.failed": {
        "zh": "抱歉，您请求的{what}未能生成。请稍后再试；如仍失败，请联系管理员。",
        "en": "Sorry, your {what} could not be made. Please try again later; if it fails "
        "again, tell an admin.",
    },
    # --- the hotline desk: faults phoned in (/log)
    "cmd.log": {"zh": "登记电话报障或服务请求", "en": "Log a fault or request received by phone"},
    "desk.not_staff": {
        "zh": "抱歉，/log 供值班人员登记电话报障使用。报障请用 /report。",
        "en": "Sorry, /log is for the hotline staff to log calls. To report a fault, use "
        "/report.",
    },
    "desk.no_projects": {
        "zh": "您尚未负责任何项目，无法登记电话报障。",
        "en": "You are not on any project, so there is no call to log.",
    },
    "desk.ask_project": {
        "zh": "📞 登记来电：哪个项目？",
        "en": "📞 Log a call: which project?",
    },
    "desk.ask_caller": {
        "zh": "📞 {project}：来电人是谁？输入姓名、单位或电话的一部分搜索该项目的客户，"
        "或点“新联系人”。",
        "en": "📞 {project}: who is calling? Type part of a name, unit or phone to search this "
        "project's customers, or tap “New contact”.",
    },
    "desk.callers": {
        "zh": "与“{query}”匹配的客户（点选来电人），或点“新联系人”：",
        "en": "Customers matching “{query}” (tap the caller), or tap “New contact”:",
    },
    "desk.no_callers": {
        "zh": "本项目没有与“{query}”匹配的客户。换个词再搜，或点“新联系人”。",
        "en": "No customer of this project matches “{query}”. Try another word, or tap "
        "“New contact”.",
    },
    "desk.ask_name": {"zh": "来电人姓名？", "en": "The caller's name?"},
    "desk.ask_unit": {"zh": "来电人单位？", "en": "The caller's unit (organisation)?"},
    "desk.ask_phone": {"zh": "来电人电话？", "en": "The caller's phone number?"},
    "desk.bad_phone": {
        "zh": "请输入有效的电话号码：6–24 位数字，可带开头的 + 以及空格或 -，例如 010-1234-5678。",
        "en": "Please enter a valid phone number: 6 to 24 digits, an optional leading +, spaces "
        "or dashes, e.g. 010-1234-5678.",
    },
    "desk.ask_when": {
        "zh": "电话是什么时候打进来的？点“现在”，或输入时间（如 14:05）或多久以前（如 -20m）。"
        "最多可往前 2 小时。",
        "en": "When did the call come in? Tap “Now”, or type the time (e.g. 14:05) or how long "
        "ago (e.g. -20m). At most 2 hours back.",
    },
    "desk.bad_time.format": {
        "zh": "没看懂这个时间。请点“现在”，或输入如 14:05 或 -20m。",
        "en": "That time was not understood. Tap “Now”, or type e.g. 14:05 or -20m.",
    },
    "desk.bad_time.future": {
        "zh": "这个时间还没到。来电时间不能晚于现在；请输入已过去的时间（如 -20m）。",
        "en": "That time is in the future. The call cannot be later than now; type a time "
        "that has passed (e.g. -20m).",
    },
    "desk.bad_time.too_early": {
        "zh": "来电时间最多只能往前 2 小时。更早的来电请按现在登记，并在备注里说明。",
        "en": "The call time can be set back by at most 2 hours. Log an older call as now "
        "and say so in a note.",
    },
    "desk.ask_reason": {
        "zh": "为什么晚登记？（会记入工单时间线和服务报告）",
        "en": "Why is it logged late? (This goes into the ticket's timeline and service report.)",
    },
    "desk.logged": {
        "zh": "📞 电话报障已登记为工单 <b>#{id}</b>，时限从来电时算起。\n{facts}",
        "en": "📞 The call is logged as ticket <b>#{id}</b>; its clocks run from the call.\n"
        "{facts}",
    },
    "desk.relay": {
        "zh": "📞 请致电 {name}（电话 {phone}）转告工单 #{id} 的进展：",
        "en": "📞 Call {name} (phone {phone}) about ticket #{id} and tell them:",
    },
    "btn.desk_new": {"zh": "➕ 新联系人", "en": "➕ New contact"},
    "btn.desk_now": {"zh": "现在", "en": "Now"},
    "ev.phoned_in": {
        "zh": "电话报障，来电时间 {call}（补登原因：{reason}）",
        "en": "phoned in; call at {call} (logged late because: {reason})",
    },
    "doc.channel": {"zh": "报障渠道", "en": "Reported by"},
    # --- the monthly summary as a document job
    "monthly.preparing": {
        "zh": "正在准备每月维护报告汇总（{project}，{month}），完成后会发给您。",
        "en": "Preparing the monthly summary ({project}, {month}); it will come here when "
        "ready.",
    },
    "monthly.what": {"zh": "每月维护报告汇总", "en": "monthly summary"},
    # --- the contract's calendar (合同日历): /tasks, recording a result, reminders
    "cmd.tasks": {
        "zh": "合同任务：巡检、电话回访（我的和本项目 90 天内的）",
        "en": "Contract tasks: inspections, phone visits (mine and my projects' next 90 days)",
    },
    "tasks.staff_only": {
        "zh": "合同任务（巡检、电话回访）由服务团队处理，客户无需操作。"
        "如有故障请发送 /report。",
        "en": "Contract tasks (inspections, phone visits) are handled by the service team; "
        "there is nothing for you to do. To report a fault, send /report.",
    },
    "tasks.title": {
        "zh": "📅 <b>合同任务</b>（逾期及 {days} 天内到期）",
        "en": "📅 <b>Contract tasks</b> (overdue and due within {days} days)",
    },
    "tasks.mine": {"zh": "<b>我的任务</b>", "en": "<b>My tasks</b>"},
    "tasks.others": {"zh": "<b>本项目其他任务</b>", "en": "<b>My projects' other tasks</b>"},
    "tasks.none": {"zh": "（无）", "en": "(none)"},
    "tasks.line": {
        "zh": "#{id} {kind} · {project} · 截止 {due} · {assignee}{late}",
        "en": "#{id} {kind} · {project} · due {due} · {assignee}{late}",
    },
    "tasks.late": {"zh": " · ⚠️ 已逾期 {days} 天", "en": " · ⚠️ overdue by {days} days"},
    "tasks.more": {
        "zh": "……另有 {n} 项未列出。",
        "en": "… and {n} more not listed.",
    },
    "tasks.kind.inspection": {"zh": "定期巡检", "en": "Regular inspection"},
    "tasks.kind.final_inspection": {"zh": "期末全面巡检", "en": "Final inspection"},
    "tasks.kind.phone_visit": {"zh": "电话回访", "en": "Phone visit"},
    "tasks.kind.warranty_notice": {"zh": "质保到期提醒", "en": "Warranty-end notice"},
    "btn.task_record": {"zh": "📝 #{id} 记录结果", "en": "📝 #{id} Record result"},
    "btn.task_ok": {"zh": "✅ 正常", "en": "✅ OK"},
    "btn.task_problem": {"zh": "⚠️ 有问题", "en": "⚠️ Problem"},
    "tasks.head": {
        "zh": "📝 #{id} {kind} · {project} · 截止 {due}",
        "en": "📝 #{id} {kind} · {project} · due {due}",
    },
    "tasks.ask.hardware": {
        "zh": "1/4 硬件检查：设备、线缆、供电是否正常？",
        "en": "1/4 Hardware check: are the devices, cables and power all right?",
    },
    "tasks.ask.software": {
        "zh": "2/4 软件检查：系统、版本、日志是否正常？",
        "en": "2/4 Software check: are the systems, versions and logs all right?",
    },
    "tasks.ask.risk": {
        "zh": "3/4 风险分析：是否发现隐患？",
        "en": "3/4 Risk analysis: any risk found?",
    },
    "tasks.ask.note": {
        "zh": "请写下{item}的说明（无需说明请发送 -）：",
        "en": "Write a note on the {item} (send - for none):",
    },
    "tasks.ask.findings": {
        "zh": "4/4 巡检结论与建议（将写入巡检报告）：",
        "en": "4/4 Findings and recommendations (they go into the inspection report):",
    },
    "tasks.ask.called": {
        "zh": "1/3 回访了谁？（姓名、单位、电话）",
        "en": "1/3 Who did you call? (name, unit, phone)",
    },
    "tasks.ask.said": {
        "zh": "2/3 对方反馈了什么？",
        "en": "2/3 What did they say?",
    },
    "tasks.ask.satisfaction": {
        "zh": "3/3 对方的满意度（1–5 分）：",
        "en": "3/3 Their satisfaction (1 to 5):",
    },
    "tasks.check.hardware": {"zh": "硬件检查", "en": "hardware check"},
    "tasks.check.software": {"zh": "软件检查", "en": "software check"},
    "tasks.check.risk": {"zh": "风险分析", "en": "risk analysis"},
    "tasks.stale": {
        "zh": "这项任务已完成、已取消或不属于您的项目。发送 /tasks 查看最新任务。",
        "en": "This task is done, cancelled or not of your projects. Send /tasks for the "
        "current list.",
    },
    "tasks.gone": {
        "zh": "这项任务已完成或已取消，本次填写未保存。",
        "en": "This task is done or cancelled; what you entered was not saved.",
    },
    "tasks.use_buttons": {
        "zh": "请用下面的按钮回答。",
        "en": "Please answer with the buttons below.",
    },
    "tasks.recorded": {
        "zh": "✅ #{task_id} {kind}（{project}，截止 {due}）已记录。\n"
        "SHA-256：<code>{sha256}</code>",
        "en": "✅ #{task_id} {kind} ({project}, due {due}) is recorded.\nSHA-256: "
        "<code>{sha256}</code>",
    },
    "tasks.caption": {
        "zh": "📄 巡检报告 #{task_id} · {project} · {due}",
        "en": "📄 Inspection report #{task_id} · {project} · {due}",
    },
    "tasks.damaged": {
        "zh": "巡检报告的存档文件已损坏或丢失，请联系管理员。",
        "en": "The inspection report's archived file is damaged or missing; please tell the "
        "administrator.",
    },
    "tasks.remind_week": {
        "zh": "📅 提醒：#{task_id} {kind}（{project}）将于 {due} 到期，负责人 {assignee}。"
        "完成后请在 /tasks 中记录结果。",
        "en": "📅 Reminder: #{task_id} {kind} ({project}) is due on {due}; assigned to "
        "{assignee}. Record its result in /tasks when done.",
    },
    "tasks.remind_due": {
        "zh": "📅 今天到期：#{task_id} {kind}（{project}），负责人 {assignee}。"
        "完成后请在 /tasks 中记录结果。",
        "en": "📅 Due today: #{task_id} {kind} ({project}), assigned to {assignee}. "
        "Record its result in /tasks when done.",
    },
    "tasks.overdue": {
        "zh": "⚠️ 已逾期 {days} 天：#{task_id} {kind}（{project}，截止 {due}），负责人 "
        "{assignee}。每天提醒一次，直到记录结果（/tasks）。",
        "en": "⚠️ Overdue by {days} days: #{task_id} {kind} ({project}, due {due}), "
        "assigned to {assignee}. Told once a day until its result is recorded (/tasks).",
    },
    "tasks.warranty": {
        "zh": "🛡 {project} 的合同质保期将于 {until} 结束（还有 {days} 天），"
        "之后按合同条款有偿服务。",
        "en": "🛡 The warranty of {project}'s contract ends on {until} ({days} days from "
        "now); service is paid on the contract's terms after that.",
    },
    "idoc.title": {"zh": "巡检报告", "en": "Inspection report"},
    "idoc.subtitle": {
        "zh": "{project} · {kind} · 截止 {due}",
        "en": "{project} · {kind} · due {due}",
    },
    "idoc.head": {"zh": "基本信息", "en": "Summary"},
    "idoc.project": {"zh": "项目", "en": "Project"},
    "idoc.kind": {"zh": "任务", "en": "Task"},
    "idoc.due": {"zh": "截止日期", "en": "Due date"},
    "idoc.engineer": {"zh": "巡检工程师", "en": "Engineer"},
    "idoc.recorded_at": {"zh": "记录时间", "en": "Recorded at"},
    "idoc.checklist": {"zh": "检查项目", "en": "Checklist"},
    "idoc.col.item": {"zh": "项目", "en": "Item"},
    "idoc.col.result": {"zh": "结果", "en": "Result"},
    "idoc.col.note": {"zh": "说明", "en": "Note"},
    "idoc.ok": {"zh": "正常", "en": "OK"},
    "idoc.problem": {"zh": "有问题", "en": "Problem"},
    "idoc.findings": {"zh": "巡检结论与建议", "en": "Findings and recommendations"},
    "idoc.findings_by": {"zh": "{name} 的意见", "en": "As {name} found"},
    "idoc.sign": {
        "zh": "记录人：{who}（Telegram ID {id}），{at}\n记录内容 SHA-256：{sha}",
        "en": "Recorded by {who} (Telegram ID {id}) at {at}\nSHA-256 of the record: {sha}",
    },
    "idoc.footer": {
        "zh": "本报告由热线机器人根据工程师记录生成；记录一经保存不再修改。",
        "en": "Made by the hotline bot from the engineer's record; a record once kept is "
        "never changed.",
    },
    "monthly.sum.inspections": {
        "zh": "巡检（已完成 / 本月到期）",
        "en": "Inspections (done / due in the month)",
    },
    "monthly.sum.visits": {
        "zh": "电话回访（已完成 / 本月到期）",
        "en": "Phone visits (done / due in the month)",
    },
    "tasks.expired": {
        "zh": "您未完成的任务结果记录已超过 24 小时未操作，已作废。请在 /tasks 中重新记录。",
        "en": "Your unfinished task result was untouched for 24 hours and has expired. "
        "Record it again from /tasks.",
    },
    "tasks.done_title": {
        "zh": "<b>最近 {days} 天已完成</b>",
        "en": "<b>Done in the last {days} days</b>",
    },
    "tasks.done_line": {
        "zh": "✅ #{id} {kind} · {project} · 截止 {due} · {by} 记录于 {at}{stars} · "
        "SHA-256 {sha}…",
        "en": "✅ #{id} {kind} · {project} · due {due} · recorded by {by} at {at}{stars} · "
        "SHA-256 {sha}…",
    },
    "tasks.stars": {"zh": " · 满意度 {n}/5", "en": " · satisfaction {n}/5"},
    # --- major events and sensitive periods (重大活动 / 敏感时期)
    "cmd.event": {"zh": "添加或结束重大活动", "en": "Add or end a major event"},
    "cmd.events": {"zh": "重大活动与敏感时期", "en": "Major events and sensitive periods"},
    "cmd.standby": {"zh": "指定现场保障工程师", "en": "Name an on-site standby engineer"},
    "usage.event": {
        "zh": "用法：/event add 开始日期 结束日期 [项目] 名称（日期写作 YYYY-MM-DD，含首尾两天），"
        "或 /event end 编号。\n例如：/event add 2026-12-24 2026-12-26 圣诞保障",
        "en": "Usage: /event add FROM TO [PROJECT] NAME (dates as YYYY-MM-DD, both days "
        "included), or /event end ID.\nFor example: /event add 2026-12-24 2026-12-26 "
        "Christmas cover",
    },
    "usage.standby": {
        "zh": "用法：/standby 活动编号 [工程师]，例如 /standby 3 eng1；不写工程师时列出可选人员。"
        "发送 /events 查看编号。",
        "en": "Usage: /standby ID [STAFF], e.g. /standby 3 eng1; without STAFF you get the "
        "engineers to choose from. Send /events for the IDs.",
    },
    "events.refuse_customer": {
        "zh": "重大活动由我们的项目经理安排。如活动期间需要保障，请联系您的客户经理。",
        "en": "Major events are arranged by our project managers. If you need support during "
        "an event, please contact your customer manager.",
    },
    "events.refuse_role": {
        "zh": "只有项目经理、项目负责人或管理员可以管理重大活动。",
        "en": "Only project managers, project leads and admins can manage major events.",
    },
    "events.refuse_list": {
        "zh": "只有经理可以查看重大活动列表。",
        "en": "Only managers can list the major events.",
    },
    "events.bad_date": {
        "zh": "无法识别日期“{said}”。请写作 YYYY-MM-DD，例如 2026-12-24。",
        "en": "“{said}” is not a date I can read. Write it as YYYY-MM-DD, e.g. 2026-12-24.",
    },
    "events.end_before_start": {
        "zh": "结束日期 {said} 早于开始日期。请先写开始日期、再写结束日期，"
        "例如 /event add 2026-12-20 2026-12-24 名称。",
        "en": "The end date {said} is before the start date. Write the start date first, "
        "then the end date, e.g. /event add 2026-12-20 2026-12-24 NAME.",
    },
    "events.end_in_past": {
        "zh": "结束日期 {said} 已经过去。重大活动只能安排在今天或以后。",
        "en": "The end date {said} is in the past. A major event must end today or later.",
    },
    "events.not_your_project": {
        "zh": "“{ref}”不是您负责的项目（或属于多个项目，只有管理员可以修改）。",
        "en": "“{ref}” is not one of your projects (or spans several: only an admin can "
        "change it).",
    },
    "events.not_found": {
        "zh": "您负责的项目中没有编号为 {ref} 的重大活动。发送 /events 查看。",
        "en": "There is no major event {ref} in your projects. Send /events to see them.",
    },
    "events.config_fixed": {
        "zh": "{ref} 是配置文件中的时期，不能在聊天中结束或修改，请联系运维人员修改配置。"
        "如需指定现场保障，请用 /event add 在聊天中添加该时期。",
        "en": "{ref} is a period from the config file: it cannot be ended or changed from "
        "chat; ask the operator to edit the config. To name standby engineers, add the period "
        "from chat with /event add.",
    },
    "events.already_over": {
        "zh": "重大活动 #{ref}「{name}」已经结束。",
        "en": "Major event #{ref} “{name}” is already over.",
    },
    "events.added": {
        "zh": "✅ 已添加重大活动 <b>#{ref}</b>「{name}」\n"
        "{start} 至 {end}（含首尾两天）· {project}\n"
        "期间新故障同时推送两名工程师，接单时限减半。发送 /standby {ref} 指定现场保障工程师。",
        "en": "✅ Major event <b>#{ref}</b> “{name}” added\n{start} to {end} (both days "
        "included) · {project}\nDuring it, new faults page two engineers at once with half "
        "the time to accept. Send /standby {ref} to name on-site standby engineers.",
    },
    "events.ended": {
        "zh": "已结束重大活动 #{ref}「{name}」（{project}），从现在起恢复正常值班。",
        "en": "Major event #{ref} “{name}” ({project}) has ended; normal paging from now on.",
    },
    "events.pick_project": {
        "zh": "重大活动「{name}」（{start} 至 {end}）属于哪个项目？",
        "en": "Which project is the major event “{name}” ({start} to {end}) for?",
    },
    "events.pick_standby": {
        "zh": "请选择重大活动 #{ref}「{name}」（{project}）的现场保障工程师：",
        "en": "Choose the on-site standby engineer for major event #{ref} “{name}” "
        "({project}):",
    },
    "events.no_engineers": {
        "zh": "{project} 没有可指定的工程师。",
        "en": "{project} has no engineers to name.",
    },
    "events.unknown_staff": {
        "zh": "“{said}”不是这个活动项目的工程师。可选：{choices}",
        "en": "“{said}” is not an engineer of this event's project. Choose from: {choices}",
    },
    "events.standby_already": {
        "zh": "{staff} 已是重大活动 #{ref}「{name}」的现场保障工程师。",
        "en": "{staff} already stands by for major event #{ref} “{name}”.",
    },
    "events.standby_named": {
        "zh": "已指定 {staff} 为重大活动 #{ref}「{name}」的现场保障工程师：期间 {project} "
        "的新故障先推送给 {staff}，项目的客户会收到通知。",
        "en": "{staff} now stands by on site for major event #{ref} “{name}”: during it, new "
        "faults of {project} page {staff} first, and the project's customers are told.",
    },
    "events.standby_you": {
        "zh": "📣 您被指定为重大活动「{name}」（{start} 至 {end}，{project}）的现场保障工程师："
        "期间该项目的新故障会先推送给您。",
        "en": "📣 You stand by on site for the major event “{name}” ({start} to {end}, "
        "{project}): during it, the project's new faults are paged to you first.",
    },
    "events.standby_customer": {
        "zh": "📣 重大活动「{name}」期间（{start} 至 {end}），我们的现场保障工程师是 {staff}，"
        "电话 {phone}。如有故障，请照常发送 /report 报障。",
        "en": "📣 During the major event “{name}” ({start} to {end}), our on-site standby "
        "engineer is {staff}, phone {phone}. To report a fault, send /report as usual.",
    },
    "events.every_project": {"zh": "所有项目", "en": "every project"},
    "events.no_phone": {"zh": "未登记", "en": "not on file"},
    "events.list": {
        "zh": "📅 重大活动与敏感时期（今天 {today}）\n\n{lines}",
        "en": "📅 Major events and sensitive periods (today {today})\n\n{lines}",
    },
    "events.none": {
        "zh": "目前没有进行中或即将开始的重大活动。发送 /event add 添加。",
        "en": "No current or upcoming major events. Send /event add to add one.",
    },
    "events.recent": {"zh": "—— 最近结束 ——", "en": "— Recently over —"},
    "events.line": {
        "zh": "<b>#{ref}</b> {name}\n{start} 至 {end} · {project} · {state}",
        "en": "<b>#{ref}</b> {name}\n{start} to {end} · {project} · {state}",
    },
    "events.state_now": {"zh": "进行中", "en": "now"},
    "events.state_upcoming": {"zh": "即将开始", "en": "upcoming"},
    "events.state_over": {"zh": "已结束", "en": "over"},
    "events.line_config": {
        "zh": "来自配置文件（不能在聊天中结束）",
        "en": "from the config file (cannot be ended from chat)",
    },
    "events.line_added": {"zh": "添加：{who}，{at}", "en": "added by {who}, {at}"},
    "events.line_standby": {
        "zh": "现场保障：{staff}（{phone}），由 {who} 指定，{at}",
        "en": "standby: {staff} ({phone}), named by {who}, {at}",
    },
    "events.line_ended": {"zh": "结束：{who}，{at}", "en": "ended by {who}, {at}"},
    "ev.heightened": {
        "zh": "重大活动期间（{name}）：加强值班",
        "en": "paged during a major event ({name}): heightened paging",
    },
    # --- warranty (free/paid) and a paid ticket's charges
    "billing.free": {"zh": "质保期内（免费）", "en": "In warranty (free)"},
    "billing.paid": {"zh": "质保期外（有偿）", "en": "After warranty (paid)"},
    "billing.card": {"zh": "服务性质：{billing}", "en": "Service: {billing}"},
    "billing.card_renewal": {
        "zh": "服务性质：{billing} · 质保期已过（续保 {rate}/年）",
        "en": "Service: {billing} · warranty over (renewal {rate} a year)",
    },
    "billing.card_renewal_value": {
        "zh": "服务性质：{billing} · 质保期已过（续保 {rate}/年，约 ¥{amount}/年）",
        "en": "Service: {billing} · warranty over (renewal {rate} a year, about ¥{amount})",
    },
    "work.ask_parts": {
        "zh": "工单 #{ticket_id} 已过质保期（有偿服务）。请填写收费的配件，每行一项："
        "名称和金额（元，最多两位小数），例如：\n电源模块 350\n风扇 120.50\n"
        "没有收费配件请点「跳过」。",
        "en": "Ticket #{ticket_id} is after the warranty (paid service). Send the parts "
        "charged, one a line: the part, then its amount in yuan (at most 2 decimals), e.g.\n"
        "Power module 350\nFan 120.50\nNo parts charged: tap Skip.",
    },
    "work.ask_labour": {
        "zh": "工单 #{ticket_id}：人工费多少元？例如 200 或 150.50。不收人工费请点「跳过」。",
        "en": "Ticket #{ticket_id}: the labour charge in yuan? E.g. 200 or 150.50. "
        "No labour charged: tap Skip.",
    },
    "btn.skip_charge": {"zh": "跳过", "en": "Skip"},
    "charge.bad_line": {
        "zh": "第 {line} 行「{value}」：{problem}",
        "en": "Line {line} \u201c{value}\u201d: {problem}",
    },
    "charge.bad_value": {"zh": "「{value}」：{problem}", "en": "\u201c{value}\u201d: {problem}"},
    "charge.bad.empty": {"zh": "没有填写金额。", "en": "no amount given."},
    "charge.bad.not_number": {
        "zh": "金额不是数字，请写成 350 或 350.50。",
        "en": "the amount is not a number; write e.g. 350 or 350.50.",
    },
    "charge.bad.no_amount": {
        "zh": "最后没有金额，请写成“名称 金额”，例如：电源模块 350。",
        "en": "no amount at the end; write \u201cpart amount\u201d, e.g. Power module 350.",
    },
    "charge.bad.no_text": {
        "zh": "只有金额，请在金额前写上配件名称，例如：电源模块 350。",
        "en": "only an amount; name the part before it, e.g. Power module 350.",
    },
    "charge.bad.negative": {
        "zh": "金额不能为负数。",
        "en": "an amount cannot be negative.",
    },
    "charge.bad.decimals": {
        "zh": "金额最多两位小数（分），例如 350.50。",
        "en": "at most 2 decimals (fen), e.g. 350.50.",
    },
    "charge.bad.too_large": {
        "zh": "金额过大（最多 10,000,000 元），请检查。",
        "en": "too large (at most 10,000,000 yuan); please check it.",
    },
    "charge.bad.too_many": {
        "zh": "配件太多（最多 20 行）。",
        "en": "too many parts (at most 20 lines).",
    },
    "charge.bad.text_too_long": {
        "zh": "配件名称太长（最多 200 字）。",
        "en": "the part's name is too long (at most 200 characters).",
    },
    "work.charge_bad": {
        "zh": "{problem}\n请重新发送，或点上面的「跳过」。",
        "en": "{problem}\nPlease send it again, or tap Skip above.",
    },
    "work.charges_saved": {
        "zh": "💴 工单 #{ticket_id} 已记录收费：\n{lines}\n合计 ¥{total}",
        "en": "💴 Ticket #{ticket_id}: charges recorded:\n{lines}\nTotal ¥{total}",
    },
    "charge.part_line": {"zh": "配件：{text}  ¥{amount}", "en": "Part: {text}  ¥{amount}"},
    "charge.labour_line": {"zh": "人工费  ¥{amount}", "en": "Labour  ¥{amount}"},
    "ev.charges": {"zh": "记录收费，合计 ¥{total}", "en": "charges recorded, total ¥{total}"},
    "doc.billing": {"zh": "服务性质", "en": "Service"},
    "doc.charges": {"zh": "收费明细", "en": "Charges"},
    "doc.charge.item": {"zh": "项目", "en": "Item"},
    "doc.charge.amount": {"zh": "金额（元）", "en": "Amount (yuan)"},
    "doc.charge.part": {"zh": "配件：{text}", "en": "Part: {text}"},
    "doc.charge.labour": {"zh": "人工费", "en": "Labour"},
    "doc.charge.total": {"zh": "合计", "en": "Total"},
    "doc.charge.none": {"zh": "未记录收费", "en": "No charges recorded"},
    "doc.charge.recorded": {
        "zh": "{who} 记录于 {at}",
        "en": "Recorded by {who} at {at}",
    },
    "export.col.billing": {"zh": "服务性质", "en": "Service (warranty)"},
    "export.col.charges": {"zh": "收费明细", "en": "Charges"},
    "export.col.charges_total": {"zh": "收费合计（元）", "en": "Charges total (yuan)"},
    "monthly.col.billing": {"zh": "服务性质", "en": "Warranty"},
    "cmd.charges": {
        "zh": "更正有偿工单的收费 工单号",
        "en": "Correct a paid ticket's charges NUMBER",
    },
    "charge.not_now": {
        "zh": "工单 #{ticket_id} 不能记录收费：只有已修复的质保期外（有偿）工单可以更正收费。",
        "en": "Ticket #{ticket_id} takes no charges: only a resolved ticket after the warranty "
        "(paid) can have its charges corrected.",
    },
    "charge.nothing": {"zh": "不收费", "en": "Nothing charged"},
    # --- the hotline's number and customer manager, in the welcome, /help and every receipt
    "contact.hotline": {"zh": "热线 {phone}", "en": "Hotline {phone}"},
    "contact.manager": {"zh": "客户经理 {who}", "en": "Customer manager {who}"},
    # --- service requests that are not faults (/request; /log's first step)
    "cmd.request": {
        "zh": "服务请求（咨询、升级支持、培训、活动保障）",
        "en": "Request a service (consultation, upgrade support, training, event)",
    },
    "request.staff": {
        "zh": "值班人员请用 /log 登记客户的服务请求。",
        "en": "Staff log a customer's service request with /log.",
    },
    "request.kind.consultation": {"zh": "技术咨询", "en": "Technical consultation"},
    "request.kind.upgrade": {"zh": "升级/变更现场支持", "en": "On-site upgrade/change support"},
    "request.kind.training": {"zh": "培训", "en": "Training"},
    "request.kind.event": {"zh": "活动保障", "en": "Event support"},
    "request.kind.fault": {"zh": "故障报修", "en": "Fault"},
    "request.ask_request_kind": {
        "zh": "需要哪种服务？（故障请用 /report）",
        "en": "Which service do you need? (For a fault, use /report.)",
    },
    "request.kind": {
        "zh": "服务类型：<b>{kind}</b>\n我们将在 <b>{respond}</b>内响应，<b>{resolve}</b>内完成。",
        "en": "Service: <b>{kind}</b>\nWe will respond within <b>{respond}</b> and complete "
        "it within <b>{resolve}</b>.",
    },
    "request.ask_site": {
        "zh": "在哪里（地点或单位）？请写出地点，或发送位置。",
        "en": "Where (site or office)? Type the place, or send a location.",
    },
    "request.ask_symptom": {
        "zh": "需要什么？请简要说明（最多 2000 字）：",
        "en": "What is needed? Please describe it briefly (at most 2000 characters):",
    },
    "request.ask_preferred": {
        "zh": "希望什么时间？（如 “12月3日上午”，可跳过）",
        "en": "When would you like it? (e.g. \"3 Dec, morning\"; you may skip)",
    },
    "request.ask_confirm": {
        "zh": "请确认服务请求：\n\n{summary}",
        "en": "Please confirm the request:\n\n{summary}",
    },
    "field.kind": {"zh": "服务类型", "en": "Service"},
    "field.preferred": {"zh": "希望时间", "en": "Preferred time"},
    "field.resolve_by": {"zh": "完成时限", "en": "Complete by"},
    "sla.clock.resolve": {"zh": "服务完成", "en": "completion of the request"},
    "ev.requested": {"zh": "服务请求（{kind}）", "en": "requested ({kind})"},
    "ticket.page_request": {
        "zh": "📋 <b>新服务请求 #{id}</b>（{project}）\n{body}",
        "en": "📋 <b>New service request #{id}</b> ({project})\n{body}",
    },
    "refuse.request_no_level": {
        "zh": "#{ticket_id} 是服务请求，没有故障级别可调整。",
        "en": "#{ticket_id} is a service request: it has no fault level to change.",
    },
    "desk.ask_kind": {
        "zh": "登记什么？故障，或一种服务请求：",
        "en": "What are you logging? A fault, or a kind of service request:",
    },
    "monthly.sum.requests": {
        "zh": "服务请求（不计入故障）", "en": "Service requests (not faults)",
    },
    "monthly.sum.request_line": {
        "zh": "{reported} 个，已完成 {resolved}；响应达标 {respond_met}/超时 {respond_missed}；"
        "完成达标 {resolve_met}/超时 {resolve_missed}",
        "en": "{reported}, {resolved} completed; response met {respond_met} / missed "
        "{respond_missed}; completion met {resolve_met} / missed {resolve_missed}",
    },
    "export.col.ticket_kind": {"zh": "类型（故障/服务请求）", "en": "Kind (fault / request)"},
    "field.need": {"zh": "需求", "en": "What is needed"},
    "desk.logged_request": {
        "zh": "📞 电话服务请求已登记为工单 <b>#{id}</b>，时限从来电时算起。\n{facts}",
        "en": "📞 The call is logged as service request <b>#{id}</b>; its clocks run from the "
        "call.\n{facts}",
    },
    "guard.slow_down": {
        "zh": "⏳ 消息太多太快，请稍等片刻再发送。刚才多余的消息已忽略。",
        "en": "⏳ Too many messages too fast: please wait a moment before sending more. The "
        "extra ones were ignored.",
    },
    "guard.foreign_group": {
        "zh": "本机器人只服务于已配置的项目群组，现在退出此群。",
        "en": "This bot serves only its configured project groups; it is leaving this group.",
    },
    # --- operations: /health (admins), a failed daily backup
    "help.admin": {"zh": "<b>管理员命令</b>", "en": "<b>Admin commands</b>"},
    "cmd.health": {"zh": "机器人运行状态", "en": "the bot's health"},
    "refuse.admins_only": {
        "zh": "此操作仅限管理员。", "en": "Only the bot's admins can do this.",
    },
    "health.report": {
        "zh": "🩺 <b>机器人状态</b>：{verdict}\n{lines}",
        "en": "🩺 <b>Bot health</b>: {verdict}\n{lines}",
    },
    "health.ok": {"zh": "正常 ✅", "en": "healthy ✅"},
    "health.bad": {"zh": "异常 ❌（{reasons}）", "en": "unhealthy ❌ ({reasons})"},
    "health.reason.database": {"zh": "数据库无法写入", "en": "the database takes no write"},
    "health.reason.updates": {
        "zh": "长时间未收到 Telegram 的应答", "en": "no answer from Telegram for too long",
    },
    "health.reason.outbox": {
        "zh": "待发消息积压过久，发送停滞", "en": "messages wait too long: the sender is stuck",
    },
    "health.database_ok": {"zh": "数据库：可写", "en": "Database: takes writes"},
    "health.database_bad": {"zh": "数据库：{error}", "en": "Database: {error}"},
    "health.updates": {
        "zh": "Telegram：{age}前应答；启动以来处理更新 {count} 条",
        "en": "Telegram: answered {age} ago; {count} updates handled since start",
    },
    "health.updates_pushed": {
        "zh": "Telegram：推送模式；启动以来处理更新 {count} 条",
        "en": "Telegram: updates pushed (webhook); {count} handled since start",
    },
    "health.outbox": {
        "zh": "待发消息：{backlog} 条，最早的已等待 {age}",
        "en": "Outbox: {backlog} due, the oldest waiting {age}",
    },
    "health.outbox_empty": {"zh": "待发消息：无积压", "en": "Outbox: nothing waiting"},
    "health.timers": {
        "zh": "定时任务：最早的一个已迟到 {age}", "en": "Timers: the oldest due is {age} late",
    },
    "health.timers_none": {"zh": "定时任务：无迟到", "en": "Timers: none late"},
    "health.tickets": {"zh": "未结工单：{levels}", "en": "Open tickets: {levels}"},
    "health.tickets_none": {"zh": "未结工单：无", "en": "Open tickets: none"},
    "health.breaches": {
        "zh": "已超时的时限（未结工单）：{clocks}",
        "en": "Breached clocks (open tickets): {clocks}",
    },
    "health.breaches_none": {
        "zh": "已超时的时限（未结工单）：无", "en": "Breached clocks (open tickets): none",
    },
    "health.unreachable": {
        "zh": "无法联系的值班人员：{count} 人", "en": "Staff who cannot be reached: {count}",
    },
    "health.backup": {"zh": "最近备份：{age}前", "en": "Last backup: {age} ago"},
    "health.backup_none": {"zh": "最近备份：尚无", "en": "Last backup: none yet"},
    "health.backup_error": {
        "zh": "⚠️ 上次备份失败：{error}", "en": "⚠️ The last backup failed: {error}",
    },
    "backup.failed": {
        "zh": "⚠️ <b>每日备份失败</b>：{error}\n备份目录：{folder}\n请检查磁盘空间和目录权限；"
        "也可以手动运行 <code>python run_bot.py backup --config …</code>。",
        "en": "⚠️ <b>The daily backup failed</b>: {error}\nBackup folder: {folder}\nPlease "
        "check the disk space and the folder's permissions; a backup can also be taken by "
        "hand with <code>python run_bot.py backup --config …</code>.",
    },
    # --- the equipment register, its labels and the history per device
    "equipment.imported": {
        "zh": "✅ 设备台账《{file}》已导入：新增 {added} 台，更新 {updated} 台，"
        "未变 {unchanged} 台。",
        "en": "✅ Equipment register “{file}” imported: {added} added, {updated} updated, "
        "{unchanged} unchanged.",
    },
    "equipment.import_rejected": {
        "zh": "❌ 设备台账《{file}》未导入（没有任何改动）：{count} 行有问题，请修改后重新发送。",
        "en": "❌ Equipment register “{file}” not imported (nothing changed): {count} rows "
        "have problems; fix them and send the file again.",
    },
    "equipment.row": {
        "zh": "第 {line} 行：{reason} {detail}", "en": "Row {line}: {reason} {detail}",
    },
    "equipment.more": {"zh": "……还有 {count} 行", "en": "… and {count} more rows"},
    "equipment.file_rejected": {
        "zh": "❌ 文件《{file}》未导入（没有任何改动）：{reason}",
        "en": "❌ File “{file}” not imported (nothing changed): {reason}",
    },
    "equipment.bad.no_project": {"zh": "缺少项目", "en": "no project"},
    "equipment.bad.unknown_project": {"zh": "没有这个项目", "en": "no such project"},
    "equipment.bad.not_your_project": {
        "zh": "不是您负责的项目", "en": "not a project you manage",
    },
    "equipment.bad.no_code": {"zh": "缺少编号", "en": "no code"},
    "equipment.bad.bad_code": {
        "zh": "编号只能用字母、数字、. _ -（最多 32 个）",
        "en": "a code is letters, digits, . _ - (at most 32)",
    },
    "equipment.bad.duplicate": {"zh": "编号在文件中重复", "en": "code repeated in the file"},
    "equipment.bad.other_project": {
        "zh": "编号已属于另一个项目", "en": "code belongs to another project",
    },
    "equipment.bad.no_name": {"zh": "缺少名称", "en": "no name"},
    "equipment.bad.too_long": {"zh": "内容过长", "en": "text too long"},
    "equipment.bad.formula": {
        "zh": "单元格是公式（请粘贴为数值）", "en": "a formula cell (paste it as values)",
    },
    "equipment.bad.bad_date": {
        "zh": "日期无效（应为 2026-01-31）", "en": "not a date (write 2026-01-31)",
    },
    "equipment.bad.bad_coordinate": {
        "zh": "坐标无效（纬度和经度要么都填、要么都不填）",
        "en": "bad coordinates (latitude and longitude both, or neither)",
    },
    "equipment.file.not_spreadsheet": {
        "zh": "不是 XLSX 或 CSV 表格（{detail}）。旧的 .xls 请另存为 .xlsx。",
        "en": "not an XLSX or CSV spreadsheet ({detail}). Save an old .xls as .xlsx.",
    },
    "equipment.file.empty": {"zh": "表格是空的。{detail}", "en": "the sheet is empty.{detail}"},
    "equipment.file.missing_columns": {
        "zh": "缺少必填列：{detail}。发送 /equipment template 获取模板。",
        "en": "required columns missing: {detail}. Send /equipment template for the template.",
    },
    "equipment.file.too_many_rows": {
        "zh": "{detail} 行，超过每个文件 5000 行的上限，请分成多个文件。",
        "en": "{detail} rows, over the limit of 5000 rows a file; split it into several files.",
    },
    "equipment.file.too_large": {
        "zh": "文件过大（{detail}），上限 10 MB。", "en": "the file is too large ({detail}); "
        "the limit is 10 MB.",
    },
    "equipment.file.download": {
        "zh": "没能从 Telegram 取得文件，请重新发送。{detail}",
        "en": "the file could not be fetched from Telegram; please send it again.{detail}",
    },
    "equipment.not_allowed": {
        "zh": "只有管理员和项目经理可以导入设备台账；导出台账和打印标签需项目的管理人员。",
        "en": "Only admins and project managers import the equipment register; exporting it "
        "and printing labels is for the project's managers.",
    },
    "equipment.staff_only": {
        "zh": "设备信息只对服务人员开放。", "en": "Device records are for the service staff.",
    },
    "equipment.usage": {
        "zh": "用法：/equipment CODE（一台设备）、/equipment template（模板）、"
        "/equipment export [项目]（导出）。导入：直接把 XLSX 或 CSV 文件发给我。",
        "en": "Usage: /equipment CODE (one device), /equipment template (the template), "
        "/equipment export [PROJECT] (export). To import, send me the XLSX or CSV file.",
    },
    "equipment.template": {
        "zh": "设备台账模板：每行一台设备，project、code、name 必填；填好后直接发回给我。"
        "“help”页说明每一列。",
        "en": "The equipment register template: one row per device; project, code and name "
        "are required. Send it back to me when filled in. The “help” sheet explains each column.",
    },
    "equipment.export": {
        "zh": "设备台账：{count} 台设备。修改后发回即可更新（link 列不会导入）。",
        "en": "Equipment register: {count} devices. Edit it and send it back to update "
        "(the link column is not imported).",
    },
    "equipment.labels": {
        "zh": "🏷 {project} 的设备标签：{count} 张（A4，每页 8 张，沿虚线剪开）。",
        "en": "🏷 Labels of {project}: {count} (A4, 8 a page, cut along the dashed lines).",
    },
    "equipment.no_devices": {
        "zh": "{text} 还没有设备。先导入设备台账（/equipment template）。",
        "en": "{text} has no devices yet. Import the register first (/equipment template).",
    },
    "equipment.no_project": {
        "zh": "没有您可管理的项目“{text}”。", "en": "No project “{text}” of yours.",
    },
    "equipment.which_project": {
        "zh": "哪个项目？请写项目代码：{text}", "en": "Which project? Name its key: {text}",
    },
    "equipment.no_device": {
        "zh": "您的项目中没有编号为“{text}”的设备。",
        "en": "No device with code “{text}” in your projects.",
    },
    "equipment.device": {
        "zh": "🖥 <b>设备 {code}</b>（{project}）",
        "en": "🖥 <b>Device {code}</b> ({project})",
    },
    "equipment.installed": {"zh": "安装日期：{day}", "en": "Installed on {day}"},
    "equipment.warranty_own": {
        "zh": "保修至 {day}（本设备）", "en": "Warranty until {day} (this device)",
    },
    "equipment.warranty_contract": {
        "zh": "保修至 {day}（合同）", "en": "Warranty until {day} (the contract)",
    },
    "equipment.no_tickets": {"zh": "还没有工单。", "en": "No tickets yet."},
    "equipment.history": {
        "zh": "<b>工单</b>：共 {count} 张，未完成 {open} 张（最新在前）",
        "en": "<b>Tickets</b>: {count}, {open} open (newest first)",
    },
    "equipment.ticket_done": {
        "zh": "#{id} {level} {day} {status}，修复用时 {took}，原因：{cause}",
        "en": "#{id} {level} {day} {status}, repaired in {took}, cause: {cause}",
    },
    "equipment.ticket_open": {
        "zh": "#{id} {level} {day} {status}，未修复原因：{blocked}",
        "en": "#{id} {level} {day} {status}, not fixed because: {blocked}",
    },
    "equipment.linked": {
        "zh": "工单 #{ticket_id} 已关联设备 {code}（{name} {model}）。",
        "en": "Ticket #{ticket_id} now belongs to device {code} ({name} {model}).",
    },
    "equipment.scanned": {
        "zh": "🏷 您扫描了 {project} 的设备标签，报障单已填好这台设备：",
        "en": "🏷 You scanned a device label of {project}; the report is for this device:",
    },
    "equipment.unknown_label": {
        "zh": "这个标签无法识别。请联系项目的客户经理，或发送 /start 后使用项目邀请码。",
        "en": "This label is not recognised. Please contact your customer manager, or use "
        "your project's invitation.",
    },
    "equipment.other_project": {
        "zh": "这台设备属于另一个项目，不能在这里报障。请拨打设备标签上的热线。",
        "en": "This device belongs to another project; it cannot be reported here. Please call "
        "the hotline printed on its label.",
    },
    "usage.device": {
        "zh": "用法：/device N CODE（把工单 N 关联到设备 CODE）",
        "en": "Usage: /device N CODE (ticket N belongs to device CODE)",
    },
    "usage.labels": {"zh": "用法：/labels [项目]", "en": "Usage: /labels [PROJECT]"},
    "field.device": {"zh": "设备", "en": "Device"},
    "field.device_name": {"zh": "名称", "en": "Name"},
    "ev.device_linked": {"zh": "关联设备 {device}", "en": "linked to device {device}"},
    "equipment.help.column": {"zh": "列", "en": "Column"},
    "equipment.help.zh": {"zh": "中文列名", "en": "Chinese header"},
    "equipment.help.meaning": {"zh": "说明", "en": "Meaning"},
    "equipment.help.required": {"zh": "必填", "en": "Required"},
    "equipment.help.yes": {"zh": "是", "en": "yes"},
    "equipment.col.project": {
        "zh": "项目代码（配置中的 key）", "en": "the project's key (as in the config)",
    },
    "equipment.col.code": {
        "zh": "设备编号：全热线唯一，字母、数字、. _ -，最多 32 个",
        "en": "the device's code: unique across the hotline; letters, digits, . _ -, at most 32",
    },
    "equipment.col.name": {"zh": "名称 / 种类", "en": "name or kind"},
    "equipment.col.model": {"zh": "型号", "en": "model"},
    "equipment.col.serial": {"zh": "序列号", "en": "serial number"},
    "equipment.col.site": {"zh": "安装地点", "en": "where it is installed"},
    "equipment.col.latitude": {"zh": "纬度（可选）", "en": "latitude (optional)"},
    "equipment.col.longitude": {"zh": "经度（可选）", "en": "longitude (optional)"},
    "equipment.col.installed_on": {
        "zh": "安装日期，如 2026-01-31", "en": "installed on, e.g. 2026-01-31",
    },
    "equipment.col.warranty_until": {
        "zh": "本设备保修截止日（空：按合同）",
        "en": "this device's last day of warranty (empty: the contract's)",
    },
    "equipment.col.notes": {"zh": "备注", "en": "notes"},
    "label.code": {"zh": "编号", "en": "Code"},
    "label.model": {"zh": "型号", "en": "Model"},
    "label.serial": {"zh": "序列号", "en": "Serial"},
    "label.site": {"zh": "地点", "en": "Site"},
    "label.project": {"zh": "项目", "en": "Project"},
    "label.manager": {"zh": "客户经理", "en": "Customer manager"},
    "label.hotline": {"zh": "7×24 报障热线 {phone}", "en": "7×24 hotline {phone}"},
    "label.scan": {"zh": "扫码报障", "en": "Scan to report a fault"},
    "cmd.equipment": {"zh": "设备台账（导入、导出、查询）", "en": "Equipment register"},
    "cmd.device": {"zh": "把工单关联到设备", "en": "Link a ticket to a device"},
    "cmd.labels": {"zh": "打印设备二维码标签", "en": "Print the devices' QR labels"},
    "equipment.bring_model": {
        "zh": "\n备机型号：<b>{model}</b>", "en": "\nModel of the unit to bring: <b>{model}</b>",
    },
    "doc.device": {"zh": "设备", "en": "Device"},
    "monthly.sheet.devices": {"zh": "设备", "en": "Devices"},
    "monthly.pdf.devices": {
        "zh": "故障最多的设备（前 {n} 台）", "en": "Devices with most faults (top {n})",
    },
    "monthly.col.device_code": {"zh": "设备编号", "en": "Device code"},
    "monthly.col.device_name": {"zh": "名称", "en": "Name"},
    "monthly.col.device_model": {"zh": "型号", "en": "Model"},
    "monthly.col.faults": {"zh": "故障数", "en": "Faults"},
    "monthly.col.device_resolved": {"zh": "已修复", "en": "Resolved"},
    "monthly.col.repair_mean": {"zh": "平均修复用时", "en": "Mean time to repair"},
    "equipment.labels_preparing": {
        "zh": "正在生成设备标签（{text}），完成后会发给您。",
        "en": "Preparing the device labels ({text}); they will come here when ready.",
    },
    "equipment.labels_what": {"zh": "设备标签", "en": "device labels"},
    "equipment.row_duplicate": {
        "zh": "第 {line} 行：编号 {code} 与第 {other} 行重复",
        "en": "Row {line}: code {code} repeats row {other}",
    },
    "daily.pdf_what": {"zh": "每日维护报告 PDF 文件", "en": "daily report PDF"},
    "tasks.pdf_what": {"zh": "巡检报告 PDF 文件", "en": "inspection report PDF"},
}
