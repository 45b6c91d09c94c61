"""Only redirect to our own pages (no open redirects through ``next``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for

MAX_NEXT_LENGTH = 2000


def is_safe_path(target: str) -> bool:
    """True for a path on this site: "/something", not "//host", "/\\host" or "http:...".

    Browsers drop tabs and newlines inside URLs and treat a backslash as a slash, so those
    are refused or normalised before checking.
    """
    if not target or len(target) > MAX_NEXT_LENGTH:
        return False
    if any(ord(char) < 0x20 or ord(char) == 0x7F or char.isspace() for char in target):
        return False
    parts = urlsplit(target)
    return (
        not parts.scheme
        and not parts.netloc
        and target.startswith("/")
        and not target.startswith("//")
    )


def safe_next_url(target: str | None, default_endpoint: str = "pages.home") -> str:
    """Return ``target`` if it is a local path on this site, else the default page."""
    if target:
        target = target.strip().replace("\\", "/")
        if is_safe_path(target):
            return target
    return url_for(default_endpoint)
