"""One request's way through the sidecar: pick an endpoint, send, maybe retry, forward the answer.

The common path is plain calls: pick, take a pooled connection, write, forward the response
bytes, record. Timers (via the shared `TimerWheel`), connects and backoff engage only for the
requests that need them. The policy order follows DESIGN.md: route -> metrics -> timeout ->
retry (budget, backoff) -> breaker -> balancer -> endpoint (outlier, drain, pool) -> wire.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from proxy.http.upstream import ConnectionPool, UpstreamConnection
from proxy.http.wire import LAST_CHUNK, MeshError, chunk
from proxy.policy.retry import backoff_delay

if TYPE_CHECKING:
    from proxy.http.downstream import DownstreamConnection
    from proxy.http.runtime import ProxyRuntime
    from proxy.policy.endpoint import EndpointState
    from proxy.routing import Balancer, CompiledRoute, Destination
    from proxy.telemetry import HttpEdge

NO_DEADLINE = float("inf")


class Exchange:
    __slots__ = (
        "_timer_key",
        "balancer",
        "body",
        "body_complete",
        "body_len",
        "chunked",
        "code",
        "committed",
        "deadline",
        "dest",
        "down",
        "edge",
        "endpoint",
        "finished",
        "first_failure",
        "fixed_edge",
        "flags",
        "head",
        "is_head",
        "keep_alive",
        "method",
        "request_bytes",
        "response_bytes",
        "retryable_body",
        "route",
        "rt",
        "started",
        "tries",
        "try_deadline",
        "try_started",
        "up",
    )

    def __init__(
        self,
        rt: ProxyRuntime,
        down: DownstreamConnection,
        method: bytes,
        head: bytes,
        *,
        chunked: bool,
        keep_alive: bool,
        route: CompiledRoute | None,
        fixed_edge: HttpEdge | None = None,
    ) -> None:
        self.rt = rt
        self.down = down
        self.method = method
        self.is_head = method == b"HEAD"
        self.head = head
        self.chunked = chunked
        self.keep_alive = keep_alive
        self.route = route
        self.fixed_edge = fixed_edge
        self.body: list[bytes] = []
        self.body_len = 0
        self.body_complete = False
        self.retryable_body = True
        self.request_bytes = len(head)
        self.response_bytes = 0
        self.code = 0
        self.flags = "-"
        self.committed = False
        self.finished = False
        self.tries = 0
        self.first_failure = 0.0
        self.deadline = NO_DEADLINE
        self.try_deadline = NO_DEADLINE
        self._timer_key = -1
        self.up: UpstreamConnection | None = None
        self.endpoint: EndpointState | None = None
        self.dest: Destination | None = None
        self.balancer: Balancer | None = None
        self.edge: HttpEdge | None = fixed_edge
        self.started = 0.0
        self.try_started = 0.0

    # -- request side (called by the downstream connection) ----------------------------------
    def on_body(self, data: bytes) -> None:
        if self.chunked:
            data = chunk(data)
        self.request_bytes += len(data)
        up = self.up
        if up is not None:
            up.write(data)
        if up is None or self.retryable_body:
            self.body.append(data)
            self.body_len += len(data)
            if self.retryable_body and self.body_len > self.rt.retry_buffer_bytes:
                self.retryable_body = False
                if up is not None:
                    self.body = []  # already sent and no longer kept for a retry

    def on_request_complete(self) -> None:
        self.body_complete = True
        if self.chunked:
            self.on_body_raw(LAST_CHUNK)

    def on_body_raw(self, data: bytes) -> None:
        up = self.up
        if up is not None:
            up.write(data)
        if up is None or self.retryable_body:
            self.body.append(data)

    # -- start and tries ---------------------------------------------------------------------
    def start(self) -> None:
        rt = self.rt
        now = rt.loop.time()
        self.started = now
        route = self.route
        if route is None:
            self.fail(MeshError.NO_ROUTE)
            return
        dest, balancer = route.pick_backend(rt.random)
        self.dest = dest
        self.balancer = balancer
        if not dest.breaker.try_acquire():
            self.dest = None  # nothing to release
            self._record_on(dest.service_edge())
            self.fail(MeshError.OVERFLOW)
            return
        if route.budget is not None:
            route.budget.record_request()
        if route.timeout is not None:
            self.deadline = now + route.timeout
        self._try(now, None)

    def _try(self, now: float, exclude: EndpointState | None) -> None:
        assert self.balancer is not None and self.dest is not None and self.route is not None
        endpoint = self.balancer.pick(now, exclude)
        if endpoint is None:
            if self.fixed_edge is None:
                self.edge = self.dest.service_edge()
            self.fail(MeshError.NO_HEALTHY_ENDPOINT)
            return
        self.tries += 1
        self.endpoint = endpoint
        self.try_started = now
        endpoint.on_request_start()
        if self.fixed_edge is None:
            self.edge = self.dest.edge_for(endpoint)
        edge = self.edge
        assert edge is not None
        edge.in_flight += 1
        per_try = self.route.per_try_timeout
        self.try_deadline = now + per_try if per_try is not None else NO_DEADLINE
        self._arm_timer()
        pool = endpoint.pool
        if pool is None:
            pool = endpoint.pool = self.rt.pool_for(endpoint.host, endpoint.port)
        assert isinstance(pool, ConnectionPool)
        conn = pool.take_idle()
        if conn is not None:
            self._send(conn)
        elif self.dest.breaker.try_enter_pending():
            tries = self.tries
            pool.connect(lambda c, e: self._connected(tries, c, e))
        else:
            self._end_try(now, failed=True)
            self.fail(MeshError.OVERFLOW)

    def _connected(
        self, tries: int, conn: UpstreamConnection | None, error: BaseException | None
    ) -> None:
        if self.dest is not None:
            self.dest.breaker.leave_pending()
        if self.finished or tries != self.tries:  # timed out or moved on meanwhile
            if conn is not None:
                conn.close()
            return
        if conn is None:
            self._try_failed(MeshError.CONNECT_FAILURE, retry_ok=self.route_conditions_connect())
            return
        self._send(conn)

    def route_conditions_connect(self) -> bool:
        return self.route is not None and self.route.conditions.for_connect_failure()

    def _send(self, conn: UpstreamConnection) -> None:
        self.up = conn
        if self.body:
            conn.send(self, self.head + b"".join(self.body))
            if not self.retryable_body:
                self.body = []
        else:
            conn.send(self, self.head)

    # -- response side (called by the upstream connection) -----------------------------------
    def on_response_head(self, conn: UpstreamConnection, status: int) -> bool:
        """True: forward this response. False: it was held back and a retry is under way."""
        route = self.route
        if (
            status >= 500
            and route is not None
            and route.conditions.for_status(status)
            and self._may_retry()
        ):
            self._release_up(reusable=False)
            self._try_failed_after_response(status)
            return False
        self.committed = True
        self.code = status
        if self.first_failure and status < 500:
            edge = self.edge
            assert edge is not None
            edge.record_recovery((self.rt.loop.time() - self.first_failure) * 1000.0)
        return True

    def write_down(self, data: bytes) -> None:
        self.response_bytes += len(data)
        self.down.write(data)

    def on_response_complete(self, conn: UpstreamConnection) -> None:
        now = self.rt.loop.time()
        self._end_try(now, failed=self.code >= 500)
        reusable = self.body_complete  # a request still being sent leaves the connection dirty
        self._release_up(reusable=reusable)
        self._finish(now)

    def on_upstream_failed(self, conn: UpstreamConnection, *, protocol_error: bool) -> None:
        if self.finished or conn is not self.up:
            return
        self.up = None
        if self.committed:  # mid-response: the client can only be told by closing
            self.flags = "UC"
            self._end_try(self.rt.loop.time(), failed=True)
            self.down.abort_after(self)
            self._finish(self.rt.loop.time())
            return
        stale = conn.reused and not protocol_error and self._may_resend_on_fresh_connection()
        retry_ok = stale or (self.route is not None and self.route.conditions.for_reset())
        self._try_failed(MeshError.UPSTREAM_RESET, retry_ok=retry_ok, free=stale)

    def _may_resend_on_fresh_connection(self) -> bool:
        # A pooled connection the server closed while idle: the request never reached the app.
        return (
            self.body_complete
            and self.retryable_body
            and self.route is not None
            and (self.route.may_retry_method(self.method))
        )

    # -- failures, retries and the end -------------------------------------------------------
    def _may_retry(self) -> bool:
        """Whether one more try is allowed; withdraws from the retry budget when it is. A refusal
        by the budget alone is marked in `flags` (URX) so dashboards can tell it apart."""
        route = self.route
        if route is None or route.budget is None or self.tries > route.attempts:
            return False
        if not (self.body_complete and self.retryable_body and route.may_retry_method(self.method)):
            return False
        if self.rt.loop.time() >= self.deadline:
            return False
        if route.budget.try_withdraw():
            return True
        self.flags = "URX"
        return False

    def _try_failed_after_response(self, status: int) -> None:
        now = self.rt.loop.time()
        self._end_try(now, failed=True)
        self._schedule_retry(now)

    def _try_failed(self, error: MeshError, *, retry_ok: bool, free: bool = False) -> None:
        now = self.rt.loop.time()
        self._end_try(now, failed=True)
        if retry_ok and (free or self._may_retry()):
            if free:
                self.tries -= 1  # a stale pooled connection does not use up an attempt
            self._schedule_retry(now, immediate=free)
            return
        if self.flags == "URX":
            error = MeshError.RETRY_BUDGET_EXHAUSTED
        self.fail(error)

    def _schedule_retry(self, now: float, immediate: bool = False) -> None:
        if not self.first_failure:
            self.first_failure = now
        edge = self.edge
        if edge is not None and not immediate:
            edge.add_retry()
        failed = self.endpoint
        route = self.route
        assert route is not None
        delay = (
            0.0
            if immediate
            else backoff_delay(
                self.tries - 1, route.backoff_base, route.backoff_max, self.rt.random_gen
            )
        )
        if delay <= 0:
            self._try(now, failed)
        else:
            self.rt.loop.call_later(delay, self._retry_now, failed)

    def _retry_now(self, failed: EndpointState | None) -> None:
        if not self.finished:
            self._try(self.rt.loop.time(), failed)

    def _end_try(self, now: float, *, failed: bool) -> None:
        endpoint = self.endpoint
        if endpoint is None:
            return
        self.endpoint = None
        endpoint.on_request_end(now - self.try_started, now, failed)
        dest = self.dest
        if dest is not None:
            if failed:
                if dest.outlier.on_failure(endpoint, now):
                    self.rt.on_endpoint_ejected(dest, endpoint)
            else:
                dest.outlier.on_success(endpoint)
        edge = self.edge
        if edge is not None:
            edge.in_flight -= 1

    def _release_up(self, *, reusable: bool) -> None:
        up = self.up
        self.up = None
        if up is not None:
            if reusable:
                up.release()
            else:
                up.close()

    def fail(self, error: MeshError) -> None:
        """Answer with the mesh's own error (marked x-mesh-error), unless already answering."""
        if self.finished:
            return
        self._release_up(reusable=False)
        self._end_try(self.rt.loop.time(), failed=True)
        if self.committed:
            self.down.abort_after(self)
        else:
            self.code = error.status
            self.flags = error.flag
            self.committed = True
            self.keep_alive = self.keep_alive and self.body_complete
            self.write_down(self.rt.error_response(error, close=not self.keep_alive))
        self._finish(self.rt.loop.time())

    def _record_on(self, edge: HttpEdge) -> None:
        if self.fixed_edge is None:
            self.edge = edge

    def _finish(self, now: float) -> None:
        if self.finished:
            return
        self.finished = True
        if self._timer_key >= 0:
            self.rt.timers.cancel(self._timer_key, self)
        if self.dest is not None:
            self.dest.breaker.release()
        edge = self.edge
        if edge is not None:
            edge.record(
                self.code,
                self.flags,
                (now - self.started) * 1000.0,
                self.request_bytes,
                self.response_bytes,
            )
        self.down.on_exchange_done(self)

    # -- timers ------------------------------------------------------------------------------
    def _arm_timer(self) -> None:
        deadline = min(self.deadline, self.try_deadline)
        if deadline == NO_DEADLINE:
            return
        if self._timer_key >= 0:
            self.rt.timers.cancel(self._timer_key, self)
        self._timer_key = self.rt.timers.schedule(deadline, self)

    def on_timer(self, now: float) -> None:
        self._timer_key = -1
        if self.finished:
            return
        if now >= self.deadline:
            self.flags = "UT"
            self.fail(MeshError.UPSTREAM_TIMEOUT)
        elif now >= self.try_deadline and not self.committed and self.endpoint is not None:
            self._release_up(reusable=False)
            route = self.route
            retry_ok = route is not None and route.conditions.for_status(504)
            self._try_failed(MeshError.UPSTREAM_TIMEOUT, retry_ok=retry_ok)
        else:
            self._arm_timer()

    def abort(self) -> None:
        """The client went away: stop the upstream work and count it (code 0, flag DC)."""
        if self.finished:
            return
        self._release_up(reusable=False)
        self._end_try(self.rt.loop.time(), failed=False)
        if not self.committed:
            self.code = 0
        self.flags = "DC"
        self._finish(self.rt.loop.time())

    # -- back-pressure -----------------------------------------------------------------------
    def pause_down_reading(self) -> None:
        self.down.pause_reading()

    def resume_down_reading(self) -> None:
        self.down.resume_reading()

    def pause_up_reading(self) -> None:
        if self.up is not None and self.up.transport is not None:
            self.up.transport.pause_reading()

    def resume_up_reading(self) -> None:
        if self.up is not None and self.up.transport is not None:
            self.up.transport.resume_reading()
