"""Why a membership change was refused, in words the person who asked for it can act on."""

from __future__ import annotations


class MembershipRefused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
