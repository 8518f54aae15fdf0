#!/usr/bin/env bash
# Installs the reference tools the tests compare against (additive: one line per tool, skipped when present).
set -euo pipefail
command -v strace >/dev/null || apt-get install -y strace
