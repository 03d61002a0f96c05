#!/usr/bin/env python3
"""Writes definitions.json (RabbitMQ 3.10 definitions) from the party directory and the contracts.

One source of truth: every company in infrastructure/policy/parties.json gets a broker user, a queue
and least-privilege permissions; every contract published to the hub ([EntityName("inbound.…")])
gets its exchange, bound to the hub's queue. The output is deterministic, so a changed file in git
means a changed topology. Usage: generate-definitions.py [--check]
"""
import base64
import hashlib
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VHOST = "integration-hub"
# BrokerNames.HubPartitionCount
PARTITIONS = 16
DELIVERY_LIMIT = 20


def password_hash(user: str, password: str) -> str:
    # rabbit_password_hashing_sha256: base64(salt + sha256(salt + password)). The salt is derived
    # from the user name so the file is reproducible; these are development passwords only.
    salt = hashlib.sha256(f"integration-hub-salt:{user}".encode()).digest()[:4]
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def contract_exchanges(prefix):
    names = set()
    for path in sorted((ROOT / "contracts").rglob("*.cs")):
        names.update(re.findall(r'\[EntityName\("(' + re.escape(prefix) + r'[a-z0-9-]+)"\)\]', path.read_text(encoding="utf-8")))
    return sorted(names)


def quorum_queue(name):
    return {"name": name, "vhost": VHOST, "durable": True, "auto_delete": False,
            "arguments": {"x-queue-type": "quorum"}}


def single_active_queue(name):
    queue = quorum_queue(name)
    queue["arguments"]["x-single-active-consumer"] = True
    return queue


def fanout(name):
    return {"name": name, "vhost": VHOST, "type": "fanout", "durable": True, "auto_delete": False,
            "internal": False, "arguments": {}}


def binding(source, destination, destination_type="queue"):
    return {"source": source, "vhost": VHOST, "destination": destination,
            "destination_type": destination_type, "routing_key": "", "arguments": {}}


def user(name, tags=""):
    return {"name": name, "password_hash": password_hash(name, f"{name}-dev"),
            "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": tags, "limits": {}}


def permission(name, configure, write, read):
    return {"user": name, "vhost": VHOST, "configure": configure, "write": write, "read": read}


