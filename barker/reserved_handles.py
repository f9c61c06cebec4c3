"""Handles nobody may sign up with: names that would pass for the operator's staff or the brand, and words
that look like routes or system values. Compared in canonical (lower-case) form; docs/limits.md lists the
rules. Add to these sets freely (existing accounts are not affected: only sign-up checks them)."""

from __future__ import annotations

# Staff and roles: an account called @support or @moderator would be believed.
STAFF = frozenset({
    "admin", "administrator", "admins", "root", "sysadmin", "superuser", "su", "owner", "operator",
    "staff", "team", "moderator", "moderators", "mod", "mods", "support", "helpdesk", "help", "service",
    "security", "abuse", "trust", "safety", "trustandsafety", "legal", "privacy", "compliance", "official",
    "verified", "verification", "system", "postmaster", "hostmaster", "webmaster", "noreply", "no_reply",
    "info", "contact", "feedback", "billing", "payments", "sales", "marketing", "press", "news", "status",
    "announcements", "everyone", "all", "here",
})

# The brand and its products.
BRAND = frozenset({"barker", "barkerapp", "barker_app", "barkerhq", "barker_hq", "bark", "barks", "rebark"})

# Words that sit where a handle would in a URL (/v1/users/nearby, /v1/me, /docs), web and mail host
# names, and values a careless client may send for "no handle".
ROUTE_LIKE = frozenset({
    "api", "v1", "v2", "v3", "me", "self", "you", "users", "user", "accounts", "account", "sessions",
    "session", "login", "logout", "signin", "signup", "register", "auth", "oauth", "token", "tokens",
    "timelines", "timeline", "home", "public", "stream", "streams", "media", "search", "nearby",
    "suggestions", "following", "followers", "settings", "about", "docs", "redoc", "openapi", "healthz",
    "readyz", "static", "assets", "www", "mail", "email", "smtp", "ftp", "http", "https", "localhost",
    "null", "undefined", "none", "nil", "true", "false", "anonymous", "unknown", "guest", "test",
    "example", "deleted", "blocked", "banned", "suspended",
})

RESERVED = STAFF | BRAND | ROUTE_LIKE
# Twitter's rule: a username may not contain "Twitter" or "Admin". So here with the brand and staff words
# that no honest handle needs ("barker_fan" would pass for an official account).
RESERVED_PARTS = ("barker", "admin")


def is_reserved(canonical: str) -> bool:
    return canonical in RESERVED or any(part in canonical for part in RESERVED_PARTS)
