#!/usr/bin/python3
"""Checks the monitoring files of the compose deployment without Docker: the Prometheus scrape
configuration, Grafana's provisioning and the dashboard. Structure only; that the hub exports every
metric the dashboard queries is checked against a running hub by the integration tests.

usage: check-monitoring.py [REPOSITORY]; exits 1 naming the first problem."""
import json
import re
import sys
from pathlib import Path

import yaml

root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2])


def fail(message):
    print(f"monitoring: {message}", file=sys.stderr)
    sys.exit(1)


compose = yaml.safe_load((root / "docker-compose.yml").read_text())
services = compose["services"]

prometheus = yaml.safe_load((root / "infrastructure/prometheus/prometheus.yml").read_text())
jobs = prometheus.get("scrape_configs") or fail("prometheus.yml has no scrape_configs")
names = [job.get("job_name") for job in jobs]
if len(set(names)) != len(names) or None in names:
    fail(f"prometheus.yml: every scrape config needs its own job_name ({names})")
for job in jobs:
    for static in job.get("static_configs") or fail(f"job {job['job_name']} has no static_configs"):
        for target in static.get("targets") or fail(f"job {job['job_name']} has no targets"):
            host, _, port = target.partition(":")
            if host not in services:
                fail(f"job {job['job_name']}: target {target} is no service of docker-compose.yml")
            if not port.isdigit():
                fail(f"job {job['job_name']}: target {target} has no port")
            ops_port = (services[host].get("environment") or {}).get("Ops__Port")
            if not host.startswith("rabbitmq-") and str(ops_port) != port:
                fail(f"job {job['job_name']}: {host} serves its metrics on Ops__Port {ops_port}, not {port}")
for company_worker in [s for s in services if s.startswith("worker-")]:
    if not any(f"{company_worker}:" in t for job in jobs for static in job["static_configs"] for t in static["targets"]):
        fail(f"{company_worker} is not scraped")

datasources = yaml.safe_load((root / "infrastructure/grafana/provisioning/datasources/prometheus.yml").read_text())["datasources"]
uids = {d["uid"] for d in datasources if d.get("type") == "prometheus"}
providers = yaml.safe_load((root / "infrastructure/grafana/provisioning/dashboards/integration-hub.yml").read_text())["providers"]
if not providers or not providers[0].get("options", {}).get("path"):
    fail("the dashboard provider names no path")

for path in sorted((root / "infrastructure/grafana/dashboards").glob("*.json")):
    dashboard = json.loads(path.read_text())
    for key in ("uid", "title", "panels", "schemaVersion"):
        if key not in dashboard:
            fail(f"{path.name}: no {key}")
    ids = [p["id"] for p in dashboard["panels"]]
    if len(set(ids)) != len(ids):
        fail(f"{path.name}: panel ids repeat")
    for panel in dashboard["panels"]:
        where = f"{path.name}, panel {panel.get('title')!r}"
        if panel.get("datasource", {}).get("uid") not in uids:
            fail(f"{where}: datasource {panel.get('datasource')} is not provisioned")
        if not all(k in panel.get("gridPos", {}) for k in ("x", "y", "w", "h")):
            fail(f"{where}: gridPos incomplete")
        refs = [t.get("refId") for t in panel.get("targets") or fail(f"{where}: no targets")]
        if len(set(refs)) != len(refs) or None in refs:
            fail(f"{where}: refIds missing or repeated")
        for target in panel["targets"]:
            expr = target.get("expr", "")
            if not expr.strip() or expr.count("(") != expr.count(")") or expr.count("[") != expr.count("]"):
                fail(f"{where}: expression {expr!r} is empty or unbalanced")
            if not re.search(r"[a-z_]+_[a-z_]+|\bup\b", expr):
                fail(f"{where}: expression {expr!r} queries no metric")
    print(f"monitoring: {path.name}: {len(dashboard['panels'])} panels valid")
print(f"monitoring: prometheus.yml: {len(jobs)} jobs valid")
