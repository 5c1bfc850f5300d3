#!/usr/bin/env bash
# A single-node Apache Kafka (KRaft) broker for tests and the demo, run from
# Maven Central's org.apache.kafka:kafka_2.13 jars: no tarball, no system
# install, no ZooKeeper.
#
# Usage:
#   scripts/kafka.sh install
#       Fetch the broker jars (and kafka-tools, for the console consumer) with
#       Maven into $ANTEATER_CACHE/kafka-<version>/libs. Idempotent. Prints
#       the libs directory as the last line of stdout.
#   scripts/kafka.sh start --dir D [--port P] [--sasl] [--timeout S]
#       Start a broker whose config, data and log live in D. A new D gets free
#       ports (or P), a fresh cluster id and formatted storage; an existing D
#       is started again with its own ports and data (so a stopped broker comes
#       back on the same address with its topics). Waits until the broker
#       accepts clients, then prints its bootstrap address (host:port) on
#       stdout. With --sasl the broker also gets a SASL_PLAINTEXT listener
#       (mechanism PLAIN, one JAAS user) and its address is printed on a second
#       line; the addresses are also in D/bootstrap and D/sasl-bootstrap.
#   scripts/kafka.sh stop --dir D [--timeout S]
#       Stop the broker of D (SIGTERM, then SIGKILL after S seconds).
#   scripts/kafka.sh status --dir D
#       Exit 0 if the broker of D is running.
#   scripts/kafka.sh console-consumer --bootstrap-server HOST:PORT --topic T [args...]
#       Run Kafka's console consumer from the cached jars.
#
# Environment:
#   ANTEATER_CACHE          cache root        (default: ~/.cache/anteater)
#   ANTEATER_KAFKA_VERSION  broker version    (default: 4.1.0)
#   ANTEATER_KAFKA_HEAP     broker heap       (default: 512m)
#   KAFKA_SASL_USER / KAFKA_SASL_PASSWORD
#                           the JAAS user of the SASL listener
#                           (default: anteater / anteater-secret)
#
# Kafka's default port 9092 is also Kapacitor's, so ports are always chosen
# free (unless --port is given). All progress goes to stderr.
set -euo pipefail

KAFKA_VERSION=${ANTEATER_KAFKA_VERSION:-4.1.0}
SCALA_VERSION=2.13
SLF4J_VERSION=1.7.36
HEAP=${ANTEATER_KAFKA_HEAP:-512m}
SASL_USER=${KAFKA_SASL_USER:-anteater}
SASL_PASSWORD=${KAFKA_SASL_PASSWORD:-anteater-secret}

log() { printf '[kafka.sh] %s\n' "$*" >&2; }
die() { printf '[kafka.sh] ERROR: %s\n' "$*" >&2; exit 1; }

CACHE_ROOT=${ANTEATER_CACHE:-$HOME/.cache/anteater}   # the same root as install-kapacitor.sh
HOME_DIR=$CACHE_ROOT/kafka-$KAFKA_VERSION
LIBS=$HOME_DIR/libs
STAMP=$HOME_DIR/.installed

command -v java >/dev/null || die "java is not on PATH (Kafka $KAFKA_VERSION needs Java 17+)"

