"""A team game day: named players in the engine, the host/join wire, and the CLI around it."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Static

from simulator.drill.commands import CommandError
from simulator.drill.resume import resume_session
from simulator.drill.session import DrillSession
from simulator.log.jsonl import comparable_lines, read_log
from simulator.scenario.loader import load_scenario
from tests.tui.helpers import command, footer_keys, sync
from tests.tui.teamkit import PLAYERS, hosted, joined, shutdown, team_session, token, until
from tui.app import make_team_app
from tui.cli.main import main
from tui.screens.console import ConsoleScreen
from tui.team.protocol import PROTOCOL, TeamError
from tui.team.view import event_view
from tui.widgets.channel import IncidentChannel
from tui.widgets.commandline import CommandLine
from tui.widgets.header import ConsoleHeader
from tui.widgets.picture import IncidentPicture


# --------------------------------------------------------------------------- engine
def test_players_hold_their_roles_from_the_start_and_act_as_themselves(tmp_path: Path) -> None:
    """Each player's role is theirs at T+0, never automated, and their commands carry
    their name; the header records the seats so the drill can be resumed."""
    session = team_session(tmp_path / "team.jsonl")
    assigned = {e["role"]: e["person"] for e in session.events if e.type == "role.assigned"}
    assert assigned == PLAYERS
    assert session.header["players"] == PLAYERS and session.header["humans"] == [
        "comms",
        "ic",
        "tech",
    ]
    session.advance(300)
    result = session.submit(
        "/status investigating Checkout errors for some customers.", role="comms"
    )
    assert result.accepted and result.event["by"] == "Marcus"
    assert session.submit("/ack", role="ic").event["by"] == "Dana"
    session.advance(1800)
    simulated_posts = [
        e for e in session.events if e.type == "status.posted" and e.get("by") != "Marcus"
    ]
    assert not simulated_posts, "nobody may post for the human Comms Lead"
    session.close()


def test_a_team_drill_resumes_byte_for_byte(tmp_path: Path) -> None:
    """Resume replays every player's commands as theirs: the regenerated log is identical."""
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    commands = [(250, "/ack", "ic"), (260, "/status investigating Errors at checkout.", "comms")]
    commands += [
        (300, "/investigate deploys", "tech"),
        (560, "/flag new-pricing-engine off", "tech"),
    ]
    for path, stop in ((full, 900.0), (part, 400.0)):
        session = team_session(path)
        for at, text, role in commands:
            if at <= stop:
                session.advance(at)
                session.submit(text, role=role)
        session.advance(stop)
        session.close()
    resumed = resume_session(part)
    for at, text, role in commands:
        if at > 400:
            resumed.advance(at)
            resumed.submit(text, role=role)
    resumed.advance(900)
    resumed.close()
    assert comparable_lines(full.read_text().splitlines()) == comparable_lines(
        part.read_text().splitlines()
    )


# --------------------------------------------------------------------------- the wire
@sync
async def test_players_join_act_and_see_everything() -> None:
    """A player's command is applied on the host as theirs; every event reaches every
    client, the facilitator hears who joined, and the clock is the host's."""
    session = team_session()
    host, address = await hosted(session)
    marcus = await joined(address, "comms")
    watcher = await joined(address, None)
    assert marcus.seat() == ("Marcus", "comms") and watcher.seat() is None
    for writer in host.host.clients:  # replies must not wait ~40 ms for a delayed ACK
        sock = writer.get_extra_info("socket")
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    assert host.answers()[0].message.startswith("Marcus joined as Communications Lead")
    host.advance(300)
    host.share_clock(10, False)
    await until(lambda: marcus.now == 300.0, "the clock to reach the player")
    assert marcus.pace() == (10, False)
    reply = marcus.submit("/status investigating Errors at checkout for some customers.")
    assert reply is not None and reply.accepted
    await until(lambda: bool(marcus.answers()), "the host's reply")
    posted = [e for e in session.events if e.type == "status.posted"]
    assert posted and posted[-1]["by"] == "Marcus"
    await until(
        lambda: any(e.type == "status.posted" for e in watcher.events()), "the watcher's copy"
    )
    shown = [e.seq for e in session.events if event_view(e) is not None]
    assert [e.seq for e in watcher.events()] == shown, "everything but the ground truth"
    assert watcher.submit("/ack") is None and watcher.read_only
    bad = marcus.submit("/status sideways")
    assert bad is not None and not bad.accepted and "investigating" in bad.message
    await marcus.aclose()
    await until(lambda: "comms" not in host.host.taken, "the seat to free up")
    assert any("Marcus (Communications Lead) left" in a.message for a in host.answers())
    await shutdown(host, watcher)


