"""One exception tree for newsfuse; every error names its input and says what to do."""

from __future__ import annotations


class NewsfuseError(Exception):
    """Base of every error newsfuse raises on purpose. The message is meant for the user."""


class InputError(NewsfuseError):
    """An input (file, URL, line, record) could not be read or understood."""

    def __init__(self, location: str, reason: str) -> None:
        self.location = location
        self.reason = reason
        super().__init__(f"{location}: {reason}")


class FetchRefused(InputError):
    """A URL points at a private, loopback or link-local address and fetching it was not allowed."""


class SettingsError(NewsfuseError):
    """A setting (flag, NEWSFUSE_* variable or config file entry) is unknown or has a bad value."""


class StoreError(NewsfuseError):
    """The database could not be opened, migrated or written."""


class NotFound(NewsfuseError):
    """An article, story or entity asked for by id or name does not exist."""


class ModelUnavailable(NewsfuseError):
    """A model package that a stage needs is not installed."""
