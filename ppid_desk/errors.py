"""Domain errors raised by services; views map them back onto form fields."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every rule violation a person can correct."""


class FieldError(DomainError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class ValidationFailed(DomainError):
    """Several field errors at once."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
