"""The clients targets are requested with: signed in as the target's person, reading streamed responses to the end."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client

from benchmarks.seed import World
from benchmarks.targets.base import API, Target


class DownloadingClient(Client):
    """The test client, reading streamed responses (file downloads, the portfolio ZIP) to the end as a browser
    would: the time includes sending the bytes, the file is closed, and ``response.content`` works."""

    def request(self, **request):
        response = super().request(**request)
        if not response.streaming:
            return response
        # Reading to the end closes the response inside the test client's wrapper, which keeps the database
        # connection open; closing it again here would fire request_finished and close the connection.
        body = b"".join(response.streaming_content)
        whole = HttpResponse(body, status=response.status_code)
        for header, value in response.items():
            whole[header] = value
        for attribute in ("client", "request", "wsgi_request", "resolver_match", "templates", "context"):
            setattr(whole, attribute, getattr(response, attribute, None))
        return whole


def client_for(world: World, target: Target) -> Client:
    """A client signed in as the target's person: a session for pages, a token for the API."""
    user = world.user(target.user)
    if target.kind == API:
        from rest_framework.authtoken.models import Token

        headers = {"accept": "application/json"}
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            headers["authorization"] = f"Token {token.key}"
        return DownloadingClient(headers=headers)
    client = DownloadingClient()
    if user is not None:
        client.force_login(user)
    return client
