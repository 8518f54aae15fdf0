#!/usr/bin/env bash
# Installs the reference tools the tests compare against (additive: one line per tool).
set -u
export DEBIAN_FRONTEND=noninteractive
command -v perf >/dev/null || apt-get install -y linux-perf
command -v chromium >/dev/null || apt-get install -y chromium
