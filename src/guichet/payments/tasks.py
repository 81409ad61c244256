"""The fake bank's server-to-server notification, sent after the citizen has chosen."""

import logging
import urllib.error
import urllib.parse
import urllib.request

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def fake_bank_notify(*, url: str, fields: dict[str, str]) -> bool:
    """POSTs the signed answer to the merchant's notification URL, as a bank would."""
    if not url.startswith(("http://", "https://")):
        return False
    data = urllib.parse.urlencode(fields).encode()
    try:
        with urllib.request.urlopen(url, data=data, timeout=10) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError) as exc:
        logger.warning("fake bank: notification to %s failed: %s", url, exc)
        return False
