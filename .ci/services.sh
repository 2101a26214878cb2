#!/usr/bin/env bash
# The machine services the tests use: PostgreSQL (127.0.0.1:5432, trust authentication, database
# `test`), Mosquitto (127.0.0.1:1883, anonymous) and, for the console's browser test, Debian's
# headless Chromium with its driver (/usr/bin/chromium, /usr/bin/chromedriver). CI machines have both installed and running;
# this starts one that has stopped and, on a Debian machine without them (as root, or with sudo),
# installs them from Debian's packages and configures them as the tests expect. It never fails the
# run itself: a test that cannot reach a service says so in its own message.
set -uo pipefail

SUDO=""   # how to run as root: nothing when we are root, sudo when it asks no password
CAN_ROOT=yes
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else CAN_ROOT=no; fi
fi

install_missing() { # packages...
  if [ "$CAN_ROOT" = no ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "services: $* not installed and cannot install them here (needs apt-get as root)" >&2
    return 1
  fi
  echo "services: installing $* from Debian's packages" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -qq update >/dev/null &&
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends "$@" >/dev/null
}

# ---- PostgreSQL
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  if install_missing postgresql; then
    # the tests connect as postgres without a password over TCP
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
      $SUDO sed -i -E 's#^(host\s+all\s+all\s+(127\.0\.0\.1/32|::1/128)\s+)\S+#\1trust#' "$hba"
    done
  fi
fi
if command -v pg_ctlcluster >/dev/null 2>&1; then
  if ! pg_isready -q -h 127.0.0.1 2>/dev/null; then
    for v in $(ls /etc/postgresql 2>/dev/null); do
      $SUDO pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    done
    for _ in $(seq 1 20); do pg_isready -q -h 127.0.0.1 2>/dev/null && break; sleep 0.5; done
  fi
  if pg_isready -q -h 127.0.0.1 2>/dev/null &&
    ! psql -h 127.0.0.1 -U postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'test'" 2>/dev/null | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE test" 2>/dev/null ||
      echo "services: could not create database 'test' (is 127.0.0.1 trusted in pg_hba.conf?)" >&2
  fi
fi

# ---- Mosquitto
if ! command -v mosquitto >/dev/null 2>&1; then
  if install_missing mosquitto && [ ! -e /etc/mosquitto/conf.d/gridfusion-tests.conf ]; then
    $SUDO mkdir -p /etc/mosquitto/conf.d
    printf 'listener 1883 127.0.0.1\nallow_anonymous true\n' | $SUDO tee /etc/mosquitto/conf.d/gridfusion-tests.conf >/dev/null
  fi
fi
if command -v mosquitto >/dev/null 2>&1 && ! pgrep -x mosquitto >/dev/null 2>&1; then
  $SUDO mosquitto -d -c /etc/mosquitto/mosquitto.conf || true
fi

# ---- Chromium and chromedriver (the console's browser test drives them with Selenium), and a
# Chinese font so the console's Chinese labels render in its screenshots
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  install_missing chromium chromium-driver fonts-wqy-zenhei || true
elif [ ! -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then
  install_missing fonts-wqy-zenhei || true
fi
exit 0
