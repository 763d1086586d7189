#!/usr/bin/env bash
# Local stack for Signal: a real Apache Kafka broker (KRaft, jars fetched with Maven, no Docker),
# the PostgreSQL, RabbitMQ and Redis installed on the machine as Debian services, and MailDev
# (node_modules) as the SMTP server that catches the app's e-mails and shows them in a web UI.
#
#   stack.sh up       start whatever is not running yet, wait until everything answers
#   stack.sh down     stop Kafka, MailDev and the services this script started (data is kept)
#   stack.sh status   table of the five services; exit 0 only if all are up
#   stack.sh reset    stop Kafka and delete its data (clean slate on the next `up`)
#
# All state lives in $REPO/.cache/ (git-ignored).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
CACHE="$REPO/.cache"
STARTED_FILE="$CACHE/stack/started"

HOST=127.0.0.1
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
# The names MailDev reads itself; SMTP on the app's default SMTP_URL port.
MAILDEV_SMTP_PORT=${MAILDEV_SMTP_PORT:-1025}
MAILDEV_WEB_PORT=${MAILDEV_WEB_PORT:-1080}
POSTGRES_PORT=5432
RABBITMQ_PORT=5672
REDIS_PORT=6379
DATABASES=(signal signal_test)
SERVICES=(postgres rabbitmq redis)

KAFKA_DIR="$CACHE/kafka"
KAFKA_LIBS="$KAFKA_DIR/libs"
KAFKA_LIBS_MARKER="$KAFKA_LIBS/.complete"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_CONFIG="$KAFKA_DIR/server.properties"
KAFKA_CLUSTER_ID_FILE="$KAFKA_DIR/cluster-id"
KAFKA_PID_FILE="$KAFKA_DIR/kafka.pid"
KAFKA_LOG="$KAFKA_DIR/kafka.log"
KAFKA_MAVEN_LOG="$KAFKA_DIR/maven.log"
KAFKA_POM="$SCRIPT_DIR/kafka/pom.xml"
KAFKA_LOG4J="$SCRIPT_DIR/kafka/log4j2.properties"
KAFKA_READY_JS="$SCRIPT_DIR/kafka-ready.js"
# kafkajs arms a negative timer at connect, which Node 24 reports on stderr (harmless: it runs as 1 ms).
KAFKA_READY_NODE_FLAGS=--disable-warning=TimeoutNegativeWarning

MAILDEV_BIN="$REPO/node_modules/.bin/maildev"
MAILDEV_DIR="$CACHE/maildev"
MAILDEV_PID_FILE="$MAILDEV_DIR/maildev.pid"
MAILDEV_LOG="$MAILDEV_DIR/maildev.log"
# Kept in memory only; the cap bounds it when a long session sends many (about 15 KB each).
MAILDEV_MAX_EMAILS=1000

KAFKA_PORT_TIMEOUT=60
MAILDEV_TIMEOUT=30
SERVICE_TIMEOUT=60

# ---------------------------------------------------------------------------
# helpers

say() { printf '==> %s\n' "$*"; }
warn() { printf '==> %s\n' "$*" >&2; }
die() {
  warn "error: $*"
  exit 1
}

require_command() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH ($2)"
}

