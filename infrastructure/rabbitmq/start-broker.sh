#!/usr/bin/env bash
# Gives the tests a running RabbitMQ broker with the integration-hub vhost, users, permissions,
# queues and policies loaded. Safe to run any number of times.
#
# - RABBITMQ_URL set: that broker is used as it is (its owner loads definitions.json); nothing is installed.
# - otherwise: installs Debian's rabbitmq-server when missing (needs root), puts our rabbitmq.conf and
#   enabled_plugins in place, starts the broker detached, waits until it is ready and imports
#   definitions.json. Passwords can be overridden with IH_BROKER_PASSWORD_<USER> (user upper-cased,
#   '-' as '_'); the defaults in definitions.json are development passwords, usable on loopback only.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ -n "${RABBITMQ_URL:-}" ]]; then
  echo "broker: using RABBITMQ_URL (not installing or starting a local broker)"
  exit 0
fi

export PATH="$PATH:/usr/sbin:/sbin"

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  if [[ "$(id -u)" != "0" ]]; then
    echo "broker: rabbitmq-server is not installed and installing it needs root" >&2
    exit 1
  fi
  echo "broker: installing Debian's rabbitmq-server"
  apt-get update -qq
  # The package's maintainer scripts may try to start the service; we start it ourselves below.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null
fi

# definitions.json is generated from parties.json and the contracts; refuse a stale one.
python3 "$here/generate-definitions.py" --check

install -d -m 0755 /etc/rabbitmq
# RabbitMQ reads rabbitmq.conf (listeners among it) only when the node boots: a running broker whose
# file changed is restarted once, so that it runs what the file says. Messages are durable and survive.
if ! cmp -s "$here/rabbitmq.conf" /etc/rabbitmq/rabbitmq.conf && rabbitmqctl -q status >/dev/null 2>&1; then
  echo "broker: rabbitmq.conf changed; restarting the broker to apply it"
  rabbitmqctl -q shutdown >/dev/null
fi
install -m 0644 "$here/rabbitmq.conf" /etc/rabbitmq/rabbitmq.conf
install -m 0644 "$here/enabled_plugins" /etc/rabbitmq/enabled_plugins

if ! rabbitmqctl -q status >/dev/null 2>&1; then
  echo "broker: starting rabbitmq-server"
  # Data and logs stay where the Debian package puts them; the service user owns them. The broker
  # outlives this script: it must not inherit our open files, such as a lock the caller holds
  # (flock on a shared lock file), or that lock is held until the broker stops.
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd="${fd##*/}"
      if (( fd > 2 && fd != 255 )); then eval "exec ${fd}>&-"; fi
    done
    if id rabbitmq >/dev/null 2>&1 && [[ "$(id -u)" == "0" ]]; then
      install -d -o rabbitmq -g rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
      su -s /bin/sh rabbitmq -c "HOME=/var/lib/rabbitmq rabbitmq-server -detached" || rabbitmq-server -detached
    else
      rabbitmq-server -detached
    fi
  )
fi

echo "broker: waiting for start-up"
for _ in $(seq 1 60); do
  if rabbitmqctl -q await_startup --timeout 5 >/dev/null 2>&1; then break; fi
  sleep 1
done
rabbitmqctl -q await_startup --timeout 60

# Plugins listed in enabled_plugins are started at boot; enabling again is a no-op when they run.
rabbitmq-plugins -q enable rabbitmq_management rabbitmq_prometheus rabbitmq_consistent_hash_exchange >/dev/null

# hub.inbound has one active consumer at a time (x-single-active-consumer) since several hub
# processes may run. A broker set up before that holds the queue without the argument; importing the
# definitions does not change an existing queue, and the hub's declaration would be refused. An
# empty old queue is deleted so that the import declares it anew; one holding messages is left for an
# operator (let the old hub drain it first), and the script stops with the reason.
if rabbitmqctl -q list_queues -p integration-hub name arguments 2>/dev/null | grep -E '^hub\.inbound[[:space:]]' | grep -vq 'x-single-active-consumer'; then
  waiting="$(rabbitmqctl -q list_queues -p integration-hub name messages | awk '$1 == "hub.inbound" { print $2 }')"
  if [[ "$waiting" == "0" ]]; then
    echo "broker: hub.inbound was declared without single active consumer; deleting the empty queue to declare it anew"
    rabbitmqctl -q delete_queue -p integration-hub hub.inbound >/dev/null
  else
    echo "broker: hub.inbound holds $waiting messages and was declared without single active consumer; let the hub drain it, then run this again" >&2
    exit 1
  fi
fi

# The broker process (user rabbitmq) reads the file itself and may not be able to read this
# checkout, so it gets a world-readable copy.
definitions="$(mktemp /tmp/integration-hub-definitions.XXXXXX)"
cp "$here/definitions.json" "$definitions"
chmod 0644 "$definitions"
rabbitmqctl -q import_definitions "$definitions"
rm -f "$definitions"

# Debian's package creates guest/guest with administrator rights; nothing of ours uses it.
if rabbitmqctl -q list_users | awk '{print $1}' | grep -qx guest; then
  rabbitmqctl -q delete_user guest >/dev/null
fi

# Optional password overrides from the environment (never printed).
for user in $(python3 -c 'import json,sys; print(" ".join(u["name"] for u in json.load(open(sys.argv[1]))["users"]))' "$here/definitions.json"); do
  var="IH_BROKER_PASSWORD_$(echo "$user" | tr '[:lower:]-' '[:upper:]_')"
  if [[ -n "${!var:-}" ]]; then
    rabbitmqctl -q change_password "$user" "${!var}" >/dev/null
  fi
done

for _ in $(seq 1 30); do
  if curl -fsS -o /dev/null -u ops:ops-dev http://127.0.0.1:15672/api/overview 2>/dev/null; then
    echo "broker: ready (amqp://127.0.0.1:5672/integration-hub, management http://127.0.0.1:15672)"
    exit 0
  fi
  sleep 1
done
echo "broker: management API did not answer on 127.0.0.1:15672" >&2
exit 1