@sync
async def test_seats_are_checked_when_joining() -> None:
    """A seat needs its own token: none, another seat's or a made-up one is refused with
    the reason, logged on the host, and the seat's holder is not disturbed; a seat the
    host did not set up is refused by name."""
    host, address = await hosted(team_session())
    marcus = await joined(address, "comms")
    host.answers()
    with pytest.raises(TeamError, match="a wrong token for comms: ask the host"):
        await joined(address, "comms", given=token(address, "tech"))
    with pytest.raises(TeamError, match="no seat has that token"):
        await joined(address, None, given="guess")
    with pytest.raises(TeamError, match="no seat for 'scribe'; the seats are: ic, comms, tech"):
        await joined(address, "scribe", given=token(address, "comms"))
    refusals = [a.message for a in host.answers()]
    assert len(refusals) == 3 and all(
        m.startswith("refused a connection from 127.0.0.1:") for m in refusals
    )
    assert set(host.host.taken) == {"comms"} and marcus.connected
    await shutdown(host, marcus)


@sync
async def test_player_console_sends_commands_and_follows_the_host() -> None:
    """Through the player's console: type a command, see the host's reply and the event."""
    session = team_session()
    host, address = await hosted(session)
    feed = await joined(address, "comms", read=False)
    app = make_team_app(feed, clock=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        console = app.screen
        assert isinstance(console, ConsoleScreen)
        host.advance(300)
        host.share_clock(5, False)
        await until(lambda: console.picture.now >= 300, "the console to follow the host")
        await command(pilot, "/status investigating We are looking into checkout errors.")
        channel = app.screen.query_one(IncidentChannel)
        await until(
            lambda: any("status page" in line.text for line in channel.lines),
            "the status post in the player's channel",
        )
        assert any(e["by"] == "Marcus" for e in session.events if e.type == "status.posted")
        header = str(app.screen.query_one(ConsoleHeader).render())
        assert "You: Marcus as Communications Lead" in header and "5x" in header
        keys = footer_keys(app.screen)
        assert "Status" in keys and "Pause" not in keys, "the host runs the clock"
    await shutdown(host, feed)


# --------------------------------------------------------------------------- CLI
def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_join_without_a_host_says_so() -> None:
    """Nobody listening: a clear error and exit 2, not a traceback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, err = _cli("join", str(port), "--role", "ic")
    assert code == 2 and "give your seat's token" in err
    code, _, err = _cli("join", str(port), "--role", "ic", "--token", "t")
    assert code == 2 and f"cannot reach a drill at 127.0.0.1:{port}" in err
    code, _, err = _cli("join", "nowhere:port", "--role", "ic", "--token", "t")
    assert code == 2 and "give HOST:PORT or PORT" in err
    code, _, err = _cli("join", "7410")
    assert code == 2 and "--role ROLE, or --watch" in err


def test_host_checks_players_and_port() -> None:
    """Bad seats and a busy port are refused before anything starts."""
    code, _, err = _cli("host", "checkout-bad-deploy", "--player", "boss=Ann")
    assert code == 2 and "the roles are ic, tech, comms, scribe" in err
    code, _, err = _cli("host", "checkout-bad-deploy", "--player", "ic=Ann", "--player", "ic=Bo")
    assert code == 2 and "two players for ic" in err
    code, _, err = _cli("host", "checkout-bad-deploy")
    assert code == 2 and "a --player ROLE=NAME for each person" in err
    code, _, err = _cli("host", "checkout-bad-deploy", "--resume", "x.jsonl")
    assert code == 2 and "--resume hosts a logged drill again" in err
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        code, _, err = _cli("host", "checkout-bad-deploy", "--player", "ic=Ann", "--port", port)
    assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in err


def test_host_log_is_an_ordinary_drill_log(tmp_path: Path) -> None:
    """Scoring reads a team drill like any other: players' roles count as staffed."""
    path = tmp_path / "team.jsonl"
    session = team_session(path)
    session.advance(250)
    session.submit("/ack", role="ic")
    session.submit("/status investigating Errors at checkout for some customers.", role="comms")
    session.advance(400)
    session.close()
    code, out, _ = _cli("score", str(path))
    assert code == 0 and "comms role given to Marcus" in out
    assert read_log(path).header["players"] == PLAYERS


# --------------------------------------------------------------------------- facilitator
def test_facilitator_injects_surprises_that_resume_replays(tmp_path: Path) -> None:
    """/inject adds an executive's question, a customer's report, a surge or a dropped
    teammate now; players see only the effect, and a resumed drill applies it again."""
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    for path, stop in ((full, 900.0), (part, 400.0)):
        session = team_session(path)
        session.advance(300)
        event = session.facilitate("/inject exec Are we losing orders? The board asks.")
        assert event.type == "inject.applied" and event["kind"] == "executive_ask"
        asks = [e for e in session.events if e.get("kind") == "executive_ask"]
        assert asks[-1]["text"] == "Are we losing orders? The board asks." and asks[-1].t == 300
        session.facilitate("/inject customer checkout")
        assert session.events[-1].get("kind") == "customer_report"
        if stop > 400:
            session.advance(500)
            session.facilitate("/inject surge 80")
            assert session.events[-1]["tickets"] == 80
            session.facilitate("/inject drop scribe 5m")
        session.advance(stop)
        session.close()
    resumed = resume_session(part)
    resumed.advance(500)
    resumed.facilitate("/inject surge 80")
    resumed.facilitate("/inject drop scribe 5m")
    resumed.advance(900)
    resumed.close()
    assert comparable_lines(full.read_text().splitlines()) == comparable_lines(
        part.read_text().splitlines()
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/ack", "the facilitator's commands are injects"),
        ("/inject ceo", "unknown inject 'ceo'"),
        ("/inject drop", "which role drops off?"),
        ("/inject drop tech soon", "/inject drop ROLE [BACK_AFTER]"),
        ("/inject surge lots", "'lots' is not a number of tickets"),
        ("/inject fault bad-deploy", "no fault waiting for an inject is called 'bad-deploy'"),
        ("/inject customer nosuchsvc hello", "no service is called 'nosuchsvc'"),
        ("/inject drop comms", "Marcus is a person at the drill: a human can't be dropped"),
        ("/inject drop ic 5m", "Dana is a person at the drill"),
    ],
)
def test_a_wrong_inject_says_what_was_expected_and_logs_nothing(text: str, expected: str) -> None:
    """Typos are refused with the usage; nothing reaches the log."""
    session = team_session()
    before = len(session.events)
    with pytest.raises(CommandError, match=re.escape(expected)):
        session.facilitate(text)
    assert len(session.events) == before


