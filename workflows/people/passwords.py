"""The password policy, applied wherever a password is set (admin, CLI, registration, change).

Length alone is weak against the passwords everybody tries first, so the few most common
ones (and the username itself) are refused too; the messages are Chinese for the form.
"""
from __future__ import annotations

from workflows.core.errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 256
COMMON = frozenset({
    "1234567890", "12345678910", "123456789a", "a123456789", "1q2w3e4r5t", "qwertyuiop",
    "1qaz2wsx3edc", "password123", "password1234", "passw0rd123", "p@ssw0rd123", "admin12345",
    "admin123456", "administrator", "abc1234567", "abcd123456", "iloveyou123", "woaini1314",
    "woaini520520", "qwerty12345", "0123456789", "9876543210", "1111111111", "0000000000",
    "8888888888", "aaaaaaaaaa", "welcome123", "changeme123", "letmein123", "zxcvbnm123",
})


def password_problem(password: str, username: str) -> str | None:
    """Why `password` may not be used by `username`, in Chinese; None when it may."""
    text = password or ""
    if len(text) < MIN_LENGTH:
        return f"密码至少{MIN_LENGTH}位"
    if len(text) > MAX_LENGTH:
        return f"密码不能超过{MAX_LENGTH}位"
    if username and text.strip().casefold() == username.strip().casefold():
        return "密码不能与用户名相同"
    if text.casefold() in COMMON:
        return "密码过于常见，请换一个"
    return None


def check_password(password: str, username: str) -> None:
    """Raise InvalidInput (field `password`) unless the policy allows the password."""
    problem = password_problem(password, username)
    if problem:
        raise InvalidInput(problem, {"password": problem})
