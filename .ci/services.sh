#!/usr/bin/env bash
# Starts PostgreSQL and Mosquitto when they are installed but not running (CI machines start them
# before a session, but a test run must not depend on that). Installs nothing that is missing:
# tests that need them say so.
set -uo pipefail
if command -v pg_ctlcluster >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 2>/dev/null; then
  for v in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
  done
fi
if command -v mosquitto >/dev/null 2>&1 && ! pgrep -x mosquitto >/dev/null 2>&1; then
  mosquitto -d -c /etc/mosquitto/mosquitto.conf || true
fi
exit 0