@sync
async def test_injects_reach_players_as_their_effect_only() -> None:
    """The facilitator types /inject on the host; a player sees the executive's
    question, not the inject."""
    session = team_session()
    host, address = await hosted(session)
    marcus = await joined(address, "comms")
    host.advance(300)
    reply = host.submit("/inject exec Where is the status page update?")
    assert reply is not None and reply.accepted and "executive ask" in reply.message
    refused = host.submit("/ack")
    assert refused is not None and not refused.accepted
    await until(
        lambda: any(e.get("kind") == "executive_ask" for e in marcus.events()),
        "the executive's question at the player's console",
    )
    assert not any(e.type == "inject.applied" for e in marcus.events()), "not even on the wire"
    console_view = IncidentPicture.from_header(marcus.header, seat=marcus.seat())
    assert console_view.visible(marcus.events()[-1])
    await shutdown(host, marcus)


def test_the_facilitator_prompt_completes_injects() -> None:
    """Tab completion offers /inject, its kinds, then services, roles or waiting faults."""
    from tui.widgets.commandline import Vocabulary, complete

    vocab = Vocabulary(
        services=("checkout", "web"), faults=("usw2-saturation",), commands=("inject",)
    )
    assert complete("/in", vocab) == "/inject"
    assert complete("/ack", vocab) is None, "players' commands are not offered"
    assert complete("/inject cu", vocab) == "/inject customer"
    assert complete("/inject customer ch", vocab) == "/inject customer checkout"
    assert complete("/inject drop te", vocab) == "/inject drop tech"
    assert complete("/inject fault u", vocab) == "/inject fault usw2-saturation"


@pytest.mark.slow
@sync
async def test_the_facilitator_sees_the_score_so_far() -> None:
    """F8 on the host opens the debrief mid-drill (players must wait for the end)."""
    from tui.screens.debrief import DebriefScreen

    session = team_session()
    host, _ = await hosted(session)
    app = make_team_app(host, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        host.advance(400)
        session.submit("/ack")
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen) and not session.ended
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConsoleScreen)
    await host.aclose()


