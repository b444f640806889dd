"""The browser seat: ``gameday host --web PORT`` serves the player's console over HTTP.

A player on a laptop needs only a browser and their token. textual-serve (the
Textualize project's server for Textual apps) runs one command per browser tab and
relays its terminal over a websocket; that command is a ``gameday join`` that asks
for the token on screen (``--ask-token``) and connects to this host like any other
player, so the token, not the URL, picks the seat: one page serves every seat, and
no secret ends up in a URL, a browser history or a proxy's log.

It runs in the host's own event loop (textual-serve's ``serve()`` would take over the
process with its own loop and signal handlers), so it is built from the server's
aiohttp application and started with aiohttp's runner.
"""

from __future__ import annotations

import ssl
from typing import Any

from tui.team.protocol import TeamError


async def serve_web(
    bind: str, port: int, command: str, *, tls: ssl.SSLContext | None = None
) -> Any:
    """Start serving ``command`` to browsers on ``bind:port``; returns the aiohttp runner
    (``await runner.cleanup()`` stops it). TeamError when the port cannot be used."""
    from aiohttp import web
    from textual_serve.server import Server

    class QuietServer(Server):
        """textual-serve prints a logo on start: not on the facilitator's console."""

        async def on_startup(self, app: web.Application) -> None:
            """Nothing to print."""

    shown = "localhost" if bind in ("0.0.0.0", "::", "127.0.0.1") else bind
    scheme = "https" if tls else "http"
    server = QuietServer(
        command, host=bind, port=port, title="gameday", public_url=f"{scheme}://{shown}:{port}"
    )
    runner = web.AppRunner(await server._make_app(), handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, bind, port, ssl_context=tls).start()
    except OSError as err:
        await runner.cleanup()
        raise TeamError(f"cannot serve browsers on {bind}:{port}: {err.strerror or err}") from None
    return runner
