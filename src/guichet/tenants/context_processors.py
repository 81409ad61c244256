from typing import Any

from django.http import HttpRequest


def authority(request: HttpRequest) -> dict[str, Any]:
    return {"authority": getattr(request, "authority", None)}
