#!/usr/bin/env bash
# Runs every test of anteater on a fresh machine. First installs what the integration tests need (idempotent,
# cached outside the repo under ${ANTEATER_CACHE:-~/.cache/anteater}): kapacitord/kapacitor 1.8.3 built from the
# Go module proxy (about 12 minutes cold, seconds when cached) and the Kafka broker jars from Maven Central. Then
# builds and runs unit tests (surefire) and integration tests (failsafe: the fat jar over pipes and a socket, a real
# Kafka broker, a real kapacitord).
set -euo pipefail
cd "$(dirname "$0")/.."
export ANTEATER_CACHE="${ANTEATER_CACHE:-$HOME/.cache/anteater}"
echo "[test.sh] installing kapacitord (cached in $ANTEATER_CACHE)" >&2
ANTEATER_KAPACITOR_BIN="$(bash scripts/install-kapacitor.sh | tail -n 1)"
export ANTEATER_KAPACITOR_BIN
echo "[test.sh] installing the Kafka broker jars" >&2
bash scripts/kafka.sh install >&2
mvn -B -ntp verify "$@"
