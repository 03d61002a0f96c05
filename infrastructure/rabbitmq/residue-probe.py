#!/usr/bin/python3
"""Measures how long consumed values stay on the broker's disk (README, "Data protection on disk").

Publishes COUNT marker values through the quorum queue company.psm (as the hub), consumes them (as PSM),
then byte-scans every file under the broker's data directory once a second until no marker is left or
TIMEOUT seconds have passed. Prints one JSON line. For a development broker only: it takes and
acknowledges whatever else waits in company.psm, and uses the development passwords (loopback only).
Reading the data directory needs root or the rabbitmq user.

usage: residue-probe.py DATA_DIR [PORT] [COUNT] [TIMEOUT_S]
"""
import json, os, sys, time, uuid
import pika

if len(sys.argv) < 2:
    print(__doc__, file=sys.stderr)
    sys.exit(2)
data_dir = sys.argv[1]
port = int(sys.argv[2]) if len(sys.argv) > 2 else 5672
count = int(sys.argv[3]) if len(sys.argv) > 3 else 20
timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 120
run = uuid.uuid4().hex
markers = [f"residue-{run}-{i:03d}".encode() for i in range(count)]


def connect(user):
    return pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", port, "integration-hub", pika.PlainCredentials(user, user + "-dev")))


def holding():
    found = set()
    for root, _, files in os.walk(data_dir):
        for name in files:
            path = os.path.join(root, name)
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            if any(m in data for m in markers):
                found.add(os.path.relpath(path, data_dir))
    return sorted(found)


with connect("hub") as connection:
    channel = connection.channel()
    channel.confirm_delivery()
    for marker in markers:
        channel.basic_publish("company.psm", "", json.dumps({"note": marker.decode()}).encode(),
                              pika.BasicProperties(delivery_mode=2, user_id="hub"))
published = time.monotonic()
with connect("psm") as connection:
    channel = connection.channel()
    taken = 0
    while taken < count:
        method, _, body = channel.basic_get("company.psm")
        if method is None:
            time.sleep(0.05)
            continue
        channel.basic_ack(method.delivery_tag)
        taken += run.encode() in body
consumed = time.monotonic()
left = holding()
while left and time.monotonic() - consumed < timeout:
    time.sleep(1)
    left = holding()
print(json.dumps({"markers": count, "consumed_after_s": round(consumed - published, 2),
                  "gone_after_s": None if left else round(time.monotonic() - consumed, 1), "still_in": left}))
