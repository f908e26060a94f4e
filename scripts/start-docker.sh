#!/usr/bin/env bash
# Makes sure a Docker engine answers, for `--runtime container` and CI. Idempotent:
#   engine answering            -> nothing to do
#   dockerd missing             -> apt-get install docker.io (and debootstrap, which
#                                  scripts/python-base-image.sh needs), as root
#   dockerd installed, stopped  -> start it in the background, logging to $DOCKERD_LOG
# then waits (bounded by $DOCKER_WAIT_S, default 60 s) until the engine answers.
# Any failure is one line starting with "error:" and a non-zero exit: CI must never go on
# without the engine and silently skip the container runtime.
set -euo pipefail

LOG="${DOCKERD_LOG:-/tmp/dockerd.log}"
WAIT_S="${DOCKER_WAIT_S:-60}"
say() { echo "start-docker: $*" >&2; }
die() { echo "error: $*" >&2; exit 1; }
answers() { docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; }
last_log_line() { tail -n 1 "$LOG" 2>/dev/null | grep . || echo "nothing in $LOG"; }

if command -v docker >/dev/null && answers; then
  say "Docker engine $(docker info --format '{{.ServerVersion}}') already answers; nothing to do"
  exit 0
fi

if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
  [ "$(id -u)" = 0 ] || die "dockerd is not installed and this is not root: run \`sudo apt-get install -y docker.io debootstrap\`"
  say "installing docker.io and debootstrap from Debian (apt-get) ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed: check that the Debian mirror is reachable"
  apt-get install -y -qq docker.io debootstrap >/dev/null || die "apt-get install docker.io debootstrap failed"
fi

if ! pgrep -x dockerd >/dev/null; then
  [ "$(id -u)" = 0 ] || die "dockerd is not running and this is not root: start it with \`sudo dockerd\` or \`sudo systemctl start docker\`"
  say "starting dockerd in the background (log: $LOG) ..."
  # setsid: the engine must outlive this script and must not get the caller's Ctrl-C.
  setsid dockerd >"$LOG" 2>&1 < /dev/null &
fi

for _ in $(seq 1 "$WAIT_S"); do
  if answers; then
    say "Docker engine $(docker info --format '{{.ServerVersion}}') answers"
    exit 0
  fi
  pgrep -x dockerd >/dev/null || die "dockerd exited: $(last_log_line)"
  sleep 1
done
die "dockerd did not answer within ${WAIT_S} s: see $LOG ($(last_log_line))"
