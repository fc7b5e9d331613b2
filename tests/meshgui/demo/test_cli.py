"""The `mesh-demo` command line, and `mesh-demo trigger` against a control endpoint."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiohttp import web

from meshgui.connection_file import ConnectionFile, DemoInfo, save_connection_file
from meshgui.demo.__main__ import build_parser, main
from meshgui.demo.control import TriggerError, control_app, trigger
from meshgui.demo.scenarios import UnknownScenarioError


def test_help_documents_scenarios_and_how_to_trigger_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for word in (
        "flaky-inventory",
        "latency-spike",
        "outage",
        "mesh-demo trigger NAME",
        "--connection-file",
        "--tokens-in-connection-file",
        "--duration",
        "keyring",
    ):
        assert word in out, word


def test_defaults_are_fifty_users_per_second_and_a_thirty_second_delay() -> None:
    args = build_parser().parse_args([])
    assert (args.rate, args.scenario_delay, args.scenario, args.duration) == (
        50.0,
        30.0,
        None,
        None,
    )


@pytest.mark.parametrize(
    "argv",
    [["--rate", "0"], ["--scenario", "meteor"], ["--run-id", "Bad/Id"], ["--duration", "-1"]],
)
def test_bad_options_are_refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2


def write_connection(path: Path, control: str) -> None:
    demo = DemoInfo(run_id="r1", pid=1, run_dir=path.parent, control=control)
    save_connection_file(ConnectionFile(name="demo/r1", demo=demo), path)


async def test_trigger_reaches_the_control_endpoint(tmp_path: Path) -> None:
    played: list[str] = []

    async def play(name: str) -> str:
        if name == "reset":
            raise UnknownScenarioError("reset")  # stands in for a refusal
        played.append(name)
        return f"{name} done"

    runner = web.AppRunner(control_app(play))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    path = tmp_path / "c.yaml"
    write_connection(path, f"127.0.0.1:{runner.addresses[0][1]}")
    try:
        said = await asyncio.to_thread(trigger, "outage", path)
        assert said == "outage done" and played == ["outage"]
        with pytest.raises(TriggerError, match="refused reset"):
            await asyncio.to_thread(trigger, "reset", path)
        code = await asyncio.to_thread(
            main, ["trigger", "latency-spike", "--connection-file", str(path)]
        )
        assert code == 0 and played == ["outage", "latency-spike"]
    finally:
        await runner.cleanup()


def test_trigger_says_why_it_cannot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.yaml"
    write_connection(path, "127.0.0.1:9")  # nothing listens on the discard port
    with pytest.raises(TriggerError, match="run r1 is not answering"):
        trigger("outage", path)
    save_connection_file(ConnectionFile(name="someone-elses"), path)
    assert main(["trigger", "outage", "--connection-file", str(path)]) == 1
    assert "does not describe a mesh-demo run" in capsys.readouterr().err
    assert main(["trigger", "outage", "--connection-file", str(tmp_path / "none")]) == 1
