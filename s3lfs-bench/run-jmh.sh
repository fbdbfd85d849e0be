#!/usr/bin/env bash
# Builds s3lfs-bench/target/benchmarks.jar with the reactor and runs the JMH benchmarks with short
# settings (1 fork, 2 warmup and 3 measurement iterations), writing JSON and the log to
# s3lfs-bench/results/. openssl's single-core SHA-256 runs just before and after, for the ratio.
#
#   s3lfs-bench/run-jmh.sh                      # everything, about 10 minutes on 2 cores
#   s3lfs-bench/run-jmh.sh HashBenchmark        # a regex of benchmarks; other JMH flags follow
#   s3lfs-bench/run-jmh.sh ManifestBenchmark -p entries=200000 -prof stack
#
# JAVA names a Java 25+ launcher; by default the first one found on PATH or in /usr/lib/jvm.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$bench_dir")
results="$bench_dir/results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results"

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [[ -z "${JAVA:-}" ]]; then
  for candidate in "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    if [[ -x "$candidate" ]] && (( $(java_major "$candidate") >= 25 )); then JAVA=$candidate; break; fi
  done
fi
[[ -n "${JAVA:-}" ]] || { echo "no Java 25+ found; set JAVA=/path/to/bin/java" >&2; exit 1; }

(cd "$root" && ./mvnw -q -B package -pl s3lfs-bench -am -DskipTests)

openssl_sha256() {
  # One process, so one core. The last line is "sha256  <1000s of bytes per second>k".
  openssl speed -evp sha256 -bytes 16384 -seconds 3 2>/dev/null | awk '/^sha256/ {sub("k","",$2); printf "%.0f\n", $2/1000}'
}

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p')"
  echo "java: $("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "jmh: 1.37, forks 1, warmup 2 x 1 s, measurement 3 x 2 s"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "openssl sha256 16384-byte blocks, MB/s before: $(openssl_sha256)"
} | tee "$results/machine-$stamp.txt"

"$JAVA" -jar "$bench_dir/target/benchmarks.jar" "${@:-.*}" \
  -f 1 -wi 2 -w 1s -i 3 -r 2s \
  -jvmArgsAppend --enable-native-access=ALL-UNNAMED \
  -rf json -rff "$results/jmh-$stamp.json" 2>&1 | tee "$results/jmh-$stamp.log"

{
  echo "openssl sha256 16384-byte blocks, MB/s after: $(openssl_sha256)"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$results/machine-$stamp.txt"

# SHA-256 in MB/s beside openssl (files per second times the file size).
if command -v jq >/dev/null && grep -q HashBenchmark "$results/jmh-$stamp.json"; then
  echo
  echo "SHA-256, MB/s (10^6 bytes/s), mean of the measurement iterations:"
  jq -r '.[] | select(.benchmark | endswith("HashBenchmark.hash"))
      | [.params.impl, .params.sizeMiB, (.primaryMetric.score * (.params.sizeMiB | tonumber) * 1048576 / 1e6 | floor)]
      | @tsv' "$results/jmh-$stamp.json" | column -t
fi
echo "results: $results/jmh-$stamp.json"
