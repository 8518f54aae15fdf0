#!/usr/bin/env bash
# Builds the NativeAOT single-file binary ./sharptrace (linux-x64, libc only) and prints its size.
set -euo pipefail
cd "$(dirname "$0")"
rid="${SHARPTRACE_RID:-linux-x64}"
dotnet publish src/Sharptrace.Cli/Sharptrace.Cli.csproj -c Release -r "$rid" -o artifacts/publish-"$rid" -nologo -v quiet -p:DebugType=none -p:StripSymbols=true >&2
cp artifacts/publish-"$rid"/sharptrace ./sharptrace
size=$(stat -c %s ./sharptrace)
echo "built ./sharptrace ($rid): $((size / 1024)) KiB" >&2