def build():
    parties = json.loads((ROOT / "infrastructure" / "policy" / "parties.json").read_text(encoding="utf-8"))
    companies = [c["id"] for c in parties["companies"]]
    inbound = contract_exchanges("inbound.")
    events = contract_exchanges("hub.events.")
    if not inbound:
        sys.exit("generate-definitions: no [EntityName(\"inbound.…\")] contracts found")

    # The hub may move a refused message to its error queue as it came, user_id included: RabbitMQ
    # allows a foreign user_id only to users tagged impersonator (validated user ids).
    users = [user("hub", "impersonator"), user("ops", "monitoring"), user("ops-retry", "impersonator")]
    permissions = [
        # The hub owns the topology of the vhost: its queue, the inbound and company exchanges and
        # queues, dead-lettering and MassTransit's fault exchanges. It is no broker administrator.
        permission("hub", r"^(hub\.|inbound\.|company\.|dead-letter|MassTransit:).*",
                   r"^(hub\.|inbound\.|company\.|dead-letter|MassTransit:).*",
                   r"^(hub\.|inbound\.|company\.|dead-letter|MassTransit:).*"),
        # Operations see queue depths and rates through the management API (monitoring tag) and
        # read one queue: the hub's events (ids, companies, counts and times; never data values).
        permission("ops", "^$", "^$", r"^ops\.events$"),
        # The operations dashboard's second login, for parked messages only: it reads the error,
        # skipped and dead-letter queues (reading is the only way to inspect a message, and reading
        # without acknowledging would count against a quorum queue's delivery limit, so it takes each
        # message and puts it back through the queue's own exchange) and moves one back for another
        # try. A moved message must keep the user_id the broker vouched for when the company
        # published it, because the hub checks it as proof of the sender: RabbitMQ allows a foreign
        # user_id only to impersonators. A user of its own rather than the hub's login, so that the
        # dashboard cannot configure or delete anything, nor read the hub's queue, a company's queue
        # or ops.events; what it can write is what moving back needs (the hub's queue, a company's
        # queue for a message from that company's error queue or the dead-letter queue).
        permission("ops-retry", "^$",
                   r"^(hub\.inbound(_error|_skipped)?|dead-letter|company\.[a-z0-9-]+(_error)?)$",
                   r"^(hub\.inbound_error|hub\.inbound_skipped|dead-letter|company\.[a-z0-9-]+_error)$"),
    ]
    # One consumer of hub.inbound at a time (single active consumer): a second hub process waits as a
    # standby and takes over when the first goes, and no two hubs ever take one customer's messages at
    # once. Several hubs share the work through the partition queues below.
    queues = [single_active_queue("hub.inbound"), quorum_queue("hub.inbound_error"), quorum_queue("hub.inbound_skipped"),
              {"name": "dead-letter", "vhost": VHOST, "durable": True, "auto_delete": False,
               "arguments": {"x-queue-type": "quorum"}}]
    exchanges = [fanout("hub.inbound"), fanout("hub.inbound_error"), fanout("hub.inbound_skipped"), fanout("dead-letter")]
    bindings = [binding("hub.inbound", "hub.inbound"), binding("hub.inbound_error", "hub.inbound_error"),
                binding("hub.inbound_skipped", "hub.inbound_skipped"), binding("dead-letter", "dead-letter")]
    for name in inbound:
        exchanges.append(fanout(name))
        bindings.append(binding(name, "hub.inbound", "exchange"))

    # Several hub processes (Hub:Partitioned): the active one on hub.inbound forwards every message to
    # the consistent-hash exchange with its customer as routing key; each partition queue has one
    # active consumer, so a customer's messages are taken one at a time, in order, by one hub.
    exchanges.append({"name": "hub.partitions", "vhost": VHOST, "type": "x-consistent-hash", "durable": True,
                      "auto_delete": False, "internal": False, "arguments": {}})
    for partition in range(PARTITIONS):
        queue = f"hub.partition.{partition}"
        queues.append(single_active_queue(queue))
        # The binding key of a consistent-hash exchange is the queue's weight.
        bindings.append(dict(binding("hub.partitions", queue), routing_key="1"))

    # Every event the hub publishes reaches someone: operations read them all from ops.events, so the
    # hub can publish them as mandatory and notice when one would reach nobody.
    queues.append(quorum_queue("ops.events"))
    for name in events:
        exchanges.append(fanout(name))
        bindings.append(binding(name, "ops.events"))

    for company in companies:
        name = company.lower()
        queue = f"company.{name}"
        own = rf"^company\.{re.escape(name)}(_error|_skipped)?$"
        users.append(user(name))
        # A company configures nothing: in RabbitMQ, configure on a queue also allows deleting it, and
        # a company that deleted its queue made the hub's deliveries vanish (issue 12). The queues exist
        # by these definitions; workers consume without declaring. A company reads only its own queues
        # and writes only to the inbound exchanges and its own error and skipped queues, never into
        # its own queue (only the hub sends there). Without read on the inbound exchanges it cannot
        # bind a queue to them to eavesdrop; without write on another company's exchange it cannot pose as the hub.
        permissions.append(permission(name, "^$", rf"^(inbound\..*|company\.{re.escape(name)}(_error|_skipped))$", own))
        for suffix in ("", "_error", "_skipped"):
            queues.append(quorum_queue(queue + suffix))
            exchanges.append(fanout(queue + suffix))
            bindings.append(binding(queue + suffix, queue + suffix))

    policies = [{
        "vhost": VHOST, "name": "durable-queues", "pattern": r"^(hub|company|ops)\.", "apply-to": "queues", "priority": 0,
        # RabbitMQ 3.10 cannot set the queue type by policy: the definitions above and every
        # declaring process use x-queue-type=quorum; the policy adds what a policy can.
        "definition": {"delivery-limit": DELIVERY_LIMIT, "dead-letter-exchange": "dead-letter"},
    }]

    return {
        "rabbit_version": "3.10.8",
        "users": users,
        "vhosts": [{"name": VHOST}],
        "permissions": permissions,
        "topic_permissions": [],
        "parameters": [],
        "global_parameters": [],
        "policies": policies,
        "queues": queues,
        "exchanges": exchanges,
        "bindings": bindings,
    }


def main():
    text = json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
    target = HERE / "definitions.json"
    conf = (HERE / "rabbitmq.conf").read_text(encoding="utf-8")
    missing = [u["name"] for u in build()["users"] if f"loopback_users.{u['name']} = true" not in conf]
    if missing:
        sys.exit(f"generate-definitions: rabbitmq.conf lacks loopback_users lines for {', '.join(missing)}")
    if "--check" in sys.argv:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            sys.exit("generate-definitions: definitions.json is out of date; run infrastructure/rabbitmq/generate-definitions.py")
        return
    target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
