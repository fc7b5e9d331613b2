"""The sidecar's admin API over gRPC (`mesh.admin.v1.ProxyAdmin`, v1/admin.proto) and its client.

Server side: `startup.start_admin_api` (refuses to run without a token), `server.AdminServer`
(ProxyAdmin + grpc.health.v1 + reflection on the data plane's loop), `service` (the handlers),
`auth` (bearer token), `convert` and `streams` (snapshots and events as messages).
Client side: `client.AdminClient`, `fanout.apply_to_many`, typed results in `models`.

Importing this package imports nothing else: grpc loads only where a module needs it.
"""
