"""JSON for a `<script type="application/ld+json">` block, the one escaping every page uses.

Escapes what Django's json_script escapes, so no text in the data (a product named "</script>…")
can close the element or open a comment: it stays data.
"""

import json

from django.utils.safestring import SafeString, mark_safe

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_for_script(data: object) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_ESCAPES))  # noqa: S308 - escaped above
