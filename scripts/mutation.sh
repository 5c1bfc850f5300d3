#!/usr/bin/env bash
# Mutation testing (PIT) of one package of anteater: scripts/mutation.sh PACKAGE [CLASSES] [-- MAVEN ARGS]
#   PACKAGE  a package under anteater, e.g. udf or sink (sink: its Kafka*Test, which start brokers, are excluded by the
#            pom, so KafkaPublisher is left to them; name the other classes, e.g.
#            scripts/mutation.sh sink AnteaterConfig,EntityTemplate,EventJson,FilePublisher,QueuedPublisher -- -o)
#   CLASSES  optional, comma-separated simple class names of that package (e.g. FrameReader,ResponseWriter) to
#            mutate only those; the tests are still every *Test of the package
#   THREADS  environment, default 1 (PIT worker threads)
# Extra arguments after -- go to Maven (e.g. -o once the PIT plugin is in ~/.m2). Only the summary is printed; the
# full log is target/pit-reports/PACKAGE.log and the report target/pit-reports/index.html (mutations.xml beside it).
# Uses the Maven profile `mutation` of pom.xml, which the default build never activates. Idempotent: every run
# replaces the last report.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg="${1:?usage: scripts/mutation.sh PACKAGE [CLASSES] [-- MAVEN ARGS]}"; shift
classes=""
if [[ $# -gt 0 && "$1" != "--" ]]; then classes="$1"; shift; fi
[[ "${1:-}" == "--" ]] && shift
[[ -d "src/main/java/anteater/$pkg" ]] || { echo "no package src/main/java/anteater/$pkg" >&2; exit 2; }
if [[ -n "$classes" ]]; then
  target="$(echo "$classes" | tr ',' '\n' | sed "s/^/anteater.$pkg./; s/\$/*/" | paste -sd, -)"
else
  target="anteater.$pkg.*"
fi
mkdir -p target/pit-reports
log="target/pit-reports/$pkg.log"
start=$(date +%s)
set +e
mvn -B -ntp -Pmutation "$@" -Dpit.package="$pkg" -DtargetClasses="$target" -Dthreads="${THREADS:-1}" \
  test-compile org.pitest:pitest-maven:mutationCoverage >"$log" 2>&1
rc=$?
set -e
secs=$(( $(date +%s) - start ))
if [[ $rc -ne 0 ]]; then
  echo "PIT failed (exit $rc), see $log:" >&2
  grep -E '^\[ERROR\]' "$log" | head -20 >&2
  exit "$rc"
fi
echo "PIT on anteater.$pkg (classes: $target), ${secs}s wall"
grep -E '>> (Generated|Line Coverage|Ran)|^>> Generated|Total  : ' "$log" | sed 's/^\[INFO\] //' || true
xml=target/pit-reports/mutations.xml
if [[ -f "$xml" ]]; then
  for s in KILLED SURVIVED NO_COVERAGE TIMED_OUT MEMORY_ERROR RUN_ERROR; do
    printf '%s=%s ' "$s" "$(grep -o "status='$s'" "$xml" | wc -l)"
  done
  echo
fi
echo "report: $(pwd)/target/pit-reports/index.html"
