from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SidecarState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SIDECAR_STATE_UNSPECIFIED: _ClassVar[SidecarState]
    SIDECAR_STATE_STARTING: _ClassVar[SidecarState]
    SIDECAR_STATE_READY: _ClassVar[SidecarState]
    SIDECAR_STATE_DRAINING: _ClassVar[SidecarState]

class Reporter(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPORTER_UNSPECIFIED: _ClassVar[Reporter]
    REPORTER_SOURCE: _ClassVar[Reporter]
    REPORTER_DESTINATION: _ClassVar[Reporter]
SIDECAR_STATE_UNSPECIFIED: SidecarState
SIDECAR_STATE_STARTING: SidecarState
SIDECAR_STATE_READY: SidecarState
SIDECAR_STATE_DRAINING: SidecarState
REPORTER_UNSPECIFIED: Reporter
REPORTER_SOURCE: Reporter
REPORTER_DESTINATION: Reporter

class GetInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Listener(_message.Message):
    __slots__ = ("name", "address")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    name: str
    address: str
    def __init__(self, name: _Optional[str] = ..., address: _Optional[str] = ...) -> None: ...

class Info(_message.Message):
    __slots__ = ("service", "namespace", "instance", "labels", "sidecar_version", "listeners", "config_version", "started_at", "state")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    SIDECAR_VERSION_FIELD_NUMBER: _ClassVar[int]
    LISTENERS_FIELD_NUMBER: _ClassVar[int]
    CONFIG_VERSION_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    service: str
    namespace: str
    instance: str
    labels: _containers.ScalarMap[str, str]
    sidecar_version: str
    listeners: _containers.RepeatedCompositeFieldContainer[Listener]
    config_version: int
    started_at: float
    state: SidecarState
    def __init__(self, service: _Optional[str] = ..., namespace: _Optional[str] = ..., instance: _Optional[str] = ..., labels: _Optional[_Mapping[str, str]] = ..., sidecar_version: _Optional[str] = ..., listeners: _Optional[_Iterable[_Union[Listener, _Mapping]]] = ..., config_version: _Optional[int] = ..., started_at: _Optional[float] = ..., state: _Optional[_Union[SidecarState, str]] = ...) -> None: ...

class GetConfigRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ConfigState(_message.Message):
    __slots__ = ("version", "document")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    version: int
    document: str
    def __init__(self, version: _Optional[int] = ..., document: _Optional[str] = ...) -> None: ...

class ApplyConfigRequest(_message.Message):
    __slots__ = ("document", "expected_version")
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    document: str
    expected_version: int
    def __init__(self, document: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ApplyConfigResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: int
    def __init__(self, version: _Optional[int] = ...) -> None: ...

class ConfigProblems(_message.Message):
    __slots__ = ("problems",)
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    problems: _containers.RepeatedCompositeFieldContainer[ConfigProblem]
    def __init__(self, problems: _Optional[_Iterable[_Union[ConfigProblem, _Mapping]]] = ...) -> None: ...

class ConfigProblem(_message.Message):
    __slots__ = ("path", "reason", "line")
    PATH_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    path: str
    reason: str
    line: int
    def __init__(self, path: _Optional[str] = ..., reason: _Optional[str] = ..., line: _Optional[int] = ...) -> None: ...

class SetDrainRequest(_message.Message):
    __slots__ = ("target", "drained")
    TARGET_FIELD_NUMBER: _ClassVar[int]
    DRAINED_FIELD_NUMBER: _ClassVar[int]
    target: str
    drained: bool
    def __init__(self, target: _Optional[str] = ..., drained: _Optional[bool] = ...) -> None: ...

class SetDrainResponse(_message.Message):
    __slots__ = ("config_version",)
    CONFIG_VERSION_FIELD_NUMBER: _ClassVar[int]
    config_version: int
    def __init__(self, config_version: _Optional[int] = ...) -> None: ...

class WatchStatsRequest(_message.Message):
    __slots__ = ("interval_ms",)
    INTERVAL_MS_FIELD_NUMBER: _ClassVar[int]
    interval_ms: int
    def __init__(self, interval_ms: _Optional[int] = ...) -> None: ...

class Workload(_message.Message):
    __slots__ = ("service", "namespace", "version", "instance")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    service: str
    namespace: str
    version: str
    instance: str
    def __init__(self, service: _Optional[str] = ..., namespace: _Optional[str] = ..., version: _Optional[str] = ..., instance: _Optional[str] = ...) -> None: ...

class Histogram(_message.Message):
    __slots__ = ("counts", "sum", "count")
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    SUM_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    counts: _containers.RepeatedScalarFieldContainer[int]
    sum: float
    count: int
    def __init__(self, counts: _Optional[_Iterable[int]] = ..., sum: _Optional[float] = ..., count: _Optional[int] = ...) -> None: ...

class ResponseStats(_message.Message):
    __slots__ = ("code", "flags", "count", "duration_ms", "request_bytes", "response_bytes")
    CODE_FIELD_NUMBER: _ClassVar[int]
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_BYTES_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_BYTES_FIELD_NUMBER: _ClassVar[int]
    code: int
    flags: str
    count: int
    duration_ms: Histogram
    request_bytes: Histogram
    response_bytes: Histogram
    def __init__(self, code: _Optional[int] = ..., flags: _Optional[str] = ..., count: _Optional[int] = ..., duration_ms: _Optional[_Union[Histogram, _Mapping]] = ..., request_bytes: _Optional[_Union[Histogram, _Mapping]] = ..., response_bytes: _Optional[_Union[Histogram, _Mapping]] = ...) -> None: ...

class HttpEdge(_message.Message):
    __slots__ = ("reporter", "source", "destination", "responses", "in_flight", "retries", "recovery_ms")
    REPORTER_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    RESPONSES_FIELD_NUMBER: _ClassVar[int]
    IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    RETRIES_FIELD_NUMBER: _ClassVar[int]
    RECOVERY_MS_FIELD_NUMBER: _ClassVar[int]
    reporter: Reporter
    source: Workload
    destination: Workload
    responses: _containers.RepeatedCompositeFieldContainer[ResponseStats]
    in_flight: int
    retries: int
    recovery_ms: Histogram
    def __init__(self, reporter: _Optional[_Union[Reporter, str]] = ..., source: _Optional[_Union[Workload, _Mapping]] = ..., destination: _Optional[_Union[Workload, _Mapping]] = ..., responses: _Optional[_Iterable[_Union[ResponseStats, _Mapping]]] = ..., in_flight: _Optional[int] = ..., retries: _Optional[int] = ..., recovery_ms: _Optional[_Union[Histogram, _Mapping]] = ...) -> None: ...

class TcpEdge(_message.Message):
    __slots__ = ("reporter", "source", "destination", "opened", "closed", "in_flight", "sent_bytes", "received_bytes", "duration_ms")
    REPORTER_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    OPENED_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    SENT_BYTES_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_BYTES_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    reporter: Reporter
    source: Workload
    destination: Workload
    opened: int
    closed: int
    in_flight: int
    sent_bytes: int
    received_bytes: int
    duration_ms: Histogram
    def __init__(self, reporter: _Optional[_Union[Reporter, str]] = ..., source: _Optional[_Union[Workload, _Mapping]] = ..., destination: _Optional[_Union[Workload, _Mapping]] = ..., opened: _Optional[int] = ..., closed: _Optional[int] = ..., in_flight: _Optional[int] = ..., sent_bytes: _Optional[int] = ..., received_bytes: _Optional[int] = ..., duration_ms: _Optional[_Union[Histogram, _Mapping]] = ...) -> None: ...

class EndpointState(_message.Message):
    __slots__ = ("name", "service", "address", "healthy", "ejected_until", "ejection_count", "drained", "pending", "weight", "labels", "rtt_estimate_ms")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    HEALTHY_FIELD_NUMBER: _ClassVar[int]
    EJECTED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    EJECTION_COUNT_FIELD_NUMBER: _ClassVar[int]
    DRAINED_FIELD_NUMBER: _ClassVar[int]
    PENDING_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    RTT_ESTIMATE_MS_FIELD_NUMBER: _ClassVar[int]
    name: str
    service: str
    address: str
    healthy: bool
    ejected_until: float
    ejection_count: int
    drained: bool
    pending: int
    weight: int
    labels: _containers.ScalarMap[str, str]
    rtt_estimate_ms: float
    def __init__(self, name: _Optional[str] = ..., service: _Optional[str] = ..., address: _Optional[str] = ..., healthy: _Optional[bool] = ..., ejected_until: _Optional[float] = ..., ejection_count: _Optional[int] = ..., drained: _Optional[bool] = ..., pending: _Optional[int] = ..., weight: _Optional[int] = ..., labels: _Optional[_Mapping[str, str]] = ..., rtt_estimate_ms: _Optional[float] = ...) -> None: ...

class StatsSnapshot(_message.Message):
    __slots__ = ("taken_at", "config_version", "latency_bounds_ms", "size_bounds_bytes", "http_edges", "tcp_edges", "endpoints")
    TAKEN_AT_FIELD_NUMBER: _ClassVar[int]
    CONFIG_VERSION_FIELD_NUMBER: _ClassVar[int]
    LATENCY_BOUNDS_MS_FIELD_NUMBER: _ClassVar[int]
    SIZE_BOUNDS_BYTES_FIELD_NUMBER: _ClassVar[int]
    HTTP_EDGES_FIELD_NUMBER: _ClassVar[int]
    TCP_EDGES_FIELD_NUMBER: _ClassVar[int]
    ENDPOINTS_FIELD_NUMBER: _ClassVar[int]
    taken_at: float
    config_version: int
    latency_bounds_ms: _containers.RepeatedScalarFieldContainer[float]
    size_bounds_bytes: _containers.RepeatedScalarFieldContainer[float]
    http_edges: _containers.RepeatedCompositeFieldContainer[HttpEdge]
    tcp_edges: _containers.RepeatedCompositeFieldContainer[TcpEdge]
    endpoints: _containers.RepeatedCompositeFieldContainer[EndpointState]
    def __init__(self, taken_at: _Optional[float] = ..., config_version: _Optional[int] = ..., latency_bounds_ms: _Optional[_Iterable[float]] = ..., size_bounds_bytes: _Optional[_Iterable[float]] = ..., http_edges: _Optional[_Iterable[_Union[HttpEdge, _Mapping]]] = ..., tcp_edges: _Optional[_Iterable[_Union[TcpEdge, _Mapping]]] = ..., endpoints: _Optional[_Iterable[_Union[EndpointState, _Mapping]]] = ...) -> None: ...

class WatchEventsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Event(_message.Message):
    __slots__ = ("at", "missed", "config_applied", "endpoint_ejected", "endpoint_readmitted", "drain_changed")
    AT_FIELD_NUMBER: _ClassVar[int]
    MISSED_FIELD_NUMBER: _ClassVar[int]
    CONFIG_APPLIED_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_EJECTED_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_READMITTED_FIELD_NUMBER: _ClassVar[int]
    DRAIN_CHANGED_FIELD_NUMBER: _ClassVar[int]
    at: float
    missed: int
    config_applied: ConfigApplied
    endpoint_ejected: EndpointEjected
    endpoint_readmitted: EndpointReadmitted
    drain_changed: DrainChanged
    def __init__(self, at: _Optional[float] = ..., missed: _Optional[int] = ..., config_applied: _Optional[_Union[ConfigApplied, _Mapping]] = ..., endpoint_ejected: _Optional[_Union[EndpointEjected, _Mapping]] = ..., endpoint_readmitted: _Optional[_Union[EndpointReadmitted, _Mapping]] = ..., drain_changed: _Optional[_Union[DrainChanged, _Mapping]] = ...) -> None: ...

class ConfigApplied(_message.Message):
    __slots__ = ("version", "by")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    version: int
    by: str
    def __init__(self, version: _Optional[int] = ..., by: _Optional[str] = ...) -> None: ...

class EndpointEjected(_message.Message):
    __slots__ = ("service", "endpoint", "duration_s")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    DURATION_S_FIELD_NUMBER: _ClassVar[int]
    service: str
    endpoint: str
    duration_s: float
    def __init__(self, service: _Optional[str] = ..., endpoint: _Optional[str] = ..., duration_s: _Optional[float] = ...) -> None: ...

class EndpointReadmitted(_message.Message):
    __slots__ = ("service", "endpoint")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    service: str
    endpoint: str
    def __init__(self, service: _Optional[str] = ..., endpoint: _Optional[str] = ...) -> None: ...

class DrainChanged(_message.Message):
    __slots__ = ("target", "drained")
    TARGET_FIELD_NUMBER: _ClassVar[int]
    DRAINED_FIELD_NUMBER: _ClassVar[int]
    target: str
    drained: bool
    def __init__(self, target: _Optional[str] = ..., drained: _Optional[bool] = ...) -> None: ...
