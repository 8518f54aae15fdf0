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

# apt-get with a wait on the dpkg lock (other jobs may be installing at the same time), its output
# on stderr, and its last error line kept in $apt_error for the message that says why we stop.
apt_error=""
apt() {
  local out status=0
  out="$(DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 "$@" 2>&1)" || status=$?
  printf '%s\n' "$out" >&2
  apt_error="$(grep -E '^(E|Err):' <<<"$out" | tail -n1)"
  return "$status"
}

apt_update_done=0
apt_update() {
  [ "$apt_update_done" = 1 ] && return 0
  log "apt-get update"
  apt update || die "apt-get update failed: $apt_error"
  apt_update_done=1
}

# Lists are empty on a fresh machine: then every lookup fails until an update.
apt_lists_present() { compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; }

install_tools() {
  have_tools && return 0
  apt_lists_present || apt_update
  if ! apt install -y --no-install-recommends qemu-system-x86 busybox-static cpio >&2; then
    apt_update
    apt install -y --no-install-recommends qemu-system-x86 busybox-static cpio >&2 ||
      die "apt-get install qemu-system-x86 busybox-static cpio failed: $apt_error"
  fi
  have_tools || die "busybox at /bin/busybox is not the static one after installing busybox-static"
}

kernel_package_name() {
  # The newest 6.1 cloud kernel the archive offers; its ABI number changes with point releases.
  apt-cache search --names-only '^linux-image-6\.1\..*-cloud-amd64-unsigned$' 2>/dev/null |
    awk '{print $1}' | { grep -E 'cloud-amd64-unsigned$' || true; } | sort -V | tail -n1
}

