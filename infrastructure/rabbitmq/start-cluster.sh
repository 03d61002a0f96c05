#!/usr/bin/env bash
# A three-node RabbitMQ cluster of Debian's rabbitmq-server on this one machine, for trying and testing
# what happens when a node is lost. Safe to run any number of times: running nodes are left running,
# nodes already in the cluster are not joined again, the definitions are imported once per run into the
# cluster (not per node), and every quorum queue is then grown to all three nodes.
#
#   bash infrastructure/rabbitmq/start-cluster.sh          start (or complete) the cluster
#   bash infrastructure/rabbitmq/start-cluster.sh stop     stop its nodes (data stays in the folder)
#
# It prints the RABBITMQ_URL that the hub, the workers and the client library take:
#   amqp://127.0.0.1:5711,127.0.0.1:5712,127.0.0.1:5713
#
# Each node has its own name, ports, data and log folders, configuration (infrastructure/rabbitmq/
# rabbitmq.conf with its ports), enabled_plugins and pid file. The default node (5672/15672) is not
# touched. Settings (environment; defaults in brackets):
#   IH_CLUSTER_DIR                 folder of the nodes' data, logs and files [/var/lib/rabbitmq/ih-cluster]
#   IH_CLUSTER_PREFIX              node names <prefix>1@localhost .. <prefix>3@localhost [ihc]
#   IH_CLUSTER_AMQP_PORTS          [5711 5712 5713]
#   IH_CLUSTER_MANAGEMENT_PORTS    [15711 15712 15713]
#   IH_CLUSTER_PROMETHEUS_PORTS    [15721 15722 15723]
#   IH_CLUSTER_DIST_PORTS          Erlang distribution [25711 25712 25713]
# As root the nodes run as the rabbitmq user (Debian's package installs it; the nodes share its Erlang
# cookie, which clustering needs); otherwise as the calling user.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PATH="$PATH:/usr/sbin:/sbin"

dir="${IH_CLUSTER_DIR:-/var/lib/rabbitmq/ih-cluster}"
prefix="${IH_CLUSTER_PREFIX:-ihc}"
read -r -a amqp <<<"${IH_CLUSTER_AMQP_PORTS:-5711 5712 5713}"
read -r -a management <<<"${IH_CLUSTER_MANAGEMENT_PORTS:-15711 15712 15713}"
read -r -a prometheus <<<"${IH_CLUSTER_PROMETHEUS_PORTS:-15721 15722 15723}"
read -r -a dist <<<"${IH_CLUSTER_DIST_PORTS:-25711 25712 25713}"
nodes=("${prefix}1@localhost" "${prefix}2@localhost" "${prefix}3@localhost")
vhost=integration-hub

say() { echo "cluster: $*"; }

# rabbitmqctl and rabbitmq-queues against one node, quiet.
ctl() { local node="$1"; shift; rabbitmqctl -q -n "$node" "$@"; }

running() { ctl "$1" await_startup --timeout 1 >/dev/null 2>&1; }

if [[ "${1:-start}" == "stop" ]]; then
  for node in "${nodes[@]}"; do
    if running "$node"; then
      ctl "$node" stop >/dev/null
      say "$node stopped"
    fi
  done
  exit 0
fi

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  say "rabbitmq-server is not installed (infrastructure/rabbitmq/start-broker.sh installs it, as root)" >&2
  exit 1
fi

as_rabbitmq=false
if [[ "$(id -u)" == "0" ]] && id rabbitmq >/dev/null 2>&1; then as_rabbitmq=true; fi

