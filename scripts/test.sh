#!/usr/bin/env bash
# Runs every test of anteater on a fresh machine: installs what the tests need (idempotent, cached outside the
# repo under ${ANTEATER_CACHE:-~/.cache/anteater}), then builds and runs unit and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export ANTEATER_CACHE="${ANTEATER_CACHE:-$HOME/.cache/anteater}"
mvn -B -ntp verify "$@"
