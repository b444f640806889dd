"""A team game day you can trust: the right names in the log, seats only for their
holders, no answer key on the wire, every command on record, every console reaching
the debrief. Real hosts and real sockets on 127.0.0.1, bounded in time."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.log.events import GROUND_TRUTH_EVENTS, Event
from simulator.log.jsonl import read_log
from tests.tui.helpers import sync
from tests.tui.teamkit import hosted, joined, shutdown, team_session, token, until
from tui.team.client import connect
from tui.team.protocol import PROTOCOL, TeamError, encode_line


def credited(session_events: list[Event], command: str) -> list[tuple[str, str]]:
    """``(by, role)`` of each logged command starting with ``command``."""
    return [
        (e["by"], e["role"])
        for e in session_events
        if e.type in ("command.accepted", "command.rejected") and e["text"].startswith(command)
    ]


@sync
async def test_the_log_credits_the_person_at_the_seat_after_roles_move() -> None:
    """After the IC hands tech to a simulated teammate and takes comms, Priya's and
    Marcus's own commands are still logged as theirs (and rejected ones too)."""
    session = team_session()
    host, address = await hosted(session)
    priya, marcus = await joined(address, "tech"), await joined(address, "comms")
    host.advance(300)
    helper = next(p.name for p in session.team.people.values() if not p.human)
    assert session.submit(f"/assign tech {helper}", role="ic", by="Dana").accepted
    assert session.submit("/assign comms me", role="ic", by="Dana").accepted
    priya.submit("/investigate deploys")
    marcus.submit("/status investigating Errors at checkout for some customers.")
    priya.submit("/sev banana")  # refused by Priya's own console, yet sent
    marcus.submit("/frobnicate")
    await until(lambda: len(credited(session.events, "/frobnicate")) == 1, "the last command")
    assert credited(session.events, "/investigate deploys") == [("Priya", "tech")]
    assert credited(session.events, "/status investigating") == [("Marcus", "comms")]
    assert credited(session.events, "/sev banana") == [("Priya", "tech")]
    rejected = [e for e in session.events if e.type == "command.rejected"]
    assert [e["by"] for e in rejected] == ["Priya", "Marcus"]
    assert host.presence() == {"Dana": False, "Marcus": True, "Priya": True}
    await shutdown(host, priya, marcus)


@sync
async def test_a_frozen_client_loses_its_seat_and_its_holder_reclaims_one() -> None:
    """A socket that stops talking (a laptop asleep) is dropped after three missed
    heartbeats; a holder who comes back with the token takes the seat from a stale
    connection, which is cut."""
    session = team_session()
    host, address = await hosted(session, heartbeat=0.1)
    port = int(address.rsplit(":", 1)[1])
    frozen_r, frozen_w = await asyncio.open_connection("127.0.0.1", port, limit=1 << 24)
    hello = {"protocol": PROTOCOL, "role": "tech", "token": token(address, "tech")}
    frozen_w.write(encode_line({"hello": hello}))
    await until(lambda: "tech" in host.host.taken, "the frozen client to take the seat")
    await until(lambda: "tech" not in host.host.taken, "the silent client to be dropped", 3.0)
    # A live client (heartbeats every 0.1 s) keeps its seat past the silence limit.
    priya = await joined(address, "tech")
    await asyncio.sleep(0.5)
    assert host.host.taken.get("tech") is not None and priya.connected
    # Its holder, back on another terminal, reclaims it: the old link is cut.
    again = await joined(address, "tech")
    await until(lambda: not priya.connected, "the stale connection to be cut")
    assert any("reclaimed the seat" in a.message for a in host.answers())
    again.submit("/investigate deploys -- back on my other laptop")
    started = "investigation.started"
    await until(lambda: any(e.type == started for e in session.events), "the investigation")
    assert [e["by"] for e in session.events if e.type == started] == ["Priya"]
    frozen_w.close()
    with contextlib.suppress(ConnectionError):
        await frozen_w.wait_closed()
    del frozen_r
    await shutdown(host, priya, again)


