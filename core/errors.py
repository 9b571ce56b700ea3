"""The one domain error type; views and the API turn it into a message or an error response."""


class DomainError(Exception):
    """A rule was broken; the message says which, in words a user understands."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(DomainError):
    """The action conflicts with the object's current state (HTTP 409)."""

    status_code = 409


class ActionNotAllowed(DomainError):
    """The user may see the object but not take this action on it (HTTP 403)."""

    status_code = 403
