"""The dummy payment service's server-to-server notification, sent after the payer has chosen."""

import logging
import urllib.error
import urllib.parse
import urllib.request

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def dummy_service_notify(*, url: str, fields: dict[str, str]) -> bool:
    """POSTs the answer to the merchant's notification URL, as the dummy service does."""
    target = urllib.parse.urlsplit(url)
    if target.scheme not in ("http", "https") or not target.hostname:
        return False
    headers = {}
    if target.hostname.endswith(".localhost"):
        # `*.localhost` is loopback (RFC 6761) — the demo's authorities — but the system
        # resolver may not know it: connect to 127.0.0.1 and name the host in the header.
        headers["Host"] = target.netloc
        port = f":{target.port}" if target.port else ""
        url = urllib.parse.urlunsplit(target._replace(netloc=f"127.0.0.1{port}"))
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError) as exc:
        logger.warning("dummy payment service: notification to %s failed: %s", url, exc)
        return False
