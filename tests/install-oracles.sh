#!/usr/bin/env bash
# Installs the reference tools the tests compare against (bpftrace 0.17, hyperfine for bench/).
# Idempotent and quiet; tests call it and fall back to checked-in expected outputs when it fails.
set -euo pipefail
if command -v bpftrace >/dev/null && command -v hyperfine >/dev/null; then exit 0; fi
[ "$(id -u)" = 0 ] || { echo "install-oracles: needs root for apt-get" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
timeout 300 apt-get update -qq >/dev/null
timeout 600 apt-get install -y -qq bpftrace hyperfine >/dev/null
