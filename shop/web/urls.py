"""`url_for` for templates, remembered: a page builds dozens of the same links, each a walk of the URL map.

A link depends only on the endpoint, its arguments and the script root the shop is served under, so the
built URL is kept (per process, a bounded number) and reused. Anything else is built as usual: relative
endpoints (".name", which depend on the current blueprint), the underscore options (`_external`,
`_anchor`, ...), arguments that cannot be a dictionary key, and calls outside a request.
"""

from typing import Any

from flask import has_request_context, request, url_for

MAX_LINKS = 20_000
_built: dict[tuple[Any, ...], str] = {}


def remembered_url_for(endpoint: str, **values: Any) -> str:
    if endpoint.startswith(".") or not has_request_context() or any(name.startswith("_") for name in values):
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, *sorted((name, type(value), value) for name, value in values.items()))
    try:
        return _built[key]
    except KeyError:
        pass
    except TypeError:  # an argument that cannot be a key (a list of values, say)
        return url_for(endpoint, **values)
    url = url_for(endpoint, **values)
    if len(_built) >= MAX_LINKS:
        _built.clear()
    _built[key] = url
    return url
