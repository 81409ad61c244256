from typing import Any

from django import template

from guichet.backoffice.menu import menu_for

register = template.Library()


@register.inclusion_tag("backoffice/_menu.html", takes_context=True)
def backoffice_menu(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    return {"menu": menu_for(request), "request": request}