install() {
    if [[ -f $STAMP && -d $LIBS ]] && ls "$LIBS"/kafka_${SCALA_VERSION}-"$KAFKA_VERSION".jar >/dev/null 2>&1; then
        echo "$LIBS"
        return 0
    fi
    command -v mvn >/dev/null || die "mvn is not on PATH (needed once to fetch the Kafka jars)"
    mkdir -p "$HOME_DIR"
    local tmp=$HOME_DIR/fetch
    rm -rf "$tmp" "$LIBS.tmp"
    mkdir -p "$tmp"
    # A throwaway pom whose only job is to name the broker (+ its runtime
    # dependencies), the tools (console consumer) and a logging backend.
    cat >"$tmp/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>anteater.local</groupId>
  <artifactId>kafka-broker-libs</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_${SCALA_VERSION}</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>${SLF4J_VERSION}</version></dependency>
  </dependencies>
</project>
EOF
    log "fetching kafka_${SCALA_VERSION} ${KAFKA_VERSION} and its runtime dependencies with Maven"
    (cd "$tmp" && mvn -B -q dependency:copy-dependencies -DincludeScope=runtime \
        -DoutputDirectory="$LIBS.tmp" -Dmdep.useRepositoryLayout=false) >&2 \
        || die "mvn could not fetch org.apache.kafka:kafka_${SCALA_VERSION}:${KAFKA_VERSION} (is Maven Central reachable?)"
    # kafka-tools drags in a log4j binding of its own on some versions: keep one backend
    rm -f "$LIBS.tmp"/slf4j-reload4j-*.jar "$LIBS.tmp"/log4j-slf4j*-impl-*.jar
    rm -rf "$LIBS"
    mv "$LIBS.tmp" "$LIBS"
    rm -rf "$tmp"
    touch "$STAMP"
    log "installed $(ls "$LIBS" | wc -l) jars in $LIBS"
    echo "$LIBS"
}

free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    local p
    for _ in $(seq 200); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    die "no free port found"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

run_java() { # run_java MAIN ARGS...: a Kafka tool from the cached jars
    java -Xmx256m -cp "$LIBS/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$@"
}

pid_of() { # pid_of D: pid of a running broker of D, or nothing
    local f=$1/kafka.pid pid
    [[ -f $f ]] || return 1
    pid=$(cat "$f")
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
    # guard against pid reuse: the process must be this directory's broker
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$1/server.properties" || return 1
    echo "$pid"
}

write_config() { # write_config D PORT CPORT SASLPORT
    local d=$1 port=$2 cport=$3 sport=$4
    local listeners="PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport"
    local advertised="PLAINTEXT://127.0.0.1:$port"
    local protomap="PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
    if [[ -n $sport ]]; then
        listeners="$listeners,SASL_PLAINTEXT://127.0.0.1:$sport"
        advertised="$advertised,SASL_PLAINTEXT://127.0.0.1:$sport"
        protomap="$protomap,SASL_PLAINTEXT:SASL_PLAINTEXT"
    fi
    cat >"$d/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listeners=$listeners
advertised.listeners=$advertised
listener.security.protocol.map=$protomap
log.dirs=$d/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=24
EOF
    if [[ -n $sport ]]; then
        cat >>"$d/server.properties" <<EOF
sasl.enabled.mechanisms=PLAIN
listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${SASL_USER}="${SASL_PASSWORD}";
EOF
    fi
    echo "127.0.0.1:$port" >"$d/bootstrap"
    if [[ -n $sport ]]; then echo "127.0.0.1:$sport" >"$d/sasl-bootstrap"; else rm -f "$d/sasl-bootstrap"; fi
}