@sync
async def test_the_host_answers_protocol_mistakes_and_survives_garbage() -> None:
    """Raw clients: a watcher's command and a non-text command get a reason; a line that
    is not JSON drops only that client; an old protocol is refused by name."""
    import json

    session = team_session()
    host, address = await hosted(session)
    port = int(address.rsplit(":", 1)[1])

    async def client(hello: dict[str, object]) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 24)
        writer.write((json.dumps({"hello": hello}) + "\n").encode())
        return reader, writer

    async def reply(reader: asyncio.StreamReader) -> dict[str, object]:
        while True:
            message = json.loads(await reader.readline())
            if "reply" in message or "refused" in message:
                return dict(message)

    protocol = PROTOCOL
    r1, w1 = await client({"protocol": protocol, "watch": True, "token": token(address, None)})
    await r1.readline()  # the welcome
    w1.write(b'{"command": "/ack"}\n')
    assert "You are watching" in str((await reply(r1))["reply"])
    r2, w2 = await client({"protocol": protocol, "role": "tech", "token": token(address, "tech")})
    await r2.readline()
    w2.write(b'{"command": 5}\n')
    assert "expected" in str((await reply(r2))["reply"])
    w2.write(b"this is not json\n")
    assert await r2.read() == b"", "the host hangs up on garbage"
    await until(lambda: "tech" not in host.host.taken, "the seat to free up")
    r3, w3 = await client({"protocol": "gameday-team/0", "role": "ic"})
    assert "update gameday on both ends" in str(await reply(r3))
    r4, w4 = await client({"protocol": protocol, "role": ["ic"], "token": "x"})
    assert "no seat for 'list'" in str(await reply(r4))
    r5, w5 = await asyncio.open_connection("127.0.0.1", port, limit=1 << 24)
    w5.write(b"[" * 50_000 + b"\n")  # deeper than json.loads can recurse; under the line limit
    assert "update gameday" in str(await reply(r5))
    host.advance(120)  # the drill goes on
    assert session.now == 120
    for writer in (w1, w2, w3, w4, w5):
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    await host.aclose()


@sync
async def test_the_facilitator_header_shows_who_has_joined() -> None:
    """Each player's name in the host's header gets ○ until they join, then ●."""
    session = team_session()
    host, address = await hosted(session)
    app = make_team_app(host, clock=True)
    async with app.run_test(size=(120, 40)) as pilot:
        header = app.screen.query_one(ConsoleHeader)
        await until(lambda: "Marcus ○" in str(header.render()), "Marcus shown as away")
        marcus = await joined(address, "comms")
        await until(lambda: "Marcus ●" in str(header.render()), "Marcus shown as joined")
        assert "Priya ○" in str(header.render())
        await pilot.pause()
    await shutdown(host, marcus)


@sync
async def test_a_team_drill_replays_as_the_team() -> None:
    """Replaying a team drill's log shows the team, not one player as 'You'."""
    from tui.app import make_replay_app

    session = team_session()
    session.advance(600)
    app = make_replay_app(session.header, list(session.events), clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        header = str(app.screen.query_one(ConsoleHeader).render())
        assert "Team:" in header and "IC: Dana" in header and "Comms: Marcus" in header
        assert "You:" not in header


@pytest.mark.parametrize("then", ["enter", "x"])
@sync
async def test_a_task_handed_to_a_player_lands_on_their_prompt(then: str) -> None:
    """The IC's `/investigate deploys @tech` reaches Priya's console as a ready command,
    selected: Enter runs it, and typing replaces it instead of being appended to it."""
    session = team_session()
    host, address = await hosted(session)
    feed = await joined(address, "tech", read=False)
    app = make_team_app(feed, clock=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        host.advance(300)
        assert session.submit("/investigate deploys @tech", role="ic").accepted
        prompt = app.screen.query_one(CommandLine)
        await until(lambda: prompt.value == "/investigate deploys", "the task on the prompt")
        feedback = str(app.screen.query_one("#feedback", Static).render())
        assert "Dana asks you: /investigate deploys" in feedback
        await pilot.press(then)
        if then == "x":
            assert prompt.value == "x"
        else:
            await until(
                lambda: any(
                    e.type == "investigation.started" and e["by"] == "Priya" for e in session.events
                ),
                "Priya's investigation on the host",
            )
    await shutdown(host, feed)


def test_a_fault_injected_twice_is_refused_the_second_time() -> None:
    """`/inject fault F` starts a waiting fault once; again, it says when it started
    instead of reporting success with no effect."""
    loaded = load_scenario("region-outage")
    session = DrillSession(loaded.scenario, seed=7, players={"comms": "Marcus"})
    session.advance(60)
    assert session.facilitate("/inject fault usw2-saturation").type == "inject.applied"
    before = len(session.events)
    session.advance(120)
    with pytest.raises(CommandError, match=r"usw2-saturation already started at T\+01:00"):
        session.facilitate("/inject fault usw2-saturation")
    assert [e for e in session.events[before:] if e.type == "inject.applied"] == []
