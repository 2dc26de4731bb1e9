from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """Headers Django has no setting for: Permissions-Policy (browser features we never use)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class QueryCountHeaderMiddleware:
    """Benchmarks only (QUERY_COUNT_HEADER=1): report the SQL queries a request made in X-Query-Count.

    Counts through an execute wrapper, so it works with DEBUG off and costs one function call per query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response.headers["X-Query-Count"] = str(count)
        return response