@sync
async def test_no_truth_on_the_wire() -> None:
    """Sniffing a player's and a watcher's raw sockets through a drill (a second fault
    injected, an investigation with clues, a mitigation) finds no ground-truth event, no
    root cause, no fault responses and no finding labelled clue or red herring."""
    session = team_session()
    truth = session.scenario.truth
    host, address = await hosted(session)
    port = int(address.rsplit(":", 1)[1])
    sniffed: dict[str, bytearray] = {}
    writers = []
    for role in ("tech", None):
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 24)
        hello = {"protocol": PROTOCOL, "token": token(address, role)}
        writer.write(encode_line({"hello": {**hello, **({"role": role} if role else {})}}))
        buffer = sniffed.setdefault(role or "watch", bytearray())
        writers.append(writer)

        async def sniff(reader: asyncio.StreamReader = reader, into: bytearray = buffer) -> None:
            while chunk := await reader.read(1 << 16):
                into.extend(chunk)

        asyncio.get_running_loop().create_task(sniff())
    await until(lambda: len(host.host.clients) == 2, "both sniffers to join")
    host.advance(300)
    writers[0].write(encode_line({"command": "/investigate deploys"}))
    host.advance(600)
    writers[0].write(encode_line({"command": "/flag new-pricing-engine off"}))
    host.advance(1500)
    await until(lambda: b"new-pricing-engine" in sniffed["tech"], "the player's stream")
    truth_types = {e.type for e in session.events} & GROUND_TRUTH_EVENTS
    assert {"fault.started", "impact.started"} <= truth_types, "the drill has truth to hide"
    for who, raw in sniffed.items():
        text = raw.decode()
        lines = [json.loads(line) for line in text.splitlines()]
        events = [m["event"] for m in lines if "event" in m]
        events += lines[0]["welcome"]["events"]
        assert events and not {e["type"] for e in events} & GROUND_TRUTH_EVENTS, who
        assert truth.root_cause not in text and '"responses"' not in text, who
        assert '"truth"' not in text and '"red_herring"' not in text, who
        assert '"clue"' not in text and '"fixed"' not in text, who
    for writer in writers:
        writer.close()
    await host.aclose()


