#!/usr/bin/env bash
# The qemu kernel VM: boots a Debian 6.1 cloud kernel under qemu TCG with a busybox initramfs, for
# what the host kernel lacks (kprobes, the function tracers, hist triggers). See tests/vm/README.md.
#
#   vm.sh setup                      install qemu/busybox/cpio and fetch the kernel (cached, idempotent)
#   vm.sh run [options] -- 'cmds'    boot, run the shell commands, print their output, exit with their code
#     --file HOST[:GUEST]            ship a file or folder (default guest path /bin/NAME); ELF binaries get
#                                    their shared libraries (ldd) copied along; repeatable
#     --timeout SECONDS              hard limit for the whole qemu run (default 300, $SHARPTRACE_VM_TIMEOUT)
#     --memory MIB                   guest memory (default 1024)
#     --console                      also stream the whole serial console (boot log) to stderr
#   vm.sh info                       print the cached kernel's package and paths
#
# Exit codes of `run`: the commands' own code, or 124 when the run timed out (qemu killed),
# 125 when the VM failed otherwise (no boot, no exit marker, bad usage); both with a "vm.sh:" line on stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${SHARPTRACE_VM_CACHE:-$here/cache}"
kernel_dir="$cache/kernel"
# Bump when the initramfs layout or /init changes, so that cached images are rebuilt.
image_version=1

die() { echo "vm.sh: $*" >&2; exit 125; }
log() { echo "vm.sh: $*" >&2; }

# ---------------------------------------------------------------------------------------- setup

have_tools() {
  command -v qemu-system-x86_64 >/dev/null && command -v cpio >/dev/null && [ -x /bin/busybox ] &&
    busybox_is_static
}

# busybox (the dynamic one) can be installed without busybox-static; the guest needs the static one.
busybox_is_static() { ! ldd /bin/busybox >/dev/null 2>&1; }

# apt-get with a wait on the dpkg lock: other engineers' jobs may be installing at the same time.
apt() { DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 "$@"; }

apt_update_done=0
apt_update() {
  [ "$apt_update_done" = 1 ] && return 0
  log "apt-get update"
  apt update >&2 || die "apt-get update failed (no network to the package registry?)"
  apt_update_done=1
}

# Lists are empty on a fresh machine: then every lookup fails until an update.
apt_lists_present() { compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; }

install_tools() {
  have_tools && return 0
  [ "$(id -u)" = 0 ] || die "qemu-system-x86, busybox-static and cpio are missing and installing them needs root"
  apt_lists_present || apt_update
  if ! apt install -y --no-install-recommends qemu-system-x86 busybox-static cpio >&2; then
    apt_update
    apt install -y --no-install-recommends qemu-system-x86 busybox-static cpio >&2 ||
      die "apt-get install qemu-system-x86 busybox-static cpio failed"
  fi
  have_tools || die "busybox at /bin/busybox is not the static one after installing busybox-static"
}

kernel_package_name() {
  # The newest 6.1 cloud kernel the archive offers; its ABI number changes with point releases.
  apt-cache search --names-only '^linux-image-6\.1\..*-cloud-amd64-unsigned$' 2>/dev/null |
    awk '{print $1}' | grep -E 'cloud-amd64-unsigned$' | sort -V | tail -n1
}

fetch_kernel() {
  [ -f "$kernel_dir/vmlinuz" ] && [ -f "$kernel_dir/package" ] && return 0
  [ "$(id -u)" = 0 ] || [ -w "$cache" ] || die "cannot write the kernel cache $cache"
  apt_lists_present || apt_update
  local pkg
  pkg="$(kernel_package_name)"
  if [ -z "$pkg" ]; then
    apt_update
    pkg="$(kernel_package_name)"
  fi
  [ -n "$pkg" ] || die "no linux-image-6.1.*-cloud-amd64-unsigned package in apt-cache search"
  local tmp="$cache/kernel.tmp"
  rm -rf "$tmp" && mkdir -p "$tmp"
  log "downloading $pkg"
  (cd "$tmp" && apt download "$pkg" >&2) ||
    { apt_update; (cd "$tmp" && apt download "$pkg" >&2); } || die "apt-get download $pkg failed"
  dpkg-deb -x "$tmp"/*.deb "$tmp/root"
  # Only the kernel image is needed: the initramfs carries everything else, and the features we test
  # (kprobes, tracers, BTF) are built in, so no modules. The config is kept to check options by hand.
  # (Debian's System.map is a placeholder: symbols come from /proc/kallsyms in the guest.)
  local vmlinuz config
  vmlinuz="$(ls "$tmp"/root/boot/vmlinuz-* | head -n1)"
  config="$(ls "$tmp"/root/boot/config-* | head -n1)"
  cp "$vmlinuz" "$tmp/vmlinuz"
  cp "$config" "$tmp/config"
  basename "$vmlinuz" | sed 's/^vmlinuz-//' >"$tmp/release"
  echo "$pkg" >"$tmp/package"
  rm -rf "$tmp/root"
  rm -rf "$kernel_dir" && mv "$tmp" "$kernel_dir"
  log "kernel $(cat "$kernel_dir/release") cached in $kernel_dir"
}

setup() {
  mkdir -p "$cache"
  # Tests of several processes may call setup together: one does the work, the others wait.
  exec 9>"$cache/.setup.lock"
  flock -w 900 9 || die "timed out waiting for another vm.sh setup"
  install_tools
  fetch_kernel
  exec 9>&-
}

info() {
  [ -f "$kernel_dir/package" ] || die "not set up: run vm.sh setup"
  echo "package: $(cat "$kernel_dir/package")"
  echo "release: $(cat "$kernel_dir/release")"
  echo "vmlinuz: $kernel_dir/vmlinuz"
  echo "config:  $kernel_dir/config"
}

# ---------------------------------------------------------------------------------------- main

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  setup) setup ;;
  info) info ;;
  *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 125 ;;
esac
