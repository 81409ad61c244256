"""Open311 GeoReport v2 bodies: JSON as is, XML with the specification's element names."""

from typing import Any
from xml.etree import ElementTree as ET

from rest_framework.renderers import BaseRenderer, JSONRenderer

# The element of each item of a list, by the list's element name.
ITEM_NAMES = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        item_name = ITEM_NAMES[element.tag]
        for child in value:
            _fill(ET.SubElement(element, item_name), child)
    else:
        element.text = _text(value)


def xml_document(root: str, data: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, data)
    ET.indent(element)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")


class Open311JSONRenderer(JSONRenderer):
    format = "json"
    charset = "utf-8"


class Open311XMLRenderer(BaseRenderer):
    """The view names the root element (`xml_root`); errors are `<errors>`."""

    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        context = renderer_context or {}
        response = context.get("response")
        view = context.get("view")
        if response is not None and response.status_code >= 400:
            root = "errors"
        else:
            root = getattr(view, "xml_root", "response")
        return xml_document(root, data)