fetch_kernel() {
  kernel_cached && return 0
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
  (cd "$tmp" && apt -o APT::Sandbox::User=root download "$pkg") ||
    { apt_update; (cd "$tmp" && apt -o APT::Sandbox::User=root download "$pkg"); } || die "apt-get download $pkg failed: $apt_error"
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

kernel_cached() { [ -f "$kernel_dir/vmlinuz" ] && [ -f "$kernel_dir/package" ]; }

setup() {
  # The common case, and the one a user without root can have once root has set up: no lock, no apt.
  have_tools && kernel_cached && return 0
  [ "$(id -u)" = 0 ] || die "not root: installing qemu-system-x86, busybox-static, cpio and fetching the kernel need apt-get as root"
  mkdir -p "$cache" 2>/dev/null || die "cannot create the cache folder $cache"
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

# ---------------------------------------------------------------------------------------- image

# The guest's /init. Kept here so that the image hash covers it (image_version covers the rest).
write_init() {
  cat >"$1" <<'INIT'
#!/bin/busybox sh
/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TMPDIR=/tmp TERM=dumb
mkdir -p /proc /sys /dev /tmp /root /run
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts && mount -t tmpfs tmpfs /dev/shm
# Only emergencies reach the console: kernel messages (kprobe registration, warnings) would
# otherwise interleave with the commands' output. Tests read them with dmesg.
echo 1 >/proc/sys/kernel/printk
# Output goes to the host byte for byte: no \n -> \r\n translation on the serial console.
stty -onlcr </dev/console 2>/dev/null
hostname sharptrace-vm
ifconfig lo 127.0.0.1 up 2>/dev/null
cd /root
guest_timeout=$(cat /run/vm/timeout)
echo "@@VM_START@@"
timeout -s KILL "$guest_timeout" sh -c '. /run/vm/commands.sh' </dev/null 2>&1
rc=$?
# No newline before the marker: vm.sh strips whatever precedes it on its line, keeping a last
# line without a newline exactly as printed.
echo "@@VM_EXIT=$rc@@"
sync
poweroff -f
INIT
  chmod 755 "$1"
}

# Prints "HOST<TAB>GUEST" for every file to put in the image: the --file items and, for each ELF
# binary among them, the loader and shared libraries it needs (at the same paths as on the host).
collect_files() {
  local spec host guest
  for spec in ${files[@]+"${files[@]}"}; do
    host="${spec%%:*}"
    if [ "$host" = "$spec" ]; then guest="/bin/$(basename "$host")"; else guest="${spec#*:}"; fi
    case "$guest" in */) guest="$guest$(basename "$host")" ;; /*) ;; *) guest="/$guest" ;; esac
    host="$(readlink -f "$host")"
    printf '%s\t%s\n' "$host" "$guest"
    local bin
    while IFS= read -r bin; do
      # NativeAOT binaries need libc, libm and the loader; others may need more (libstdc++...).
      # An executable script is no dynamic ELF: ldd fails on it, which must not end the run.
      { ldd "$bin" 2>/dev/null || true; } | awk '/=> \// {print $3} /^\t\/[^ ]+ \(/ {print $1}' |
        while IFS= read -r lib; do printf '%s\t%s\n' "$(readlink -f "$lib")" "$lib"; done
    done < <(find "$host" -type f -perm -u+x)
  done | sort -u -t$'\t' -k2,2
}

# Builds (or finds in the cache) the uncompressed cpio of busybox, /init and the files, keyed by
# the hash of their contents. Uncompressed because gunzip under TCG costs more than copying.
base_image() {
  local list="$1" images="$cache/images"
  # A user who cannot write the cache (root set it up) still runs, only without image caching.
  if ! mkdir -p "$images" 2>/dev/null || [ ! -w "$images" ]; then
    images="$work/images"
    mkdir -p "$images"
  fi
  local key
  key="$( {
    echo "image_version=$image_version"
    sha256sum /bin/busybox
    declare -f write_init
    while IFS=$'\t' read -r host guest; do
      echo "$guest"
      if [ -d "$host" ]; then (cd "$host" && find . -type f -print0 | sort -z | xargs -0r sha256sum)
      else sha256sum <"$host"; fi
    done <"$list"
  } | sha256sum | cut -c1-32)"
  local image="$images/$key.cpio"
  if [ ! -f "$image" ]; then
    local stage
    stage="$(mktemp -d "$images/stage.XXXXXX")"
    mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,run,etc}
    cp /bin/busybox "$stage/bin/busybox"
    write_init "$stage/init"
    while IFS=$'\t' read -r host guest; do
      mkdir -p "$stage$(dirname "$guest")"
      cp -rL "$host" "$stage$guest"
    done <"$list"
    echo "root:x:0:0:root:/root:/bin/sh" >"$stage/etc/passwd"
    echo "root:x:0:" >"$stage/etc/group"
    (cd "$stage" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) >"$image.tmp.$$"
    mv "$image.tmp.$$" "$image"
    rm -rf "$stage"
    # Keep the cache small: the 20 most recently used images.
    ls -t "$images"/*.cpio 2>/dev/null | tail -n +21 | xargs -r rm -f
  fi
  touch "$image"
  echo "$image"
}

# ---------------------------------------------------------------------------------------- run

run() {
  local timeout="${SHARPTRACE_VM_TIMEOUT:-300}" memory=1024 console=0 commands=""
  files=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --file) [ $# -ge 2 ] || die "--file needs HOST[:GUEST]"; files+=("$2"); shift 2 ;;
      --file=*) files+=("${1#--file=}"); shift ;;
      --timeout) [ $# -ge 2 ] || die "--timeout needs seconds"; timeout="$2"; shift 2 ;;
      --memory) [ $# -ge 2 ] || die "--memory needs MiB"; memory="$2"; shift 2 ;;
      --console) console=1; shift ;;
      --) shift; commands="$*"; break ;;
      *) die "unknown option $1 (commands go after --)" ;;
    esac
  done
  [ -n "$commands" ] || die "no commands: vm.sh run [options] -- 'commands'"
  local spec
  for spec in ${files[@]+"${files[@]}"}; do
    [ -e "${spec%%:*}" ] || die "--file ${spec%%:*}: no such file"
  done
  [[ "$timeout" =~ ^[0-9]+$ ]] && [ "$timeout" -ge 10 ] || die "--timeout must be a whole number of seconds >= 10"

  setup

  work="$(mktemp -d "${TMPDIR:-/tmp}/sharptrace-vm.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  collect_files >"$work/files"
  local image
  image="$(base_image "$work/files")"

  # The commands ride in a second, tiny cpio appended to the cached one: the kernel unpacks
  # concatenated archives in turn, so a new command line never rebuilds the big image.
  mkdir -p "$work/cmd/run/vm"
  printf '%s\n' "$commands" >"$work/cmd/run/vm/commands.sh"
  # The guest gives up on the commands before the host kills qemu, so that a hung command still
  # ends with an exit marker (137, killed) and the output before it.
  local guest_timeout=$((timeout > 60 ? timeout - 30 : timeout * 3 / 4))
  guest_timeout="${SHARPTRACE_VM_GUEST_TIMEOUT:-$guest_timeout}" # only to test the host-side kill
  echo "$guest_timeout" >"$work/cmd/run/vm/timeout"
  (cd "$work/cmd" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) >"$work/cmd.cpio"
  cat "$image" "$work/cmd.cpio" >"$work/initrd"

  # stdin is /dev/null and the serial port is plain stdio (no monitor, no mux): qemu never reads a
  # terminal nor puts it in raw mode, so the same line works by hand, in a test and in CI.
  # --foreground keeps qemu in our process group: Ctrl-C and a test killing our group reach it.
  local status=0
  set +e
  timeout --foreground --kill-after=5 "$timeout" \
    qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m "$memory" \
      -nodefaults -no-user-config -display none -monitor none -serial stdio -no-reboot \
      -kernel "$kernel_dir/vmlinuz" -initrd "$work/initrd" \
      -append "console=ttyS0 quiet panic=-1 mitigations=off tsc=reliable" \
      </dev/null 2>&1 |
    if [ "$console" = 1 ]; then tee /dev/stderr; else cat; fi |
    tee "$work/console" |
    awk -v status_file="$work/status" '
      # Prints what lies between the start and exit markers as it arrives (a test can follow a
      # long run), and writes the exit code found in the marker.
      state == 0 { if (index($0, "@@VM_START@@")) state = 1; next }
      state == 1 {
        i = index($0, "@@VM_EXIT=")
        if (i) {
          printf "%s", substr($0, 1, i - 1)
          rest = substr($0, i + 10); sub(/@@.*/, "", rest)
          print rest > status_file
          state = 2; fflush(); next
        }
        print; fflush()
      }'
  local pipe=("${PIPESTATUS[@]}")
  set -e
  status="${pipe[0]}"
  if [ -s "$work/status" ]; then
    exit "$(cat "$work/status")"
  fi
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    log "timed out after ${timeout}s; the console's last lines:"
    tail -n 30 "$work/console" | tr -d '\r' | sed 's/^/  | /' >&2
    exit 124
  fi
  log "the VM ended (qemu exit $status) without an exit marker; the console's last lines:"
  tail -n 30 "$work/console" | tr -d '\r' | sed 's/^/  | /' >&2
  exit 125
}

# ---------------------------------------------------------------------------------------- main

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  setup) setup ;;
  info) info ;;
  run) run "$@" ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 125 ;;
esac
