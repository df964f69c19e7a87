"""The equipment register's commands and the spreadsheet an importer sends.

/equipment CODE | template | export [PROJECT], /labels [PROJECT], /device N CODE; an XLSX or
CSV document from an admin or project manager is an import (read off the event loop, then
checked and stored in one transaction: all rows or none). Other people's documents go on to
the ordinary message handler.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, MessageHandler, filters

from bot.documents.equipment_sheet import read_table
from bot.domain.equipment import FileError
from bot.domain.people import User
from bot.services.equipment import Equipment
from bot.services.notices import Notice, Outcome
from bot.services.uow import UnitOfWork
from bot.telegram.files import MAX_FILE_BYTES, download
from bot.telegram.handlers import Callback, Updates, parse_ticket_number


class EquipmentHandlers:
    def __init__(self, updates: Updates, equipment: Equipment) -> None:
        self.updates = updates
        self.equipment = equipment
        self.perform = updates.perform

    def commands(self) -> dict[str, Callback]:
        return {"equipment": self.command, "labels": self.labels, "device": self.device}

    def install(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Documents first (group -1): an importer's file stops there, any other goes on."""
        private = filters.ChatType.PRIVATE
        app.add_handler(MessageHandler(filters.Document.ALL & private, self.document), group=-1)

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/equipment CODE | template | export [PROJECT]."""
        args = context.args or []
        eq = self.equipment
        username = context.bot.username or ""
        use_case: Any
        if not args or len(args) > 2:
            await self.updates.say(update, "equipment.usage")
            return
        if args[0].lower() == "template" and len(args) == 1:
            use_case = eq.template
        elif args[0].lower() == "export":
            project = args[1] if len(args) > 1 else ""
            use_case = lambda uow, u: eq.export(uow, u, project, username)  # noqa: E731
        elif len(args) == 1:
            use_case = lambda uow, u: eq.show(uow, u, args[0])  # noqa: E731
        else:
            await self.updates.say(update, "equipment.usage")
            return
        await self.perform(update, use_case)

    async def labels(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/labels [PROJECT]: the project's labels as a printable PDF."""
        args = context.args or []
        if len(args) > 1:
            await self.updates.say(update, "usage.labels")
            return
        project = args[0] if args else ""
        username = context.bot.username or ""
        eq = self.equipment
        await self.perform(update, lambda uow, u: eq.labels(uow, u, project, username))

    async def device(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/device N CODE: ticket N belongs to device CODE."""
        args = context.args or []
        number = parse_ticket_number(args[0]) if args else None
        eq = self.equipment

        async def use_case(uow: UnitOfWork, user: User) -> Outcome:
            if number is None or len(args) != 2:
                return Outcome([Notice(user.telegram_id, "usage.device")])
            return await eq.link(uow, user, number, args[1])

        await self.perform(update, use_case)

    async def document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A document from someone who may import: the register, checked and stored."""
        message, sender = update.effective_message, update.effective_user
        if message is None or sender is None or message.document is None:
            return
        staff = self.equipment.access.staff(sender.id)
        if not self.equipment.importer_projects(staff):
            return  # not an import: the ordinary handler answers
        doc = message.document
        name = (doc.file_name or "file")[:100]
        table: Any
        if doc.file_size is not None and doc.file_size > MAX_FILE_BYTES:
            table = FileError("too_large", f"{doc.file_size / 1_000_000:.1f} MB")
        else:
            data = await download(context.bot, doc)
            table = (
                FileError("download") if data is None
                else await asyncio.to_thread(read_table, data, name)
            )
        eq = self.equipment
        await self.perform(update, lambda uow, u: eq.import_table(uow, u, name, table))
        raise ApplicationHandlerStop
