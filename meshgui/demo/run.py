"""One run of the demo shop, from start to stop: processes, readiness, connection file, users,
scenarios, and a clean end (Ctrl-C, SIGTERM, `--duration`) that leaves nothing behind but logs."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sys
import tempfile
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TextIO

import aiohttp
from aiohttp import web

from meshgui.connection_file import ConnectionFile, DemoInfo, SidecarEntry, save_connection_file
from meshgui.demo.control import control_app
from meshgui.demo.launch_plan import app_command, readiness_checks, sidecar_command
from meshgui.demo.loadgen import LoadGenerator, LoadStats
from meshgui.demo.mesh_config import mesh_config, sidecar_file, sidecar_yaml
from meshgui.demo.options import DemoOptions, default_connection_file
from meshgui.demo.plan import DemoPlan
from meshgui.demo.ports import LOOPBACK
from meshgui.demo.readiness import NotReadyError, StartInterruptedError, wait_ready
from meshgui.demo.report import load_line, sidecar_table, token_note
from meshgui.demo.scenarios import SCENARIOS, play
from meshgui.demo.stage import DemoStage
from meshgui.demo.supervisor import Supervisor
from meshgui.demo.tokens import DemoTokens, IssuedToken


class DemoRun:
    """Runs the shop until stopped; also the `scenarios.Stage` the scenarios act on."""

    def __init__(self, options: DemoOptions, out: TextIO | None = None) -> None:
        self.options = options
        self.out = out or sys.stdout
        self.stop = asyncio.Event()
        self.plan = DemoPlan.allocate()
        if options.log_dir is not None:
            options.log_dir.mkdir(parents=True, exist_ok=True)
        self.run_dir = Path(
            tempfile.mkdtemp(prefix=f"mesh-demo-{options.run_id}-", dir=options.log_dir)
        )
        self.connection_path = options.connection_file or default_connection_file(
            options.run_id, self.run_dir
        )
        self.supervisor = Supervisor(self.run_dir)
        self.tokens = DemoTokens(options.run_id, inline=options.tokens_in_connection_file)
        self.issued: dict[str, IssuedToken] = {}
        self.control_address = ""
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._reading_stdin = False
        self.stats: LoadStats | None = None
        """The users' view; exists once the users have started."""

    def say(self, text: str, *, err: bool = False) -> None:
        print(f"mesh-demo: {text}", file=sys.stderr if err else self.out, flush=True)

    # -- start and stop ----------------------------------------------------------------------
    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.stop.set)
        started = loop.time()
        self.say(f"run {self.options.run_id}: logs in {self.run_dir}")
        self._session = aiohttp.ClientSession()
        control: web.AppRunner | None = None
        try:
            self._start_processes()
            checks = readiness_checks(self.plan.instances, self.supervisor)
            await wait_ready(checks, self.options.ready_timeout, self.stop)
            control = await self._start_control()
            self._write_connection_file()
            self._announce(loop.time() - started)
            self._start_traffic()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), self.options.duration)
            return 0
        except NotReadyError as exc:
            self.say(str(exc), err=True)
            return 1
        except StartInterruptedError:
            return 0
        finally:
            await self._shutdown(control)

    def _start_processes(self) -> None:
        # Apps first: they import while the sidecars' config files are being written.
        seed = self.options.seed
        for index, member in enumerate(self.plan.instances):
            app_seed = None if seed is None else seed + index
            command = app_command(member, self.options.run_id, app_seed)
            self.supervisor.start(member.name, "app", command)
        mesh = mesh_config(self.plan)
        for member in self.plan.instances:
            issued = self.tokens.issue(member.name)
            self.issued[member.name] = issued
            config_path = self.run_dir / f"{member.name}.sidecar.yaml"
            config_path.write_text(sidecar_yaml(sidecar_file(member, mesh, issued.file)))
            self.supervisor.start(member.name, "sidecar", sidecar_command(config_path))

    async def _start_control(self) -> web.AppRunner:
        runner = web.AppRunner(control_app(self.trigger), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, LOOPBACK, 0).start()  # port 0: the kernel picks a free one
        self.control_address = f"{LOOPBACK}:{runner.addresses[0][1]}"
        return runner

    async def _shutdown(self, control: web.AppRunner | None) -> None:
        self.stop.set()
        self._stop_reading_stdin()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self.stats is not None:
            whole = self.stats.whole_run()
            self.say("whole run: " + load_line(whole.seconds, whole))
        if control is not None:
            await control.cleanup()
        if self._session is not None:
            await self._session.close()
        killed = self.supervisor.stop_all()
        if killed:
            self.say(f"{len(killed)} process(es) did not stop in time and were killed")
        self.tokens.withdraw()
        with contextlib.suppress(FileNotFoundError):
            self.connection_path.unlink()
        self.say(f"stopped; logs kept in {self.run_dir}")

    # -- what the user sees ------------------------------------------------------------------
    def connection(self) -> ConnectionFile:
        entries = []
        for member in self.plan.instances:
            entries.append(
                SidecarEntry(
                    service=member.service,
                    instance=member.name,
                    version=member.version,
                    admin=member.admin_address,
                    metrics_url=member.metrics_url,
                    token=self.issued[member.name].ref,
                    pid=self.supervisor.find(member.name, "sidecar").pid,
                    app_pid=self.supervisor.find(member.name, "app").pid,
                )
            )
        demo = DemoInfo(
            run_id=self.options.run_id,
            pid=os.getpid(),
            run_dir=self.run_dir,
            control=self.control_address,
        )
        return ConnectionFile(name=self.tokens.profile, sidecars=tuple(entries), demo=demo)

    def _write_connection_file(self) -> None:
        save_connection_file(self.connection(), self.connection_path)

    def _announce(self, seconds: float) -> None:
        connection = self.connection()
        count = len(connection.sidecars)
        self.say(f"{count} sidecars ready in {seconds:.1f} s")
        print(sidecar_table(connection), file=self.out, flush=True)
        self.say(f"connection file: {self.connection_path}")
        self.say(f"  open it with: meshgui --connection-file {self.connection_path}")
        self.say(token_note(connection))
        entry = self.plan.entry.inbound_address
        self.say(f"users: {self.options.rate:g} req/s into web's sidecar at {entry}")
        names = ", ".join(SCENARIOS)
        how = f"mesh-demo trigger NAME --connection-file {self.connection_path}"
        typing = " or type its name here" if sys.stdin.isatty() else ""
        self.say(f"scenarios: {names}; trigger one with `{how}`{typing}")

    # -- running -----------------------------------------------------------------------------
    def _start_traffic(self) -> None:
        self.stats = stats = LoadStats(asyncio.get_running_loop().time)
        rng = random.Random(self.options.seed)
        users = LoadGenerator(
            f"http://{self.plan.entry.inbound_address}", self.options.rate, rng, stats
        )
        self._spawn(users.run(self.stop), "users")
        self._spawn(self._report(stats), "report")
        self._spawn(self._watch(), "watch children")
        if self.options.scenario is not None:
            self._spawn(self._scenario_later(self.options.scenario), "scheduled scenario")
        if sys.stdin.isatty():
            asyncio.get_running_loop().add_reader(sys.stdin.fileno(), self._on_stdin)
            self._reading_stdin = True

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> None:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _report(self, stats: LoadStats) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        while True:
            await asyncio.sleep(self.options.report_every)
            self.say(load_line(loop.time() - started, stats.take_window()))

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            for child in self.supervisor.newly_exited():
                if child.expected_down:
                    self.say(f"{child.label} is down, as the scenario wanted")
                else:
                    code = child.proc.returncode
                    self.say(
                        f"{child.label} exited with code {code}; log: {child.log_path}", err=True
                    )

    async def _scenario_later(self, name: str) -> None:
        delay = self.options.scenario_delay
        if delay > 0:
            self.say(f"scenario {name} starts in {delay:g} s")
            await asyncio.sleep(delay)
        await self._trigger_reporting_failure(name)

    async def _trigger_reporting_failure(self, name: str) -> None:
        try:
            await self.trigger(name)
        except Exception as exc:  # a scenario that fails is news, not the end of the demo
            self.say(f"scenario {name} failed: {exc}", err=True)

    def _on_stdin(self) -> None:
        line = sys.stdin.readline()
        if not line:
            self._stop_reading_stdin()
            return
        name = line.strip()
        if name in SCENARIOS:
            self._spawn(self._trigger_reporting_failure(name), f"scenario {name}")
        elif name:
            self.say(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")

    def _stop_reading_stdin(self) -> None:
        if self._reading_stdin:
            asyncio.get_running_loop().remove_reader(sys.stdin.fileno())
            self._reading_stdin = False

    async def trigger(self, name: str) -> str:
        assert self._session is not None
        stage = DemoStage(self.plan, self.supervisor, self._session, self._write_connection_file)
        done = await play(name, stage)
        self.say(f"scenario {name}: {done}")
        return done
