"""The aiohttp application: routes, JSON errors in OpenAI's shape, request metrics. Nothing here writes."""

from __future__ import annotations

import logging
import time
from importlib import resources

from aiohttp import web

from tweetbot_trainer.serve import completions
from tweetbot_trainer.serve.completions import SERVER, Server
from tweetbot_trainer.serve.metrics import CONTENT_TYPE_LATEST
from tweetbot_trainer.serve.params import ApiError
from tweetbot_trainer.serve.security import Access, Handler, access_middleware, add_headers

# The page's files, by URL: a fixed table, so no path from a request ever reaches the file system.
PAGE_FILES = {"/": ("index.html", "text/html"), "/static/app.js": ("app.js", "text/javascript"),
              "/static/style.css": ("style.css", "text/css")}
MAX_BODY = 64 * 1024
STARTED = int(time.time())
log = logging.getLogger(__name__)


def _page_file(name: str) -> bytes:
    return resources.files("tweetbot_trainer.serve").joinpath("page", name).read_bytes()


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    server: Server = request.app[SERVER]
    route = request.match_info.route.resource.canonical if request.match_info.route.resource else "other"
    try:
        response = await handler(request)
    except ApiError as err:
        response = web.json_response(err.body(), status=err.status)
        if err.close:
            await _answer_and_close(request, response)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        kind = "invalid_request_error" if exc.status < 500 else "server_error"
        body = ApiError(exc.status, f"{request.method} {request.path}: {exc.reason}", kind=kind).body()
        response = web.json_response(body, status=exc.status)
    except Exception:  # a bug of ours: the client gets the usual JSON, the log the traceback
        log.exception("%s %s failed", request.method, request.path)
        response = web.json_response(ApiError(500, "internal error", kind="server_error").body(), status=500)
    server.metrics.requests.labels(route, str(response.status)).inc()
    return response


async def _answer_and_close(request: web.Request, response: web.Response) -> None:
    """Sends `response` and closes at once: no reading the rest of a stalled or broken body first."""
    response.force_close()
    await response.prepare(request)
    await response.write_eof()
    request.protocol.force_close()


def _model_card(server: Server) -> dict[str, object]:
    return {"id": server.bot.model_id, "object": "model", "created": STARTED, "owned_by": "tweetbot"}


async def models(request: web.Request) -> web.Response:
    return web.json_response({"object": "list", "data": [_model_card(request.app[SERVER])]})


async def model(request: web.Request) -> web.Response:
    server: Server = request.app[SERVER]
    if request.match_info["name"] != server.bot.model_id:
        raise ApiError(404, f"the model {request.match_info['name']!r} does not exist", "model",
                       code="model_not_found")
    return web.json_response(_model_card(server))


async def bot(request: web.Request) -> web.Response:
    return web.json_response(request.app[SERVER].bot.public())


async def healthz(request: web.Request) -> web.Response:
    server: Server = request.app[SERVER]
    if server.health is not None and not await server.health():  # the pod is ready when its engine is
        return web.json_response({"status": "engine not ready", "model": server.bot.model_id}, status=503)
    return web.json_response({"status": "ok", "model": server.bot.model_id})


async def metrics(request: web.Request) -> web.Response:
    body = request.app[SERVER].metrics.exposition()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def page_handler(name: str, content_type: str) -> Handler:
    body = _page_file(name)

    async def serve(_request: web.Request) -> web.Response:
        return web.Response(body=body, content_type=content_type, charset="utf-8",
                            headers={"Cache-Control": "no-cache"})

    return serve


def build_app(server: Server, access: Access | None = None) -> web.Application:
    app = web.Application(middlewares=[json_errors, access_middleware(access or Access())],
                          client_max_size=MAX_BODY)
    app[SERVER] = server
    app.on_response_prepare.append(add_headers)
    for path, (name, content_type) in PAGE_FILES.items():
        app.router.add_get(path, page_handler(name, content_type))
    app.router.add_get("/api/bot", bot)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/v1/models", models)
    app.router.add_get("/v1/models/{name}", model)
    app.router.add_post("/v1/completions", completions.handle)
    return app
