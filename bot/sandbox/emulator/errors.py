"""Telegram's refusals: ``ApiError`` (rendered as Telegram's error JSON) and the exact wording
of the refusals the bot must cope with."""

from __future__ import annotations

from bot.sandbox.emulator.model import JsonDict

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
GET_UPDATES_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)
TERMINATED_BY_SET_WEBHOOK = "Conflict: terminated by setWebhook request"
FORBIDDEN_BLOCKED = "Forbidden: bot was blocked by the user"
FORBIDDEN_NOT_STARTED = "Forbidden: bot can't initiate conversation with a user"
WRONG_FILE_ID = "Bad Request: wrong file identifier/HTTP URL specified"


class ApiError(Exception):
    """A refused Bot API call, rendered as Telegram's error JSON."""

    def __init__(
        self,
        error_code: int,
        description: str,
        parameters: JsonDict | None = None,
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JsonDict:
        body: JsonDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")
