#!/usr/bin/env bash
# Installs the reference tools the tests and benches compare against (additive: one `need COMMAND
# PACKAGE` line per tool, skipped when present). apt-get update runs once, only when something is
# missing; every apt call is bounded in time. Tests that find a tool still missing fall back or skip
# with the reason.
set -u
export DEBIAN_FRONTEND=noninteractive
updated=0
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  [ "$(id -u)" -eq 0 ] || { echo "install-oracles: $1 missing and not root" >&2; return 1; }
  [ "$updated" -eq 1 ] || { timeout 300 apt-get update -qq >/dev/null 2>&1; updated=1; }
  timeout 600 apt-get install -y -qq "$2" >/dev/null 2>&1 || echo "install-oracles: apt-get install $2 failed" >&2
}
need strace strace
need perf linux-perf
need chromium chromium
need bpftrace bpftrace
need hyperfine hyperfine
need gcc gcc
need c++filt binutils
need curl curl
need ip iproute2