start() {
    local dir="" port="" sasl=0 timeout=90
    while [[ $# -gt 0 ]]; do
        case $1 in
            --dir) dir=$2; shift 2 ;;
            --port) port=$2; shift 2 ;;
            --sasl) sasl=1; shift ;;
            --timeout) timeout=$2; shift 2 ;;
            *) die "start: unknown argument '$1' (valid: --dir D [--port P] [--sasl] [--timeout S])" ;;
        esac
    done
    [[ -n $dir ]] || die "start: --dir D is required"
    install >/dev/null
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if pid_of "$dir" >/dev/null; then
        log "a broker of $dir is already running (pid $(pid_of "$dir"))"
        cat "$dir/bootstrap"
        [[ -f $dir/sasl-bootstrap ]] && cat "$dir/sasl-bootstrap"
        return 0
    fi
    if [[ ! -f $dir/server.properties ]]; then
        [[ -n $port ]] || port=$(free_port)
        local cport sport=""
        cport=$(free_port)
        while [[ $cport == "$port" ]]; do cport=$(free_port); done
        if [[ $sasl == 1 ]]; then
            sport=$(free_port)
            while [[ $sport == "$port" || $sport == "$cport" ]]; do sport=$(free_port); done
        fi
        write_config "$dir" "$port" "$cport" "$sport"
    else
        log "restarting the broker of $dir with its existing config and data"
    fi
    port=$(sed 's/.*://' "$dir/bootstrap")
    if port_open "$port"; then
        die "port $port is already in use by another process (a broker of another directory, or Kapacitor?)"
    fi
    if [[ ! -f $dir/data/meta.properties ]]; then
        local cluster
        cluster=$(run_java kafka.tools.StorageTool random-uuid | tail -1)
        log "formatting storage in $dir/data (cluster $cluster)"
        run_java kafka.tools.StorageTool format -t "$cluster" -c "$dir/server.properties" --ignore-formatted >&2 \
            || die "formatting storage in $dir/data failed"
    fi
    log "starting Kafka $KAFKA_VERSION on $(cat "$dir/bootstrap") (log: $dir/kafka.log)"
    # setsid: the broker outlives this script and gets its own process group
    setsid nohup java -Xmx"$HEAP" -Xms"$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
        -Djava.awt.headless=true \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=info \
        -Dorg.slf4j.simpleLogger.showDateTime=true \
        -cp "$LIBS/*" kafka.Kafka "$dir/server.properties" >"$dir/kafka.log" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" >"$dir/kafka.pid"
    local waited=0
    while true; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -20 "$dir/kafka.log" >&2 || true
            die "the broker exited during start (see $dir/kafka.log)"
        fi
        if port_open "$port" && grep -q "Kafka Server started" "$dir/kafka.log" 2>/dev/null; then
            break
        fi
        if ((waited >= timeout * 5)); then
            tail -20 "$dir/kafka.log" >&2 || true
            kill "$pid" 2>/dev/null || true
            die "the broker was not ready after ${timeout}s (see $dir/kafka.log)"
        fi
        sleep 0.2
        waited=$((waited + 1))
    done
    log "ready after ~$((waited / 5))s (pid $pid)"
    cat "$dir/bootstrap"
    [[ -f $dir/sasl-bootstrap ]] && cat "$dir/sasl-bootstrap"
    return 0
}

stop() {
    local dir="" timeout=30
    while [[ $# -gt 0 ]]; do
        case $1 in
            --dir) dir=$2; shift 2 ;;
            --timeout) timeout=$2; shift 2 ;;
            *) die "stop: unknown argument '$1' (valid: --dir D [--timeout S])" ;;
        esac
    done
    [[ -n $dir ]] || die "stop: --dir D is required"
    [[ -d $dir ]] || { log "no such directory $dir: nothing to stop"; return 0; }
    dir=$(cd "$dir" && pwd)
    local pid
    if ! pid=$(pid_of "$dir"); then
        log "no broker running for $dir"
        return 0
    fi
    kill "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
        if ((waited >= timeout * 5)); then
            log "broker $pid did not stop in ${timeout}s: killing it"
            kill -9 "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
        waited=$((waited + 1))
    done
    rm -f "$dir/kafka.pid"
    log "stopped the broker of $dir (pid $pid)"
}

status() {
    local dir=""
    while [[ $# -gt 0 ]]; do
        case $1 in
            --dir) dir=$2; shift 2 ;;
            *) die "status: unknown argument '$1'" ;;
        esac
    done
    [[ -n $dir && -d $dir ]] || return 1
    dir=$(cd "$dir" && pwd)
    pid_of "$dir" >/dev/null
}

console_consumer() {
    install >/dev/null
    run_java org.apache.kafka.tools.consumer.ConsoleConsumer "$@"
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
    install) install ;;
    start) start "$@" ;;
    stop) stop "$@" ;;
    status) status "$@" ;;
    console-consumer) console_consumer "$@" ;;
    *) die "usage: $0 install | start --dir D [--port P] [--sasl] | stop --dir D | status --dir D | console-consumer --bootstrap-server H:P --topic T" ;;
esac
