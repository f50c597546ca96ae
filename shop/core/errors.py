"""The one shape of a refusal: a message safe to show, the form field it is about, the HTTP status.

Every service refuses with a subclass of `Refusal`: `Refusal(message, field=None, status=422)`, and
`errors` maps form fields to messages when a refusal is about several fields at once. Views put it on
the form (shop.web.helpers.attach) and answer with its status.
"""


class Refusal(Exception):
    """Something the person at the keyboard must fix, or an action that cannot be done now."""

    status: int = 422

    def __init__(self, message: str, field: str | None = None, status: int | None = None,
                 errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status
        self.errors = dict(errors or {})

    def field_errors(self) -> dict[str, str]:
        """{form field: message}: `errors`, or the one field this refusal names."""
        if self.errors:
            return dict(self.errors)
        return {self.field: self.message} if self.field else {}

    def __str__(self) -> str:
        return self.message