@sync
async def test_every_console_reaches_the_debrief_when_a_player_resolves() -> None:
    """A player's /resolve ends the drill: the paused facilitator's console shows the
    players' actions and opens the debrief; each client gets the whole record."""
    from tui.app import make_team_app
    from tui.screens.debrief import DebriefScreen
    from tui.widgets.channel import IncidentChannel

    session = team_session()
    host, address = await hosted(session)
    dana, watcher = await joined(address, "ic"), await joined(address, None)
    app = make_team_app(host, clock=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        console = app.console_screen
        assert console is not None and console.paused, "the facilitator starts paused"
        dana.submit("/note paused, the facilitator coaches")
        channel = console.query_one(IncidentChannel)
        await until(
            lambda: any("the facilitator coaches" in line.text for line in channel.lines),
            "the note on the paused console",
        )
        host.advance(900)  # the facilitator's hand on the clock, then paused again
        dana.submit("/resolve")
        await until(lambda: isinstance(app.screen, DebriefScreen), "the facilitator's debrief")
        await pilot.pause()
        await until(lambda: dana.ended and watcher.ended, "the record at every client")
        assert dana.events()[-1].type == "drill.ended"
        assert any(e.type == "fault.started" for e in watcher.events()), "the debrief's truth"
        assert watcher.header["scenario"]["truth"]["root_cause"]
    await shutdown(host, dana, watcher)


@pytest.mark.slow
def test_a_headless_host_runs_a_scripted_team_drill(tmp_path: Path) -> None:
    """`gameday host --headless` writes the seats file, serves real players at --speed,
    and ends when one resolves: the log credits each player; no terminal anywhere."""
    seats_file, log = tmp_path / "seats.json", tmp_path / "team.jsonl"
    args = ["host", "checkout-bad-deploy", "--headless", "--port", "0", "--speed", "30"]
    args += ["--player", "ic=Dana", "--player", "comms=Marcus", "--seed", "7", "--log", str(log)]
    args += ["--seats-file", str(seats_file)]
    code = "from tui.cli.main import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        asyncio.run(_play_against(seats_file, proc))
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "Marcus joined as Communications Lead" in err and "refused a connection" in err
    assert f"drill log: {log}" in out
    recorded = read_log(log)
    assert recorded.complete
    assert credited(recorded.events, "/status") == [("Marcus", "comms")]
    assert credited(recorded.events, "/resolve") == [("Dana", "ic")]


async def _play_against(seats_file: Path, proc: subprocess.Popen[str]) -> None:
    for _ in range(300):
        if seats_file.exists() and seats_file.stat().st_size:
            break
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        await asyncio.sleep(0.05)
    seats = json.loads(seats_file.read_text())
    assert oct(seats_file.stat().st_mode & 0o777) == "0o600"
    assert set(seats) == {"ic", "comms", "watch"} and seats["comms"]["name"] == "Marcus"
    join = seats["comms"]["join"].split()
    address = join[2]
    assert join[:2] == ["gameday", "join"] and join[-2:] == ["--token", seats["comms"]["token"]]
    with pytest.raises(TeamError, match="the host refused"):
        await connect(address, "ic", seats["comms"]["token"])
    marcus = await connect(address, "comms", seats["comms"]["token"])
    dana = await connect(address, "ic", seats["ic"]["token"])
    for feed in (marcus, dana):
        asyncio.get_running_loop().create_task(feed.start())
    await until(lambda: dana.now > 60, "the headless clock to run")
    marcus.submit("/status investigating Errors at checkout for some customers.")
    await until(lambda: bool(marcus.answers()), "Marcus's reply")
    dana.submit("/resolve")
    await until(lambda: marcus.ended and dana.ended, "the end at both players", 10.0)
    await marcus.aclose()
    await dana.aclose()
    assert os.path.exists(seats_file)


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made with the openssl CLI (the test skips without it)."""
    import shutil

    if shutil.which("openssl") is None:
        pytest.skip("no openssl CLI to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@sync
async def test_a_tls_host_admits_a_player_who_trusts_its_certificate(tmp_path: Path) -> None:
    """With --tls-cert/--tls-key the wire is encrypted: a player trusting the certificate
    plays; one speaking plain TCP, or not trusting it, gets a clear error."""
    import ssl

    from tui.team.facilitator import HostFeed
    from tui.team.host import listen, tls_context

    cert, key = _self_signed(tmp_path)
    session = team_session()
    listener = listen("127.0.0.1", 0)
    address = f"127.0.0.1:{listener.getsockname()[1]}"
    host = HostFeed(session, listener, address, tls=tls_context(str(cert), str(key)))
    await host.start()
    seat = host.host.seats["comms"]
    trusting = ssl.create_default_context(cafile=str(cert))
    marcus = await connect(address, "comms", seat.token, tls=trusting)
    assert marcus.seat() == ("Marcus", "comms")
    with pytest.raises(TeamError, match="cannot reach a drill"):
        await connect(address, "comms", seat.token, tls=ssl.create_default_context())
    with pytest.raises(TeamError):
        await connect(address, "comms", seat.token, timeout=2)
    await shutdown(host, marcus)


@pytest.mark.slow
@sync
async def test_a_browser_takes_a_seat_with_its_token() -> None:
    """The browser seat over real HTTP and a real websocket: the page loads, the console
    asks for the token, and typing it seats the player on the host."""
    import aiohttp

    from tui.cli.hosting import Serving, web_command
    from tui.team.web import serve_web

    session = team_session()
    host, address = await hosted(session)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        web_port = probe.getsockname()[1]
    where = Serving(host.listener, address, "127.0.0.1")
    runner = await serve_web("127.0.0.1", web_port, web_command(where))
    try:
        async with aiohttp.ClientSession() as browser:
            async with browser.get(f"http://127.0.0.1:{web_port}/") as page:
                assert page.status == 200 and "/ws" in await page.text()
            url = f"ws://127.0.0.1:{web_port}/ws?width=100&height=30"
            async with browser.ws_connect(url) as ws:
                await ws.receive(timeout=30)  # the console's first frame
                await asyncio.sleep(1.0)
                await ws.send_json(["stdin", token(address, "comms") + "\r"])
                await until(lambda: "comms" in host.host.taken, "the browser's player", 30.0)
                assert host.presence() == {"Dana": False, "Marcus": True, "Priya": False}
        # The tab closed: textual-serve quits the console process; wait until it has, so
        # no subprocess outlives the event loop.
        await until(lambda: not host.presence()["Marcus"], "the browser's console to quit", 30.0)
        await asyncio.sleep(1.0)
    finally:
        await runner.cleanup()
        await host.aclose()


def test_a_resumed_host_keeps_the_tokens_of_its_seats_file(tmp_path: Path) -> None:
    """After a crash, `host --resume LOG --seats-file F` keeps each seat's token for the
    same person, so players rejoin with the command they have; a changed seat or a
    broken file gets fresh ones."""
    from tui.team.seats import make_seats, tokens_from_seats_file, write_seats_file

    people = {"ic": "Dana", "comms": "Marcus"}
    first = make_seats(people)
    seats_file = tmp_path / "seats.json"
    write_seats_file(seats_file, first, "127.0.0.1:7410", tls=False)
    again = make_seats(people, tokens_from_seats_file(seats_file, people))
    assert {k: s.token for k, s in again.items()} == {k: s.token for k, s in first.items()}
    swapped = tokens_from_seats_file(seats_file, {"ic": "Dana", "comms": "Aisha"})
    assert "comms" not in swapped and swapped["ic"] == first["ic"].token
    seats_file.write_text("not json")
    assert tokens_from_seats_file(seats_file, people) == {}
