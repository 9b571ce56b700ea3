"""Refuse, at the edge, input that nothing behind it can store."""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse

NUL_MESSAGE = "The address contains a NUL (\\u0000) character, which is never valid here."


class RefuseNulBytes:
    """A NUL byte in the path or a query value is a 400 before any view runs (PostgreSQL cannot store or even
    compare one, so it would otherwise reach the database and become a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in "".join(query.getlist(key)) for key in query
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