port_open() { # port_open <port>
  timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# wait_for <label> <timeout-seconds> <command...>: poll every 0.5 s, report every 10 s.
wait_for() {
  local label=$1 timeout=$2
  shift 2
  local start=$SECONDS next_report=10
  until "$@"; do
    ((SECONDS - start < timeout)) || return 1
    if ((SECONDS - start >= next_report)); then
      say "$label: still waiting ($((SECONDS - start))s)"
      next_report=$((next_report + 10))
    fi
    sleep 0.5
  done
}

# Prints "still working" every 15 s while a long silent command (mvn -q) runs in the foreground.
HEARTBEAT_PID=""
heartbeat_start() {
  local label=$1 parent=$$
  (
    elapsed=0
    while sleep 15 && kill -0 "$parent" 2>/dev/null; do
      elapsed=$((elapsed + 15))
      say "$label: still working (${elapsed}s)"
    done
  ) &
  HEARTBEAT_PID=$!
}
heartbeat_stop() {
  if [[ -n $HEARTBEAT_PID ]]; then
    kill "$HEARTBEAT_PID" 2>/dev/null || true
    wait "$HEARTBEAT_PID" 2>/dev/null || true
    HEARTBEAT_PID=""
  fi
}
trap heartbeat_stop EXIT

# Pid listening on a port (empty if not visible, e.g. another user's process).
port_owner_pid() {
  ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true
}

# Which process listens on a port, for error messages ("pid 123: python3 -m http.server").
port_owner() {
  local pid
  pid=$(port_owner_pid "$1")
  if [[ -n $pid ]]; then
    printf 'pid %s: %s' "$pid" "$(ps -o args= -p "$pid" | cut -c1-100)"
  else
    printf 'unknown process'
  fi
}

# stop_process <name> <pid>: SIGTERM, then SIGKILL if it is still there after 20 s.
stop_process() {
  local name=$1 pid=$2 waited=0
  say "$name: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((waited < 40)); do
    sleep 0.5
    waited=$((waited + 1))
    ((waited % 20 != 0)) || say "$name: still stopping ($((waited / 2))s)"
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name: did not stop within 20s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  say "$name: stopped"
}

# .cache/stack/started lists the services `up` started, so `down` stops only those.
record_started() {
  mkdir -p "$(dirname "$STARTED_FILE")"
  grep -qx "$1" "$STARTED_FILE" 2>/dev/null || echo "$1" >>"$STARTED_FILE"
}
was_started() { grep -qx "$1" "$STARTED_FILE" 2>/dev/null; }

# ---------------------------------------------------------------------------
# PostgreSQL, RabbitMQ, Redis: <name>_check / <name>_start / <name>_stop

postgres_cluster_version() { ls /etc/postgresql | sort -V | tail -n1; }
postgres_check() { pg_isready -h "$HOST" -p "$POSTGRES_PORT" -q; }
postgres_start() { pg_ctlcluster --skip-systemctl-redirect "$(postgres_cluster_version)" main start; }
postgres_stop() { pg_ctlcluster --skip-systemctl-redirect "$(postgres_cluster_version)" main stop; }

rabbitmq_check() { port_open "$RABBITMQ_PORT" && rabbitmq-diagnostics -q check_running >/dev/null 2>&1; }
rabbitmq_start() { rabbitmq-server -detached; }
rabbitmq_stop() { rabbitmqctl -q stop; }

redis_check() { [[ $(timeout 5 redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }
redis_start() {
  redis-server --daemonize yes --bind "$HOST" --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
}
redis_stop() { redis-cli -h "$HOST" -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; }

service_port() { # service_port <name>
  local var="${1^^}_PORT"
  echo "${!var}"
}

# Starts a service if it does not answer. Does not wait: rabbitmq takes 10-20 s to boot,
# so `up` kicks everything off first and waits afterwards.
declare -A SERVICE_LAUNCHED_AT=()
service_ensure_started() {
  local name=$1
  if "${name}_check"; then
    say "$name: already running on $HOST:$(service_port "$name")"
    return
  fi
  say "$name: starting"
  "${name}_start" || die "$name: failed to start"
  record_started "$name"
  SERVICE_LAUNCHED_AT[$name]=$SECONDS
}

service_wait() {
  local name=$1
  [[ -n ${SERVICE_LAUNCHED_AT[$name]:-} ]] || return 0
  # RabbitMQ: poll the cheap TCP port first, the diagnostics call takes a while.
  if [[ $name == rabbitmq ]]; then
    wait_for "$name" "$SERVICE_TIMEOUT" port_open "$RABBITMQ_PORT" ||
      die "$name: port $RABBITMQ_PORT did not open within ${SERVICE_TIMEOUT}s"
  fi
  wait_for "$name" "$SERVICE_TIMEOUT" "${name}_check" ||
    die "$name: did not answer within ${SERVICE_TIMEOUT}s"
  say "$name: ready in $((SECONDS - ${SERVICE_LAUNCHED_AT[$name]}))s on $HOST:$(service_port "$name")"
}

postgres_ensure_databases() {
  local db exists
  for db in "${DATABASES[@]}"; do
    exists=$(psql -X -h "$HOST" -p "$POSTGRES_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'")
    if [[ $exists != 1 ]]; then
      createdb -h "$HOST" -p "$POSTGRES_PORT" -U postgres "$db"
      say "postgres: created database $db"
    fi
  done
}

# ---------------------------------------------------------------------------
# Kafka

# Pid of the broker this script started, if that process is still alive and is java.
kafka_pid() {
  local pid
  [[ -f $KAFKA_PID_FILE ]] || return 1
  pid=$(<"$KAFKA_PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ $(ps -o comm= -p "$pid") == java ]] || return 1
  echo "$pid"
}
kafka_alive() { kafka_pid >/dev/null; }

kafkajs_available() { (cd "$REPO" && node -e 'require.resolve("kafkajs")' >/dev/null 2>&1); }

# The marker holds the pom's hash: a new Kafka version in the pom fetches its jars again.
kafka_pom_hash() { sha256sum "$KAFKA_POM" | cut -d' ' -f1; }

kafka_fetch_libs() {
  [[ -f $KAFKA_LIBS_MARKER && $(<"$KAFKA_LIBS_MARKER") == "$(kafka_pom_hash)" ]] && return
  require_command mvn "needed once to fetch the Kafka jars"
  say "kafka: fetching jars with Maven (first run only)…"
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$KAFKA_LIBS"
  heartbeat_start "kafka: Maven"
  # Output goes to a file: Debian's Maven 3.8 prints stray ANSI resets even with -q -B.
  if ! mvn -q -B -f "$KAFKA_POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" >"$KAFKA_MAVEN_LOG" 2>&1; then
    heartbeat_stop
    sed 's/\x1b\[[0-9;]*m//g' "$KAFKA_MAVEN_LOG" | tail -n 40 >&2
    die "kafka: Maven could not fetch the jars (full output in ${KAFKA_MAVEN_LOG#"$REPO"/})"
  fi
  heartbeat_stop
  # Written last, so an interrupted fetch is redone on the next run.
  kafka_pom_hash >"$KAFKA_LIBS_MARKER"
  say "kafka: $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars in ${KAFKA_LIBS#"$REPO"/}"
}

# Regenerated on every start so KAFKA_PORT / KAFKA_CONTROLLER_PORT changes apply.
kafka_write_config() {
  mkdir -p "$KAFKA_DATA"
  cat >"$KAFKA_CONFIG" <<EOF
# Generated by scripts/stack/stack.sh; edits are overwritten on the next start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
log.retention.hours=24
EOF
}

kafka_java() { # kafka_java <main class> <args...>
  java -Dlog4j2.configurationFile="$KAFKA_LOG4J" -cp "$KAFKA_LIBS/*" "$@"
}

kafka_format_storage() {
  [[ -f $KAFKA_DATA/meta.properties ]] && return
  if [[ ! -s $KAFKA_CLUSTER_ID_FILE ]]; then
    kafka_java kafka.tools.StorageTool random-uuid >"$KAFKA_CLUSTER_ID_FILE.tmp"
    mv "$KAFKA_CLUSTER_ID_FILE.tmp" "$KAFKA_CLUSTER_ID_FILE"
  fi
  say "kafka: formatting storage (cluster id $(<"$KAFKA_CLUSTER_ID_FILE"))"
  kafka_java kafka.tools.StorageTool format -t "$(<"$KAFKA_CLUSTER_ID_FILE")" -c "$KAFKA_CONFIG" >>"$KAFKA_LOG" 2>&1 || {
    tail -n 20 "$KAFKA_LOG" >&2
    die "kafka: formatting storage failed"
  }
}

kafka_launch() {
  say "kafka: starting on $HOST:$KAFKA_PORT"
  # kafka.log is appended to across restarts; keep one old generation past 10 MB.
  if [[ -f $KAFKA_LOG ]] && (($(stat -c %s "$KAFKA_LOG") > 10 * 1024 * 1024)); then
    mv -f "$KAFKA_LOG" "$KAFKA_LOG.1"
  fi
  # setsid + nohup: the broker must outlive this shell (and a CI step that ran it).
  # setsid does not fork here (we are not a process group leader), so $! is the java pid.
  setsid nohup java -Xms256m -Xmx512m -XX:+UseG1GC \
    -Dlog4j2.configurationFile="$KAFKA_LOG4J" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONFIG" \
    >>"$KAFKA_LOG" 2>&1 </dev/null &
  echo $! >"$KAFKA_PID_FILE"
  disown # no "Killed" job notice from bash if we ever have to SIGKILL it
  KAFKA_LAUNCHED_AT=$SECONDS
}

kafka_stop() {
  local pid
  if ! pid=$(kafka_pid); then
    if [[ -f $KAFKA_PID_FILE ]]; then
      rm -f "$KAFKA_PID_FILE"
      say "kafka: not running (removed stale pid file)"
    else
      say "kafka: not started by stack, nothing to stop"
    fi
    return
  fi
  stop_process kafka "$pid"
  rm -f "$KAFKA_PID_FILE"
}

kafka_port_open_or_dead() { port_open "$KAFKA_PORT" || ! kafka_alive; }

kafka_print_log_tail() {
  warn "kafka: last 40 lines of ${KAFKA_LOG#"$REPO"/}:"
  tail -n 40 "$KAFKA_LOG" | sed 's/^/    /' >&2
}

# Returns 0 when ready, 1 on timeout, 2 if the broker process died.
kafka_wait_ready() {
  local pid
  wait_for kafka "$KAFKA_PORT_TIMEOUT" kafka_port_open_or_dead || {
    warn "kafka: port $KAFKA_PORT did not open within ${KAFKA_PORT_TIMEOUT}s"
    return 1
  }
  pid=$(kafka_pid) || return 2
  if ! kafkajs_available; then
    say "kafka: node_modules/kafkajs missing, skipping the admin-client check (run npm ci)"
    return 0
  fi
  say "kafka: port open, checking with a kafkajs admin client"
  local rc=0
  (cd "$REPO" && KAFKA_HOST=$HOST KAFKA_PORT=$KAFKA_PORT KAFKA_PID=$pid timeout 120 node $KAFKA_READY_NODE_FLAGS "$KAFKA_READY_JS") || rc=$?
  if ((rc != 0)) && ! kafka_alive; then rc=2; fi
  return "$rc"
}

# Something answers on KAFKA_PORT but it is not our broker: a Kafka started elsewhere is fine.
kafka_foreign_is_kafka() {
  local pid
  pid=$(port_owner_pid "$KAFKA_PORT")
  if [[ -n $pid ]]; then
    [[ $(ps -o args= -p "$pid") == *kafka.Kafka* ]]
  elif kafkajs_available; then
    (cd "$REPO" && KAFKA_HOST=$HOST KAFKA_PORT=$KAFKA_PORT KAFKA_READY_ATTEMPTS=2 KAFKA_READY_TIMEOUT_S=5 \
      timeout 20 node $KAFKA_READY_NODE_FLAGS "$KAFKA_READY_JS") >/dev/null 2>&1
  else
    return 1
  fi
}

kafka_up() {
  local rc
  # Also when a broker already runs: the tests start private brokers from these jars.
  kafka_fetch_libs
  if kafka_alive; then
    say "kafka: already running on $HOST:$KAFKA_PORT (pid $(kafka_pid))"
    KAFKA_LAUNCHED_AT=$SECONDS
    kafka_wait_ready || {
      kafka_print_log_tail
      die "kafka: the running broker does not answer; try 'stack.sh down' then 'up'"
    }
    say "kafka: ready"
    return
  fi
  rm -f "$KAFKA_PID_FILE"
  if port_open "$KAFKA_PORT"; then
    kafka_foreign_is_kafka ||
      die "kafka: port $KAFKA_PORT is in use by something that is not Kafka ($(port_owner "$KAFKA_PORT")); free it or set KAFKA_PORT"
    say "kafka: already running on $HOST:$KAFKA_PORT (not started by stack, pid $(port_owner_pid "$KAFKA_PORT"))"
    return
  fi

  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die "kafka: controller port $KAFKA_CONTROLLER_PORT is in use ($(port_owner "$KAFKA_CONTROLLER_PORT")); free it or set KAFKA_CONTROLLER_PORT"
  fi

  require_command java "Kafka needs a JDK 17"
  kafka_write_config
  kafka_format_storage
  kafka_launch

  rc=0
  kafka_wait_ready || rc=$?
  if ((rc == 1)); then
    # On a loaded machine the first KRaft quorum formation can time out: one clean retry.
    warn "kafka: not ready in $((SECONDS - KAFKA_LAUNCHED_AT))s, restarting the broker once"
    kafka_stop
    kafka_launch
    rc=0
    kafka_wait_ready || rc=$?
  fi
  if ((rc != 0)); then
    kafka_print_log_tail
    if ((rc == 2)); then die "kafka: the broker process exited"; fi
    die "kafka: not ready"
  fi
  say "kafka: ready in $((SECONDS - KAFKA_LAUNCHED_AT))s"
}

# ---------------------------------------------------------------------------
# MailDev: catches the app's e-mails (SMTP_URL defaults to its port), web UI to read them

maildev_available() { [[ -x $MAILDEV_BIN ]]; }

# Pid of the MailDev this script started, if that process is still alive and is MailDev.
maildev_pid() {
  local pid
  [[ -f $MAILDEV_PID_FILE ]] || return 1
  pid=$(<"$MAILDEV_PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ $(ps -o args= -p "$pid") == *maildev* ]] || return 1
  echo "$pid"
}
maildev_alive() { maildev_pid >/dev/null; }

# Whatever listens on the port answers with an SMTP greeting (220), as any mail catcher does.
smtp_greets() { # smtp_greets <port>
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    IFS= read -r line <&3 || exit 1
    printf "QUIT\r\n" >&3
    [[ $line == 220* ]]' "$HOST" "$1" 2>/dev/null
}

maildev_ready() { smtp_greets "$MAILDEV_SMTP_PORT" && port_open "$MAILDEV_WEB_PORT"; }
maildev_ready_or_dead() { maildev_ready || ! maildev_alive; }

maildev_launch() {
  say "maildev: starting, SMTP on $HOST:$MAILDEV_SMTP_PORT, web UI on http://$HOST:$MAILDEV_WEB_PORT"
  : >"$MAILDEV_LOG"
  # Run from its own directory: MailDev reads a config file from its working directory upwards.
  # Both servers on loopback only (MailDev's defaults listen on every interface).
  # setsid + nohup as for Kafka: $! is the node pid, which outlives this shell.
  (cd "$MAILDEV_DIR" && exec setsid nohup node "$MAILDEV_BIN" \
    --ip "$HOST" --smtp "$MAILDEV_SMTP_PORT" \
    --web-ip "$HOST" --web "$MAILDEV_WEB_PORT" \
    --max-emails "$MAILDEV_MAX_EMAILS" \
    >>"$MAILDEV_LOG" 2>&1 </dev/null) &
  echo $! >"$MAILDEV_PID_FILE"
  disown
}

maildev_up() {
  local started=$SECONDS
  if maildev_alive; then
    say "maildev: already running, SMTP on $HOST:$MAILDEV_SMTP_PORT (pid $(maildev_pid))"
    return
  fi
  rm -f "$MAILDEV_PID_FILE"
  # Any SMTP server already there catches the mails as well (another catcher, an older MailDev).
  if port_open "$MAILDEV_SMTP_PORT"; then
    smtp_greets "$MAILDEV_SMTP_PORT" ||
      die "maildev: port $MAILDEV_SMTP_PORT is in use by something that is not an SMTP server ($(port_owner "$MAILDEV_SMTP_PORT")); free it or set MAILDEV_SMTP_PORT"
    say "maildev: an SMTP server already runs on $HOST:$MAILDEV_SMTP_PORT (not started by stack, $(port_owner "$MAILDEV_SMTP_PORT")); the app's mails go there, read them in its own UI"
    return
  fi
  if ! maildev_available; then
    warn "maildev: ${MAILDEV_BIN#"$REPO"/} missing, not started (run npm ci)"
    return
  fi
  if port_open "$MAILDEV_WEB_PORT"; then
    die "maildev: web port $MAILDEV_WEB_PORT is in use ($(port_owner "$MAILDEV_WEB_PORT")); free it or set MAILDEV_WEB_PORT"
  fi
  mkdir -p "$MAILDEV_DIR"
  maildev_launch
  wait_for maildev "$MAILDEV_TIMEOUT" maildev_ready_or_dead && maildev_alive || {
    warn "maildev: last 20 lines of ${MAILDEV_LOG#"$REPO"/}:"
    tail -n 20 "$MAILDEV_LOG" | sed 's/^/    /' >&2
    die "maildev: not ready within ${MAILDEV_TIMEOUT}s"
  }
  say "maildev: ready in $((SECONDS - started))s; read the mails at http://$HOST:$MAILDEV_WEB_PORT"
}

maildev_stop() {
  local pid
  if ! pid=$(maildev_pid); then
    if [[ -f $MAILDEV_PID_FILE ]]; then
      rm -f "$MAILDEV_PID_FILE"
      say "maildev: not running (removed stale pid file)"
    else
      say "maildev: not started by stack, nothing to stop"
    fi
    return
  fi
  stop_process maildev "$pid"
  rm -f "$MAILDEV_PID_FILE"
}

# ---------------------------------------------------------------------------
# commands

status_row() {
  local line
  line=$(printf '%-9s %-16s %-6s %-17s %s' "$@")
  echo "${line%"${line##*[! ]}"}" # without trailing blanks
}

cmd_status() {
  local all_up=0 name state by_stack pid details
  status_row SERVICE ADDRESS STATE "STARTED BY STACK" DETAILS

  state=down by_stack=no details="data ${KAFKA_DATA#"$REPO"/}"
  if pid=$(kafka_pid); then
    by_stack=yes details="pid $pid, $details"
  fi
  port_open "$KAFKA_PORT" && state=up
  status_row kafka "$HOST:$KAFKA_PORT" "$state" "$by_stack" "$details"
  [[ $state == up ]] || all_up=1

  for name in "${SERVICES[@]}"; do
    state=down by_stack=no
    "${name}_check" && state=up
    was_started "$name" && by_stack=yes
    status_row "$name" "$HOST:$(service_port "$name")" "$state" "$by_stack" ""
    [[ $state == up ]] || all_up=1
  done

  state=down by_stack=no details="web UI http://$HOST:$MAILDEV_WEB_PORT"
  if pid=$(maildev_pid); then
    by_stack=yes details="$details, pid $pid"
  elif ! maildev_available; then
    details="${MAILDEV_BIN#"$REPO"/} missing (run npm ci)"
  fi
  if smtp_greets "$MAILDEV_SMTP_PORT"; then
    state=up
    [[ $by_stack == yes ]] || details="another SMTP server ($(port_owner "$MAILDEV_SMTP_PORT"))"
  fi
  status_row maildev "$HOST:$MAILDEV_SMTP_PORT" "$state" "$by_stack" "$details"
  [[ $state == up ]] || all_up=1
  return "$all_up"
}

cmd_up() {
  local name
  mkdir -p "$KAFKA_DIR" "$(dirname "$STARTED_FILE")"
  for name in "${SERVICES[@]}"; do service_ensure_started "$name"; done
  service_wait postgres
  postgres_ensure_databases
  service_wait redis
  kafka_up
  maildev_up
  service_wait rabbitmq
  echo
  cmd_status || die "not everything is up (see the table above)"
  echo
  say "stack up in ${SECONDS}s"
}

cmd_down() {
  local name
  maildev_stop
  kafka_stop
  if [[ ! -s $STARTED_FILE ]]; then
    say "postgres/rabbitmq/redis: none started by stack, leaving them alone"
  fi
  # Reverse start order; each only if `up` started it.
  for name in redis rabbitmq postgres; do
    was_started "$name" || continue
    say "$name: stopping"
    if "${name}_stop"; then say "$name: stopped"; else warn "$name: stop command failed"; fi
  done
  rm -f "$STARTED_FILE"
}

cmd_reset() {
  kafka_stop
  rm -rf "$KAFKA_DATA" "$KAFKA_CLUSTER_ID_FILE"
  say "kafka: deleted ${KAFKA_DATA#"$REPO"/} and the cluster id (jars kept); next 'up' starts empty"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  *)
    echo "usage: $(basename "$0") up|down|status|reset" >&2
    exit 2
    ;;
esac