start_node() {
  local i="$1" node="${nodes[$1]}" home="$dir/${nodes[$1]%@*}"
  install -d -m 0755 "$home"
  # The repository's configuration with this node's ports.
  sed -e "s/^listeners.tcp.default = .*/listeners.tcp.default = ${amqp[$i]}/" \
      -e "s/^management.tcp.port = .*/management.tcp.port = ${management[$i]}/" \
      -e "s/^prometheus.tcp.port = .*/prometheus.tcp.port = ${prometheus[$i]}/" \
      "$here/rabbitmq.conf" >"$home/rabbitmq.conf"
  cp "$here/enabled_plugins" "$home/enabled_plugins"
  local environment="HOME=${home_of_user} RABBITMQ_NODENAME=$node RABBITMQ_NODE_PORT=${amqp[$i]} RABBITMQ_DIST_PORT=${dist[$i]}"
  environment+=" RABBITMQ_MNESIA_BASE=$home/mnesia RABBITMQ_LOG_BASE=$home/log RABBITMQ_CONFIG_FILE=$home/rabbitmq"
  environment+=" RABBITMQ_ENABLED_PLUGINS_FILE=$home/enabled_plugins RABBITMQ_PID_FILE=$home/pid"
  # Detached, with no open file of ours (a lock the caller holds must not live on in the broker).
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd="${fd##*/}"
      if (( fd > 2 && fd != 255 )); then eval "exec ${fd}>&-"; fi
    done
    if $as_rabbitmq; then
      chown -R rabbitmq:rabbitmq "$home"
      su -s /bin/sh rabbitmq -c "env $environment rabbitmq-server -detached" >/dev/null 2>&1 </dev/null
    else
      env $environment rabbitmq-server -detached >/dev/null 2>&1 </dev/null
    fi
  )
}

install -d -m 0755 "$dir"
if $as_rabbitmq; then
  home_of_user=/var/lib/rabbitmq
  chown rabbitmq:rabbitmq "$dir"
else
  home_of_user="$HOME"
fi

for i in 0 1 2; do
  if running "${nodes[$i]}"; then
    say "${nodes[$i]} already running"
  else
    say "starting ${nodes[$i]} (AMQP ${amqp[$i]}, management ${management[$i]})"
    start_node "$i"
  fi
done

for node in "${nodes[@]}"; do
  # A node registers with epmd a moment after its start returns.
  for _ in $(seq 1 60); do
    if ctl "$node" await_startup --timeout 5 >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  ctl "$node" await_startup --timeout 60
done

# Nodes 2 and 3 join node 1 unless they are in its cluster already (join_cluster resets the joining node).
for node in "${nodes[@]:1}"; do
  if ctl "${nodes[0]}" cluster_status --formatter json | grep -q "\"$node\""; then
    say "$node already in the cluster"
  else
    say "$node joins ${nodes[0]}"
    ctl "$node" stop_app
    ctl "$node" join_cluster "${nodes[0]}"
    ctl "$node" start_app
    ctl "$node" await_startup --timeout 60
  fi
done

# The definitions are cluster-wide: imported once, on node 1, from a copy the broker's user can read.
python3 "$here/generate-definitions.py" --check
definitions="$(mktemp /tmp/integration-hub-definitions.XXXXXX)"
cp "$here/definitions.json" "$definitions"
chmod 0644 "$definitions"
ctl "${nodes[0]}" import_definitions "$definitions"
rm -f "$definitions"
if ctl "${nodes[0]}" list_users | awk '{print $1}' | grep -qx guest; then
  ctl "${nodes[0]}" delete_user guest >/dev/null
fi

# A quorum queue gets members on the nodes that run when it is declared: grow every quorum queue of
# the vhost to each node, so that it survives the loss of any one node (a queue that has them is left as it is).
for node in "${nodes[@]}"; do
  rabbitmq-queues -q -n "${nodes[0]}" grow "$node" all --vhost-pattern "^${vhost}\$" --queue-pattern '.*' >/dev/null
done

# Every quorum queue must now have a member on each node.
short="$(ctl "${nodes[0]}" list_queues -p "$vhost" name type members --formatter json | python3 -c '
import json, sys
nodes = sys.argv[1:]
print(" ".join(q["name"] + "@" + n for q in json.load(sys.stdin) if q["type"] == "quorum" for n in nodes if n not in q["members"]))
' "${nodes[@]}")"
if [[ -n "$short" ]]; then
  say "quorum queues without a member on every node: $short" >&2
  exit 1
fi

say "ready: RABBITMQ_URL=amqp://127.0.0.1:${amqp[0]},127.0.0.1:${amqp[1]},127.0.0.1:${amqp[2]} (management on ${management[*]})"
