#!/usr/bin/env bash
# Profiles the hub routing captures, with Linux perf, on the local broker (start-broker.sh), and writes
# bench/results/profile-hub.txt: where the hub's CPU goes per capture, cold (a fresh process) and warm.
#
#   bash bench/profile-hub.sh [captures] [warm-up captures]     (defaults 3000 and 3000; root, perf installed)
#
# The hub runs as `hub serve` (Release) on a store of its own under /tmp, logging warnings only; PD's
# captures of new customers are published by Python (python3-pika) exactly as docs/amqp-interface.md says;
# a phase ends when the hub's inbox holds every capture and its outbox is empty (read from the store,
# not from the management API, whose counts lag by seconds). It empties hub.inbound and the two
# company queues it fills: use a broker kept for benchmarks.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
captures="${1:-3000}"
warm="${2:-3000}"
work="$(mktemp -d /tmp/ih-profile.XXXXXX)"
out="bench/results/profile-hub.txt"
export PATH="$PATH:/usr/sbin"
command -v perf >/dev/null || { echo "profile: Linux perf is needed (Debian: linux-perf)" >&2; exit 1; }

dotnet build -c Release src/IntegrationHub.Cli -v q -nologo >/dev/null
purge() { for q in hub.inbound company.pag company.op-nord; do rabbitmqctl -q purge_queue -p integration-hub "$q" >/dev/null; done; }
publish() {
  /usr/bin/python3 - "$1" <<'EOF'
import json, sys, uuid, pika
params = pika.ConnectionParameters("127.0.0.1", 5672, "integration-hub", pika.PlainCredentials("pd", "pd-dev"))
with pika.BlockingConnection(params) as connection:
    channel = connection.channel()
    channel.confirm_delivery()
    properties = pika.BasicProperties(content_type="application/json", delivery_mode=2, user_id="pd",
        headers={"MT-MessageType": "urn:message:IntegrationHub.Contracts:CustomerDataCaptured"})
    for _ in range(int(sys.argv[1])):
        capture = {"captureId": str(uuid.uuid4()), "customerId": str(uuid.uuid4()), "sourceCompany": "PD",
                   "dealerId": "PZ-HAMBURG", "context": "Workshop", "purpose": "JointCare",
                   "capturedAt": "2026-11-29T10:15:00+01:00",
                   "data": {"ContactIdentification": {"familyName": "Bench", "note": "x" * 600},
                            "VehicleHistory": {"service": "annual inspection"}}}
        channel.basic_publish(exchange="inbound.customer-data-captured", routing_key="", body=json.dumps(capture), properties=properties)
EOF
}
settled() {
  /usr/bin/python3 - "$work/hub.db" "$1" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
inbox, outbox = db.execute("select (select count(*) from Inbox), (select count(*) from Outbox)").fetchone()
sys.exit(0 if inbox >= int(sys.argv[2]) and outbox == 0 else 1)
EOF
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# One phase: N captures published, perf recording the hub until every one is routed and sent.
phase() {
  local name="$1" count="$2" expected="$3" pid="$4"
  local before start recorder
  before=$(cpu_ticks "$pid"); start=$(date +%s.%N)
  perf record -e cpu-clock -F 499 -g -p "$pid" -o "$work/$name.data" >/dev/null 2>&1 &
  recorder=$!
  publish "$count"
  until settled "$expected" 2>/dev/null; do sleep 0.1; done
  kill -INT "$recorder"; wait "$recorder" || true
  python3 -c "import sys; n=$count; s=$(date +%s.%N)-$start; print(f'$name: {n} captures in {s:.1f} s ({n/s:.0f}/s), hub CPU {($(cpu_ticks "$pid")-$before)*10/n:.2f} ms per capture')" | tee -a "$work/summary"
  {
    echo; echo "## $name: shared objects"; echo
    perf report -i "$work/$name.data" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' | head -12 || true
    echo; echo "## $name: frames by inclusive share (above 1.5 %, async plumbing left out)"; echo
    perf report -i "$work/$name.data" --children --sort symbol --stdio -g none 2>/dev/null \
      | grep -E '^ +[0-9.]+%' | awk '$1+0 >= 1.5' \
      | grep -vE 'AsyncStateMachineBox|AsyncMethodBuilderCore|ExecutionContext|ThreadPoolWorkQueue|start_thread|0x0000' \
      | sed -E 's/\[OptimizedTier1\]|\[Optimized\]|\[QuickJitted\]//; s/ +$//' | cut -c1-190 | head -60 || true
  } > "$work/$name.txt"
}

purge
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet src/IntegrationHub.Cli/bin/Release/net10.0/hub.dll serve \
  --Hub:DatabasePath="$work/hub.db" --Logging:LogLevel:Default=Warning > "$work/hub.log" 2>&1 &
hub=$!
trap 'kill $hub 2>/dev/null || true' EXIT
until [[ -f "$work/hub.db" ]] && grep -q . <(rabbitmqctl -q list_consumers -p integration-hub 2>/dev/null | grep hub.inbound); do sleep 0.5; done

phase cold "$warm" "$warm" "$hub"
purge
phase warm "$captures" $((warm + captures)) "$hub"
kill "$hub"; wait "$hub" 2>/dev/null || true
purge

mkdir -p "$(dirname "$out")"
{
  echo "# Where the hub's CPU goes per capture ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Command: \`bash bench/profile-hub.sh $captures $warm\` (perf record -e cpu-clock -g on the hub process, DOTNET_PerfMapEnabled=1)."
  echo "cold: the first $warm captures of a fresh hub process; warm: the next $captures."
  echo
  cat "$work/summary"
  cat "$work/cold.txt" "$work/warm.txt"
} > "$out"
cat "$work/summary"
echo "profile: written to $out"
rm -rf "$work"
