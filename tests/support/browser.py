"""Headless Chromium (Debian's `chromium`) driven through the DevTools protocol over a websocket (aiohttp's
client): navigate, read the DOM, click and type as a user does (real input events), screenshot."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from tests.support.processes import stop_process


def chromium_binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class Browser:
    """One headless browser with one page. Use `async with Browser() as page:`."""

    def __init__(self) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="tweetbot-chromium-")
        self._process: subprocess.Popen[bytes] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._socket: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)
        self.console: list[str] = []

    async def __aenter__(self) -> Browser:
        binary = chromium_binary()
        if binary is None:
            raise RuntimeError("chromium not found: apt-get install -y chromium")
        profile = Path(self._profile.name)
        self._process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=900,1000",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)  # its helper processes (zygote, crashpad) in one group, ended together
        port = await self._debug_port(profile)
        self._session = aiohttp.ClientSession()
        async with self._session.get(f"http://127.0.0.1:{port}/json/list") as answer:
            targets = await answer.json()
        page = next(t for t in targets if t["type"] == "page")
        self._socket = await self._session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=64 << 20)
        await self.send("Page.enable")
        await self.send("Runtime.enable")
        return self

    async def _debug_port(self, profile: Path, timeout: float = 60.0) -> int:
        deadline = time.monotonic() + timeout
        marker = profile / "DevToolsActivePort"
        while time.monotonic() < deadline:
            if marker.is_file() and marker.read_text().strip():
                return int(marker.read_text().split()[0])
            await asyncio.sleep(0.1)
        raise RuntimeError("chromium did not open its DevTools port")

    async def __aexit__(self, *_exc: object) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._session is not None:
            await self._session.close()
        stop_process(self._process, timeout=10)
        if self._process is not None:
            # Helpers that outlive the browser would keep writing into the profile while it is removed.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
        self._profile.cleanup()

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        assert self._socket is not None
        call_id = next(self._ids)
        await self._socket.send_str(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads((await self._socket.receive(timeout=60)).data)
            if message.get("method") == "Runtime.consoleAPICalled":
                self.console.append(" ".join(str(a.get("value")) for a in message["params"]["args"]))
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 60.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = await self.evaluate(expression)
            if value:
                return value
            await asyncio.sleep(0.1)
        raise TimeoutError(f"still false after {timeout} s: {expression}")

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", url=url)

    async def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element."""
        box = await self.evaluate(f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
                                  ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            await self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    async def type_into(self, selector: str, text: str) -> None:
        """Clicks the field, selects what is in it, and types `text` over it."""
        await self.click(selector)
        await self.evaluate(f"document.querySelector({json.dumps(selector)}).select()")
        await self.send("Input.insertText", text=text)

    async def screenshot(self, path: Path) -> Path:
        shot = await self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))
        return path
