'use strict';
// Readiness probe for the local Kafka broker, run by stack.sh once the port answers.
// An open port is not enough: the broker accepts connections before the KRaft quorum
// has elected itself and before it can create topics, so do real metadata work here.
//
// Env:  KAFKA_HOST (127.0.0.1), KAFKA_PORT (9092), KAFKA_READY_ATTEMPTS (30),
//       KAFKA_READY_TIMEOUT_S (60: an attempt against a hung broker can take seconds),
//       KAFKA_PID (optional: stop early if that process dies)
// Exit: 0 ready, 1 not ready after all attempts, 2 the broker process died.

const { Kafka, logLevel } = require('kafkajs');

const host = process.env.KAFKA_HOST || '127.0.0.1';
const port = Number(process.env.KAFKA_PORT || 9092);
const attempts = Number(process.env.KAFKA_READY_ATTEMPTS || 30);
const deadline = Date.now() + 1000 * Number(process.env.KAFKA_READY_TIMEOUT_S || 60);
const brokerPid = process.env.KAFKA_PID ? Number(process.env.KAFKA_PID) : undefined;
const PROBE_TOPIC = '__signal_stack_probe';
const DELAY_MS = 1000;

const kafka = new Kafka({
  clientId: 'signal-stack-probe',
  brokers: [`${host}:${port}`],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 3000,
  requestTimeout: 10000,
  retry: { retries: 0 }, // the loop below does the retrying
});

async function probeOnce() {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no brokers in cluster metadata');
    if (cluster.controller == null || cluster.controller < 0) throw new Error('no controller yet');

    // createTopics returns false if a probe topic was left over by an interrupted run: fine.
    await admin.createTopics({
      topics: [{ topic: PROBE_TOPIC, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
      timeout: 10000,
    });
    await admin.deleteTopics({ topics: [PROBE_TOPIC], timeout: 10000 });
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function brokerDied() {
  if (brokerPid === undefined) return false;
  try {
    process.kill(brokerPid, 0);
    return false;
  } catch (err) {
    return err.code === 'ESRCH';
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  let lastError;
  let attempt = 0;
  let lastReport = Date.now();
  while (attempt < attempts && Date.now() < deadline) {
    attempt++;
    if (brokerDied()) {
      console.error(`kafka-ready: broker process ${brokerPid} exited`);
      return 2;
    }
    try {
      await probeOnce();
      return 0;
    } catch (err) {
      lastError = err;
      if (Date.now() - lastReport >= 5000) {
        console.log(
          `    kafka-ready: not ready yet (attempt ${attempt}/${attempts}): ${err.message}`,
        );
        lastReport = Date.now();
      }
    }
    await sleep(DELAY_MS);
  }
  console.error(
    `kafka-ready: ${host}:${port} not ready after ${attempt} attempts: ${lastError && lastError.message}`,
  );
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`kafka-ready: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  },
);
