"""The operator's API client: errors, and a new login when the API answers 401 (rotated tokens)."""

from __future__ import annotations

import aiohttp.web
import kopf
import pytest
from aiohttp.test_utils import TestServer
from tweetbot_operator.k8s.client import ApiError, Kube


@pytest.fixture
async def token_server():
    """Answers 200 only to `Bearer new`, like an API server after the old token expired."""
    async def handle(request: aiohttp.web.Request) -> aiohttp.web.Response:
        if request.headers.get("Authorization") != "Bearer new":
            return aiohttp.web.json_response({"kind": "Status", "reason": "Unauthorized", "message": "no"},
                                             status=401)
        return aiohttp.web.json_response({"path": request.path, "query": dict(request.query)})

    server = TestServer(aiohttp.web.Application())
    server.app.router.add_route("*", "/{tail:.*}", handle)
    await server.start_server()
    yield str(server.make_url("")).rstrip("/")
    await server.close()


async def test_a_401_logs_in_again_once(token_server):
    logins = []

    def refresh():
        logins.append(1)
        return kopf.ConnectionInfo(server=token_server, token="new")

    kube = Kube(kopf.ConnectionInfo(server=token_server, token="old"))
    kube.configure(kopf.ConnectionInfo(server=token_server, token="old"), refresh=refresh)
    try:
        assert (await kube.list("/api/v1/namespaces/x/pods", {"a": "b"})) == []
        assert len(logins) == 1
        assert (await kube.request("GET", "/api/v1/x", params={"k": "v"})) == {"path": "/api/v1/x",
                                                                               "query": {"k": "v"}}
        assert len(logins) == 1  # the new token stays
    finally:
        await kube.close()


async def test_errors_carry_the_api_status(token_server):
    kube = Kube(kopf.ConnectionInfo(server=token_server, token="old"))
    try:
        with pytest.raises(ApiError) as err:
            await kube.get("/api/v1/x")
        assert err.value.status == 401 and err.value.reason == "Unauthorized"
    finally:
        await kube.close()
