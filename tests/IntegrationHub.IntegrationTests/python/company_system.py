#!/usr/bin/python3
"""A company system outside .NET, written only from docs/amqp-interface.md.

It publishes a capture as one company (for example PD) and then, as another company (for example
PAG), takes the delivery the hub sends to that company's own queue and acknowledges it. It prints
what it received as one JSON line and exits 0, or exits 1 with the reason.

usage: company_system.py PUBLISHER RECEIVER CUSTOMER_ID [HOST] [PORT]
"""
import json
import sys
import time
import uuid

import pika

VHOST = "integration-hub"


def connect(user, host, port):
    # Development passwords are "<user>-dev" and work on loopback only (docs/amqp-interface.md).
    credentials = pika.PlainCredentials(user, user + "-dev")
    return pika.BlockingConnection(pika.ConnectionParameters(host, port, VHOST, credentials))


def publish_capture(user, customer_id, host, port):
    capture = {
        "captureId": str(uuid.uuid4()),
        "customerId": customer_id,
        "sourceCompany": user.upper(),
        "dealerId": "PZ-HAMBURG",
        "context": "Workshop",
        "purpose": "JointCare",
        "capturedAt": "2026-11-29T10:15:00+01:00",
        "data": {
            "ContactIdentification": {"familyName": "Beispiel", "email": "kunde@example.org"},
            "VehicleHistory": {"service": "brake pads replaced"},
            "CreditBank": {"iban": "DE00000000000000000000"},
        },
    }
    connection = connect(user, host, port)
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            exchange="inbound.customer-data-captured",
            routing_key="",
            body=json.dumps(capture).encode("utf-8"),
            properties=pika.BasicProperties(
                content_type="application/json",
                delivery_mode=2,
                user_id=user,
                message_id=str(uuid.uuid4()),
                headers={"MT-MessageType": "urn:message:IntegrationHub.Contracts:CustomerDataCaptured"},
            ),
        )
    finally:
        connection.close()
    return capture["captureId"]


def receive_delivery(user, capture_id, host, port, timeout=30.0):
    connection = connect(user, host, port)
    try:
        channel = connection.channel()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            method, properties, body = channel.basic_get(queue="company." + user, auto_ack=False)
            if method is None:
                time.sleep(0.1)
                continue
            message_type = (properties.headers or {}).get("MT-MessageType")
            delivery = json.loads(body)
            # A real system would store each delivery before acknowledging it; this one only looks
            # for the delivery of its own capture and takes every message in order.
            channel.basic_ack(method.delivery_tag)
            if message_type == "urn:message:IntegrationHub.Contracts:DeliverCustomerData" and delivery.get("captureId") == capture_id:
                return delivery
    finally:
        connection.close()
    return None


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    publisher, receiver, customer_id = sys.argv[1], sys.argv[2], sys.argv[3]
    host = sys.argv[4] if len(sys.argv) > 4 else "127.0.0.1"
    port = int(sys.argv[5]) if len(sys.argv) > 5 else 5672
    capture_id = publish_capture(publisher, customer_id, host, port)
    delivery = receive_delivery(receiver, capture_id, host, port)
    if delivery is None:
        print(f"no delivery for capture {capture_id} in company.{receiver} within 30 s", file=sys.stderr)
        return 1
    print(json.dumps({
        "recipient": delivery["recipient"],
        "customerId": delivery["customerId"],
        "categories": sorted(delivery["data"].keys()),
        "policyVersion": delivery["policyVersion"],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
