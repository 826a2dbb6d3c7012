"""What a governance act says when it cannot be done."""


class Refused(Exception):
    """An act that cannot be done, with a sentence saying why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
