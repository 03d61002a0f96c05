#!/usr/bin/env bash
# Runs every test of the solution against a real RabbitMQ and PostgreSQL: starts (installing if needed) both,
# checks docker-compose.yml, runs dotnet test, and ends with one summary line "N passed, N failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash infrastructure/rabbitmq/start-broker.sh

# The hub's store on PostgreSQL is tested beside SQLite: a local cluster (installed when missing) or
# the server POSTGRES_URL names; the script prints the URL last.
POSTGRES_URL="$(bash infrastructure/postgres/start-postgres.sh | tail -n 1)"
export POSTGRES_URL

# docker-compose.yml must stay valid for the users who have Docker; 'config' needs no Docker engine.
if ! command -v docker-compose >/dev/null 2>&1 && [[ "$(id -u)" == "0" ]]; then
  echo "tests: installing Debian's docker-compose to validate docker-compose.yml"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
fi
if command -v docker-compose >/dev/null 2>&1; then
  docker-compose -f docker-compose.yml config -q
  echo "tests: docker-compose.yml is valid"
fi

# The Python company-system test needs Debian's python3-pika for Debian's /usr/bin/python3.
if ! /usr/bin/python3 -c "import pika" >/dev/null 2>&1 && [[ "$(id -u)" == "0" ]]; then
  echo "tests: installing Debian's python3-pika"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pika >/dev/null
fi

# The monitoring files of the compose deployment (Prometheus, Grafana) are checked with Debian's python3-yaml.
if ! /usr/bin/python3 -c "import yaml" >/dev/null 2>&1 && [[ "$(id -u)" == "0" ]]; then
  echo "tests: installing Debian's python3-yaml"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-yaml >/dev/null
fi
/usr/bin/python3 infrastructure/prometheus/check-monitoring.py "$root"

# The dashboard's browser test drives Debian's chromium through Playwright (no browser download);
# fonts-dejavu-core gives its screenshots legible text on a machine without any fonts.
if { [[ ! -x /usr/bin/chromium ]] || [[ ! -d /usr/share/fonts/truetype/dejavu ]]; } && [[ "$(id -u)" == "0" ]]; then
  echo "tests: installing Debian's chromium for the dashboard's browser test"
  if ! apt-cache show chromium >/dev/null 2>&1; then apt-get update -qq; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi

log="$(mktemp)"
integration_log="$(mktemp)"
set +e
dotnet build IntegrationHub.sln --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [[ "$status" == "0" ]]; then
  # The integration tests (about 9 minutes, most of it waiting on the broker, the hub and worker
  # processes: under one core busy) run beside the other test projects, which touch neither the broker
  # nor each other's databases; their output follows once they end.
  dotnet test tests/IntegrationHub.IntegrationTests --no-build --nologo >"$integration_log" 2>&1 &
  integration=$!
  for project in tests/*/*.csproj; do
    [[ "$project" == */IntegrationHub.IntegrationTests.csproj ]] && continue
    dotnet test "$project" --no-build --nologo 2>&1 | tee -a "$log"
    (( PIPESTATUS[0] == 0 )) || status=1
  done
  wait "$integration" || status=1
  tee -a "$log" <"$integration_log"
fi
rm -f "$integration_log"
set -e

# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, Skipped: S" line per test project.
awk '
  /(Passed|Failed)! +- Failed: / {
    gsub(/,/, "");
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i + 1);
      if ($i == "Passed:") p += $(i + 1);
      if ($i == "Skipped:") s += $(i + 1);
    }
    projects++
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s; if (projects == 0) exit 1 }
' "$log" || status=1
rm -f "$log"
exit "$status"
