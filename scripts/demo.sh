#!/usr/bin/env bash
# The main demo: Kapacitor's "Custom anomaly detection" walkthrough (3D printer temperatures) with @anteater()
# in a real kapacitord 1.8.3. Builds the jar, installs Kapacitor if needed (cached under ~/.cache/anteater),
# starts kapacitord on a free port in a temp dir, defines tick/printer_temps.tick, records 24 h of generated
# temperatures, replays them (fast clock, recording time), prints the alerts per sensor with their times,
# and stops everything it started.
#
# Usage: scripts/demo.sh [demo options]     e.g. --seed 7, --socket, --keep, --schedule FILE, --hours 12
#        (all options: java -jar target/anteater.jar demo --help)
# Environment: ANTEATER_KAPACITOR_BIN  use this bin dir instead of scripts/install-kapacitor.sh
#              ANTEATER_REBUILD=0      reuse target/anteater.jar when it is newer than the sources
set -euo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s.%N)
log() { printf '[demo.sh] %s\n' "$*" >&2; }

# ------------------------------------------------------------------------------------------ the jar
jar=target/anteater.jar
stale() {
    [[ ! -f $jar ]] && return 0
    [[ -n $(find pom.xml src proto -newer "$jar" -type f -print -quit 2>/dev/null) ]]
}
if [[ ${ANTEATER_REBUILD:-1} != 0 ]] || stale; then
    log "building $jar (mvn -q -DskipTests package)"
    mvn -B -q -DskipTests package >&2
else
    log "$jar is up to date"
fi

# ---------------------------------------------------------------------------------------- Kapacitor
if [[ -n ${ANTEATER_KAPACITOR_BIN:-} ]]; then
    bin=$ANTEATER_KAPACITOR_BIN
else
    bin=$(bash scripts/install-kapacitor.sh | tail -n 1)
fi
log "kapacitord: $bin/kapacitord"

# ------------------------------------------------------------------------------------------- demo
# The Java side starts and stops kapacitord and its agents (shutdown hook included); the trap makes sure that
# an interrupted demo stops the Java side, which then stops its children.
demo_pid=
cleanup() {
    if [[ -n $demo_pid ]] && kill -0 "$demo_pid" 2>/dev/null; then
        kill -TERM "$demo_pid" 2>/dev/null || true
        wait "$demo_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$jar" demo --kapacitor-bin "$bin" --repo . "$@" &
demo_pid=$!
set +e
wait "$demo_pid"
code=$?
set -e
demo_pid=

end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN { printf "scripts/demo.sh wall time (build + install check + demo): %.1f s\n", b - a }'
exit "$code"
