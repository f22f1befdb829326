# Shared helpers for scripts/setup, scripts/test and scripts/demo. Source it; do not run it.
# shellcheck shell=bash
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${FURBY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/furby_connect}"
ROOTFS="$CACHE/rootfs-sid"
SHARED="$(cd "$REPO/.." && pwd)/shared"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Python 3.13 for the minimum environment: pyenv's 3.13.x on Debian 12, Debian's python3.13 on 13.
find_py313() {
  local cand
  if command -v pyenv >/dev/null 2>&1; then
    for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.13(\.[0-9]+)?$' | sort -V -r); do
      cand="$(pyenv prefix "$v")/bin/python3.13"
      [ -x "$cand" ] && { echo "$cand"; return 0; }
    done
  fi
  for cand in /usr/bin/python3.13 /usr/local/bin/python3.13; do
    [ -x "$cand" ] && { echo "$cand"; return 0; }
  done
  return 1
}

# A Python >= 3.14.2 already on PATH (a contributor's own machine); otherwise the Debian root.
find_py314_on_path() {
  local cand
  cand="$(command -v python3.14 2>/dev/null || true)"
  [ -n "$cand" ] || return 1
  "$cand" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 14, 2) else 1)' 2>/dev/null || return 1
  echo "$cand"
}

# The apt mirror this machine already uses (never written into the repository).
apt_mirror() {
  local url=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    url="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$url" ] && [ -f /etc/apt/sources.list ]; then
    url="$(awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)"
  fi
  [ -n "$url" ] || { log "no apt mirror found in /etc/apt"; return 1; }
  echo "$url"
}

# Run a command inside the Debian sid root with the repository (and ../shared) bind-mounted at
# the same absolute paths and the venv ${ROOTFS_VENV:-/opt/venv} (a path inside the root) first on
# PATH. The mounts live in a private mount namespace, so they vanish when the command ends,
# whatever happens; nothing is left mounted on the host.
in_rootfs() {
  local cwd="$PWD"
  unshare --mount --propagation private -- bash -c '
    set -euo pipefail
    root="$1"; repo="$2"; shared="$3"; cwd="$4"; venv="$5"; shift 5
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mkdir -p "$root$repo"; mount --bind "$repo" "$root$repo"
    if [ -d "$shared" ]; then mkdir -p "$root$shared"; mount --bind "$shared" "$root$shared"; fi
    cp -f /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
      mkdir -p "$root/etc/ssl/certs"
      cp -f /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
    fi
    exec chroot "$root" /usr/bin/env -i \
      HOME=/root PATH="$venv/bin:/usr/local/bin:/usr/bin:/bin" LANG=C.UTF-8 \
      PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_DISABLE_PIP_VERSION_CHECK=1 \
      CI="${CI:-}" FURBY_ENV=ha2026.10 COVERAGE_FILE="${COVERAGE_FILE:-}" \
      PYTHONDONTWRITEBYTECODE="${PYTHONDONTWRITEBYTECODE:-}" \
      bash -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
  ' in_rootfs "$ROOTFS" "$REPO" "$SHARED" "$cwd" "${ROOTFS_VENV:-/opt/venv}" "$@"
}

# Environments: name -> how to run a command in it.
ENVS=(ha2025.4 ha2026.10)

venv_dir() {
  case "$1" in
    ha2025.4) echo "$CACHE/venv-ha2025.4" ;;
    ha2026.10)
      if find_py314_on_path >/dev/null; then echo "$CACHE/venv-ha2026.10"; else echo "/opt/venv"; fi ;;
  esac
}

uses_rootfs() { [ "$1" = ha2026.10 ] && ! find_py314_on_path >/dev/null; }

# run_in ENV CMD...: run CMD with the environment's venv first on PATH.
run_in() {
  local env="$1"; shift
  if uses_rootfs "$env"; then
    in_rootfs "$@"
  else
    local vd; vd="$(venv_dir "$env")"
    PATH="$vd/bin:$PATH" FURBY_ENV="$env" "$@"
  fi
}

# The demo's own environment (scripts/setup demo): Home Assistant 2026.10 plus its frontend, never
# one of the test venvs. A venv in the cache with a Python >= 3.14.2 on PATH, otherwise
# /opt/venv-demo inside the Debian sid root.
DEMO_ROOTFS_VENV=/opt/venv-demo
demo_uses_rootfs() { ! find_py314_on_path >/dev/null; }

demo_venv_dir() {  # as seen by the commands run_demo runs
  if demo_uses_rootfs; then echo "$DEMO_ROOTFS_VENV"; else echo "$CACHE/venv-demo"; fi
}

# run_demo CMD...: run CMD with the demo venv first on PATH (inside the root when needed).
run_demo() {
  if demo_uses_rootfs; then
    ROOTFS_VENV="$DEMO_ROOTFS_VENV" in_rootfs "$@"
  else
    PATH="$(demo_venv_dir)/bin:$PATH" "$@"
  fi
}
