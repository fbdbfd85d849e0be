#!/usr/bin/env bash
# Where the CPU of a small-file S3 run goes: 's3lfs track' then 's3lfs checkout --all' of 2,000
# files of 32 KiB (half text, half random) against S3Proxy on loopback, each under async-profiler
# (CPU samples every 1 ms, all threads, JIT compiler threads included). Prints per command the
# CPU seconds sampled and the shares of the C2 and C1 compilers, the AWS SDK's Java code, and
# the SDK's CPU per request; keeps the collapsed stacks in WORKDIR for flame graphs.
#
#   s3lfs-bench/profile.sh [WORKDIR]
#   S3LFS_JAVA_OPTS=-XX:TieredStopAtLevel=4 s3lfs-bench/profile.sh   # with C2, as before the
#                                                                    # launcher went C1-only
# Needs the built image (./mvnw -q -B package -DskipTests), the AWS CLI (to create the bucket),
# curl, and a Java 17+ for S3Proxy (JAVA, default the Temurin 25 under /usr/lib/jvm). async-profiler
# 4.2 and S3Proxy 4.1.0 come from Maven Central on first use.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
s3lfs=$root/s3lfs-cli/target/s3lfs/bin/s3lfs
[ -x "$s3lfs" ] || { echo "no image: run ./mvnw -q -B package -DskipTests first" >&2; exit 1; }
work=${1:-$(mktemp -d)}
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
port=${S3LFS_PROFILE_PORT:-18092}
ep=http://127.0.0.1:$port
mkdir -p "$work"

ap=$work/async-profiler/linux-x64/libasyncProfiler.so
if [ ! -f "$ap" ]; then
  "$root/mvnw" -q -B dependency:copy -Dartifact=tools.profiler:async-profiler:4.2 -DoutputDirectory="$work" >&2
  (cd "$work" && mkdir -p async-profiler && cd async-profiler && unzip -q -o ../async-profiler-4.2.jar 'linux-x64/*')
fi
jar=$work/s3proxy-4.1.0-jar-with-dependencies.jar
[ -s "$jar" ] || curl -fsSL -o "$jar" \
  https://repo1.maven.org/maven2/org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar

rm -rf "$work/repo" "$work/clone"
mkdir -p "$work/repo/data/text" "$work/repo/data/bin"
i=0
while [ $i -lt 1000 ]; do
  seq $((i * 3000)) $((i * 3000 + 5000)) | sed 's/^/level=INFO component=ingest message="batch done" n=/' \
    | head -c 32768 > "$work/repo/data/text/f$i.log" || true # head closes the pipe early
  head -c 32768 /dev/urandom > "$work/repo/data/bin/f$i.bin"
  i=$((i + 1))
done

cat > "$work/s3proxy.conf" <<CONF
s3proxy.endpoint=$ep
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=profile
s3proxy.credential=profile-secret
jclouds.provider=transient-nio2
jclouds.identity=profile
jclouds.credential=profile
CONF
"$java" -Xmx2g -jar "$jar" --properties "$work/s3proxy.conf" > "$work/s3proxy.log" 2>&1 &
proxy=$!
trap 'kill $proxy 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -s -o /dev/null "$ep/" && break; sleep 0.5; done
export AWS_ACCESS_KEY_ID=profile AWS_SECRET_ACCESS_KEY=profile-secret AWS_REGION=us-east-1
unset AWS_CA_BUNDLE
aws --endpoint-url "$ep" s3 mb s3://profile > /dev/null

summary() { # COLLAPSED REQUESTS
  awk -v requests="$2" '{
      n = $NF; total += n
      if ($0 ~ /CompileBroker/) { if ($0 ~ /C2Compiler|Compile::Compile/) c2 += n; else c1 += n }
      else if ($0 ~ /software\/amazon\/awssdk\// && $0 !~ /software\/amazon\/awssdk\/crt\//) sdk += n
    } END {
      printf "  CPU sampled %.1f s: C2 %.1f s (%.0f%%), C1 %.1f s (%.0f%%), AWS SDK Java %.1f s (%.0f%%, %.2f ms per request)\n",
        total / 1000, c2 / 1000, 100 * c2 / total, c1 / 1000, 100 * c1 / total, sdk / 1000, 100 * sdk / total, sdk / requests
    }' "$1"
}

agent() { echo "-Ds3lfs.jvmExit -agentpath:$ap=start,event=cpu,interval=1ms,file=$1,collapsed"; }
cd "$work/repo"
git init -q
"$s3lfs" init profile bench --endpoint-url "$ep" > /dev/null
S3LFS_JAVA_OPTS="$(agent "$work/track.collapsed") ${S3LFS_JAVA_OPTS:-}" "$s3lfs" track data | tail -1
echo "track (2,000 uploads):"; summary "$work/track.collapsed" 2000
printf 'data/\n' > .gitignore
git add -A > /dev/null && git -c user.name=p -c user.email=p@localhost commit -qm manifest
git clone -q "$work/repo" "$work/clone" && cd "$work/clone"
S3LFS_JAVA_OPTS="$(agent "$work/checkout.collapsed") ${S3LFS_JAVA_OPTS:-}" "$s3lfs" checkout --all | tail -1
echo "checkout (2,000 downloads):"; summary "$work/checkout.collapsed" 2000
echo "collapsed stacks: $work/track.collapsed, $work/checkout.collapsed"
