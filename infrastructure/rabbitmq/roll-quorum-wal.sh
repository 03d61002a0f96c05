#!/usr/bin/env bash
# Takes consumed messages (and the customer values in them) off the broker's disk. Every quorum queue
# writes each message first to the node's shared write-ahead log; RabbitMQ rolls it over on its own only
# when it reaches raft.wal_max_size_bytes (rabbitmq.conf), which bounds the residue by volume, not time.
# This script bounds it by time; run it every minute on the broker host (cron or a systemd timer):
#  1. the WAL is rolled over: the old file is deleted, and entries a queue still needs go to its segment files;
#  2. once the segment writer is through, each quorum queue is asked to reclaim memory, which makes an
#     empty queue release its log up to now, so that segment files holding only consumed messages go.
# Should step 2 come before the segment files are written, the next run deletes them. A queue that still
# holds a message keeps its log from that message on, until the message is consumed.
# RabbitMQ 3.10 (Ra 2.x); measured in README, "Data protection on disk".
#   usage: roll-quorum-wal.sh [node]        e.g. roll-quorum-wal.sh rabbit@localhost
set -euo pipefail
node="${1:-${RABBITMQ_NODENAME:-}}"
rabbitmqctl ${node:+-n "$node"} -q eval '
  ok = ra_log_wal:force_roll_over(ra_log_wal),
  timer:sleep(1000),
  ra_log_segment_writer:await(ra_log_segment_writer),
  [rabbit_quorum_queue:reclaim_memory(VHost, Name)
   || Q <- rabbit_amqqueue:list(), amqqueue:get_type(Q) =:= rabbit_quorum_queue,
      {resource, VHost, queue, Name} <- [amqqueue:get_name(Q)]],
  ok.' >/dev/null
