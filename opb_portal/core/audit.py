"""
The audit log: one JSON line per event worth answering for later (sign-ins,
refusals, uploads, changes of state, exports), on the "opb.audit" logger.

Callers pass facts, never secrets: fields named like a password or a token
are dropped here whatever the caller sends.
"""

import json
import logging
from datetime import UTC, datetime

logger = logging.getLogger("opb.audit")

_SECRET_WORDS = ("password", "token", "secret", "key", "csrf", "session")


def _is_secret(name: str) -> bool:
    return any(word in name.lower() for word in _SECRET_WORDS)


def log_event(event: str, *, request=None, user=None, **fields) -> None:
    """Write one audit line: the event, who (user, role, organisation), from where, and `fields`."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    record: dict[str, object] = {"event": event}
    if user is not None and user.is_authenticated:
        record["user"] = user.username
        record["role"] = user.role
        record["organisation"] = str(user.organisation) if user.organisation_id else None
    if request is not None:
        record["path"] = request.path
        record["method"] = request.method
        from .auth_backends import client_ip

        # The same address the sign-in lock-out counts by: the client's, as our proxy saw it.
        record["ip"] = client_ip(request)
    record.update({name: value for name, value in fields.items() if not _is_secret(name)})
    logger.info(event, extra={"audit": record})


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, and the audit record (or the message)."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
        }
        data.update(getattr(record, "audit", None) or {"message": record.getMessage()})
        return json.dumps(data, default=str)
