#!/usr/bin/env bash
# Builds a local stand-in for the official python:3.11-slim image, for machines that cannot pull
# from a container registry: Debian bookworm (whose python3 is 3.11) made with debootstrap from
# the Debian mirror and loaded with `docker import`. interop/peers/python/Dockerfile takes it
# through its PYTHON_BASE build argument. Idempotent: an existing image is kept.
#   usage: scripts/python-base-image.sh [TAG]    (default interop-python-base:bookworm)
# Needs root, debootstrap and a Docker engine (scripts/start-docker.sh provides both).
set -euo pipefail

TAG="${1:-interop-python-base:bookworm}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
say() { echo "python-base-image: $*" >&2; }
die() { echo "error: $*" >&2; exit 1; }

if docker image inspect "$TAG" >/dev/null 2>&1; then
  say "$TAG already exists; nothing to do"
  exit 0
fi
command -v debootstrap >/dev/null || die "debootstrap is not installed: run \`bash scripts/start-docker.sh\` (installs it) or \`apt-get install -y debootstrap\`"
[ "$(id -u)" = 0 ] || die "debootstrap needs root: run this script as root"

rootfs="$(mktemp -d /tmp/interop-python-base.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
say "python:3.11-slim cannot be pulled here: building the equivalent $TAG with debootstrap (Debian bookworm from $MIRROR, ~1 min) ..."
log="$rootfs.log"
if ! debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,ca-certificates \
    bookworm "$rootfs" "$MIRROR" >"$log" 2>&1; then
  die "debootstrap failed: $(tail -n 1 "$log") (full log: $log)"
fi
rm -f "$log"
# Trim what an image does not need; the official slim image does the same.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
tar -C "$rootfs" -c . | docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["python3"]' \
  --message "debootstrap bookworm + python3, python3-venv, python3-pip, ca-certificates" \
  - "$TAG" >/dev/null
say "built $TAG ($(docker run --rm "$TAG" python3 --version))"
