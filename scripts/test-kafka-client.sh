#!/usr/bin/env bash
# `KAFKA_CLIENT=platformatic npm run test:kafka-client`: the Kafka fault tests (rebalance, ordering,
# SIGKILL, DB outage, DLQ replay, chaos) on the client KAFKA_CLIENT names, against the real stack.
# Not part of CI: run it before a Kafka, Node or client upgrade and after a transport change.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-dependencies.sh
bash scripts/stack/stack.sh up
echo "==> build (the fault tests run the built app)"
npm run --silent build
echo "==> jest on KAFKA_CLIENT=${KAFKA_CLIENT:-kafkajs}"
npx jest --config jest.config.js --runInBand test/e2e/kafka-notification \
  test/medium/infrastructure/kafka-transport.e2e-spec.ts test/e2e/phx-push/producer.e2e-spec.ts test/e2e/chaos "$@"
