"""One request's way through the sidecar: pick an endpoint, send, maybe retry, forward the answer.

The common path is plain calls: pick, take a pooled connection, write, forward the response
bytes, record. Timers (via the shared `TimerWheel`, one entry per client connection), connects
and backoff engage only for the requests that need them. The policy order follows DESIGN.md:
route -> metrics -> timeout -> retry (budget, backoff) -> breaker -> balancer -> endpoint
(outlier, drain, pool) -> wire.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from proxy.http.wire import LAST_CHUNK, MeshError, chunk
from proxy.policy.retry import backoff_delay

if TYPE_CHECKING:
    from proxy.http.downstream import DownstreamConnection
    from proxy.http.runtime import ProxyRuntime
    from proxy.http.upstream import ConnectionPool, UpstreamConnection
    from proxy.policy.endpoint import EndpointState
    from proxy.routing import Balancer, CompiledRoute, Destination
    from proxy.telemetry import HttpEdge

NO_DEADLINE = float("inf")


class Exchange:
    __slots__ = (
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
        chunked: bool,
        keep_alive: bool,
        route: CompiledRoute | None,
        fixed_edge: HttpEdge | None,
    ) -> None:
        self.rt = rt
        self.down = down
        self.method = method
        self.head = head
        self.chunked = chunked
        self.keep_alive = keep_alive
        self.route = route
        self.fixed_edge = fixed_edge
        self.edge: HttpEdge | None = fixed_edge
        self.body: list[bytes] | None = None
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
        self.up: UpstreamConnection | None = None
        self.endpoint: EndpointState | None = None
        self.dest: Destination | None = None
        self.balancer: Balancer | None = None
        self.started = 0.0

    # -- request side (called by the downstream connection) ----------------------------------
    def on_body(self, data: bytes) -> None:
        if self.chunked:
            data = chunk(data)
        self.request_bytes += len(data)
        up = self.up
        if up is not None:
            up.write(data)
        if up is None or self.retryable_body:
            body = self.body
            if body is None:
                body = self.body = []
            body.append(data)
            self.body_len += len(data)
            if self.retryable_body and self.body_len > self.rt.retry_buffer_bytes:
                self.retryable_body = False
                if up is not None:
                    self.body = None  # already sent and no longer kept for a retry

    def on_request_complete(self) -> None:
        self.body_complete = True
        if self.chunked:
            self.on_body_raw(LAST_CHUNK)

    def on_body_raw(self, data: bytes) -> None:
        up = self.up
        if up is not None:
            up.write(data)
        if up is None or self.retryable_body:
            body = self.body
            if body is None:
                body = self.body = []
            body.append(data)

    # -- start and tries ---------------------------------------------------------------------
    def start(self, now: float) -> None:
        self.started = now
        route = self.route
        if route is None:
            self.fail(MeshError.NO_ROUTE)
            return
        backend = route.only_backend
        dest, balancer = backend if backend is not None else route.pick_backend(self.rt.random)
        self.balancer = balancer
        if not dest.breaker.try_acquire():
            self._record_on(dest.service_edge())
            self.fail(MeshError.OVERFLOW)
            return
        self.dest = dest  # from here on the breaker slot is ours to release
        if route.budget is not None:
            route.budget.record_request()
        if route.timeout is not None:
            self.deadline = now + route.timeout
        self._try(now, None, route, dest, balancer)

    def _try_again(self, now: float, exclude: EndpointState | None) -> None:
        route, dest, balancer = self.route, self.dest, self.balancer
        assert route is not None and dest is not None and balancer is not None
        self._try(now, exclude, route, dest, balancer)

    def _try(
        self,
        now: float,
        exclude: EndpointState | None,
        route: CompiledRoute,
        dest: Destination,
        balancer: Balancer,
    ) -> None:
        endpoint = balancer.pick(now, exclude)
        if endpoint is None:
            if self.fixed_edge is None:
                self.edge = dest.service_edge()
            self.fail(MeshError.NO_HEALTHY_ENDPOINT)
            return
        self.tries += 1
        self.endpoint = endpoint
        self.try_started = now
        endpoint.pending += 1  # EndpointState.on_request_start, without the call
        edge = self.fixed_edge
        if edge is None:
            edge = self.edge = dest.endpoint_edges.get(endpoint) or dest.edge_for(endpoint)
        edge.in_flight += 1
        per_try = route.per_try_timeout
        if per_try is not None:
            self.try_deadline = now + per_try
        deadline = self.deadline if self.deadline < self.try_deadline else self.try_deadline
        if deadline < self.down.timer_at:
            self.down.arm(deadline)
        pool: ConnectionPool | None = endpoint.pool  # type: ignore[assignment]
        if pool is None:
            pool = endpoint.pool = self.rt.pool_for(endpoint.host, endpoint.port)
        conn = pool.take_idle()
        if conn is not None:
            if self.body:
                self._send(conn)
            else:
                self.up = conn
                conn.send(self, self.head)
        elif dest.breaker.try_enter_pending():
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
        body = self.body
        if body:
            conn.send(self, self.head + b"".join(body))
            if not self.retryable_body:
                self.body = None
        else:
            conn.send(self, self.head)

    # -- response side (called by the upstream connection) -----------------------------------
    def on_response_head(self, conn: UpstreamConnection, status: int, raw: bytes) -> bool:
        """The response head arrived (`raw`: it and any bytes after it, ready to forward).

        True: forwarded to the client. False: held back, and a retry is under way."""
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
            edge.record_recovery((self.rt.clock() - self.first_failure) * 1000.0)
        self.response_bytes += len(raw)
        transport = self.down.transport
        if transport is not None:
            transport.write(raw)
        return True

    def write_down(self, data: bytes) -> None:
        self.response_bytes += len(data)
        self.down.write(data)

    def on_response_complete(self, conn: UpstreamConnection) -> None:
        now = self.rt.clock()
        self._end_try(now, failed=self.code >= 500)
        up = self.up
        self.up = None
        if up is not None:
            if self.body_complete:
                up.release()
            else:
                up.close()  # a request still being sent leaves the connection dirty
        self._finish(now)

    def on_upstream_failed(self, conn: UpstreamConnection, *, protocol_error: bool) -> None:
        if self.finished or conn is not self.up:
            return
        self.up = None
        if self.committed:  # mid-response: the client can only be told by closing
            self.flags = "UC"
            self._end_try(self.rt.clock(), failed=True)
            self.down.abort_after(self)
            self._finish(self.rt.clock())
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
        if self.rt.clock() >= self.deadline:
            return False
        if route.budget.try_withdraw():
            return True
        self.flags = "URX"
        return False

    def _try_failed_after_response(self, status: int) -> None:
        now = self.rt.clock()
        failed = self.endpoint
        self._end_try(now, failed=True)
        self._schedule_retry(now, failed)

    def _try_failed(self, error: MeshError, *, retry_ok: bool, free: bool = False) -> None:
        now = self.rt.clock()
        failed = self.endpoint
        self._end_try(now, failed=True)
        if retry_ok and (free or self._may_retry()):
            if free:
                # A stale pooled connection does not use up an attempt, and says nothing
                # against its endpoint, which may take the request again.
                self.tries -= 1
                self._schedule_retry(now, None, immediate=True)
            else:
                self._schedule_retry(now, failed)
            return
        if self.flags == "URX":
            error = MeshError.RETRY_BUDGET_EXHAUSTED
        self.fail(error)

    def _schedule_retry(
        self, now: float, failed: EndpointState | None, immediate: bool = False
    ) -> None:
        """Try again, away from `failed` (the endpoint that just failed) unless it is the only
        one left."""
        if not self.first_failure:
            self.first_failure = now
        edge = self.edge
        if edge is not None and not immediate:
            edge.add_retry()
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
            self._try_again(now, failed)
        else:
            self.rt.loop.call_later(delay, self._retry_now, failed)

    def _retry_now(self, failed: EndpointState | None) -> None:
        if not self.finished:
            self._try_again(self.rt.clock(), failed)

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
            elif endpoint.consecutive_failures:  # nothing to reset on the common path
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
        self._end_try(self.rt.clock(), failed=True)
        if self.committed:
            self.down.abort_after(self)
        else:
            self.code = error.status
            self.flags = error.flag
            self.committed = True
            self.keep_alive = self.keep_alive and self.body_complete
            self.write_down(self.rt.error_response(error, close=not self.keep_alive))
        self._finish(self.rt.clock())

    def _record_on(self, edge: HttpEdge) -> None:
        if self.fixed_edge is None:
            self.edge = edge

    def _finish(self, now: float) -> None:
        if self.finished:
            return
        self.finished = True
        dest = self.dest
        if dest is not None:
            dest.breaker.release()
        edge = self.edge
        if edge is not None:
            edge.record(
                self.code,
                self.flags,
                (now - self.started) * 1000.0,
                self.request_bytes,
                self.response_bytes,
            )
        self.down.on_exchange_done(self, now)

    # -- timers (called through the client connection's entry in the wheel) ------------------
    def on_timer(self, now: float) -> None:
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
            # Wait for the next deadline still ahead; a per-try one that passed while the
            # response streams (or between tries) no longer counts.
            deadline = self.deadline
            if now < self.try_deadline < deadline:
                deadline = self.try_deadline
            if deadline != NO_DEADLINE:
                self.down.arm(deadline)

    def abort(self) -> None:
        """The client went away: stop the upstream work and count it (code 0, flag DC)."""
        if self.finished:
            return
        self._release_up(reusable=False)
        self._end_try(self.rt.clock(), failed=False)
        if not self.committed:
            self.code = 0
        self.flags = "DC"
        self._finish(self.rt.clock())

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
