"""Version 1 of the admin API: admin.proto and the stubs generated from it by
scripts/gen-protos.sh (committed; a test fails when they are stale)."""
