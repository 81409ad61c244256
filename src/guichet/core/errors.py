"""One error vocabulary, translated to HTTP or form errors only at the edge."""

from enum import StrEnum


class ErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"
    INVALID_TRANSITION = "invalid_transition"
    INVALID_DATA = "invalid_data"
    INVALID_FILE = "invalid_file"
    ALREADY_DONE = "already_done"
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - an error code, not a secret
    NOT_PUBLISHED = "not_published"
    # A step a domain takes on its own pages (engine.instruction), tried elsewhere.
    DOMAIN_OWNED = "domain_owned"


class DomainError(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
