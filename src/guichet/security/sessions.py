"""What the session remembers about an agent (set once at login, read on each request
without a query)."""

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

AGENT_SESSION_KEY = "guichet_agent"
LAST_SEEN_KEY = "guichet_last_seen"
SSO_MFA_KEY = "guichet_sso_mfa"


@receiver(user_logged_in)
def remember_agent(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None and user.authority_id and user.is_agent:
        session[AGENT_SESSION_KEY] = True
        session[LAST_SEEN_KEY] = int(time.time())
