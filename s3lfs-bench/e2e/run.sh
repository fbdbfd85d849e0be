#!/usr/bin/env bash
# End-to-end benchmark: s3lfs against rclone and the AWS CLI on the same S3 server and data.
#
#   s3lfs-bench/e2e/run.sh [--quick] [--runs N] [--link 1gbit] [--datasets small,random,text]
#
# Starts S3Proxy (in-memory transient-nio2 store) on loopback, or inside a network namespace
# behind a veth pair shaped with tc when --link is given; generates the datasets once into a
# cache dir; times, per dataset and run, in a fresh bucket each time:
#   s3lfs   cold upload (init in a fresh git repo, then `track data`), no-op `track data`,
#           no-op `track --modified`, cold download (`git clone`, `checkout --all`)
#   rclone  `rclone copy` up and down
#   aws     `aws s3 cp --recursive` up and down
# each timed command starting after a `sync` (no tool pays for the writeback of another's files),
# downloaded trees of many files kept until the end (see discard() for why),
# after one untimed warm-up round of every tool (the server is a JVM too), with the tools taking
# turns going first from run to run; and prints a markdown table of medians, ratios against rclone, peak RSS and stored bytes, also
# written to s3lfs-bench/e2e/results/<date>-<mode>.md.
#
# Environment: S3LFS_E2E_CACHE (default /tmp/s3lfs-e2e: datasets, S3Proxy jar, scratch),
# S3PROXY_XMX (default 6g), S3LFS_E2E_PORT (default 18089), S3LFS (the s3lfs launcher; default
# the image built by `./mvnw package -DskipTests`), JAVA (a JDK 17+ to run S3Proxy),
# S3LFS_E2E_TIMEOUT (seconds one timed command may take, default 1800).
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
QUICK=0
RUNS=3
LINK=""
DATASETS="small,random,text"
CMDLINE="s3lfs-bench/e2e/run.sh${*:+ $*}"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --runs) RUNS=${2:?--runs needs a number}; shift ;;
    --runs=*) RUNS=${1#*=} ;;
    --link) LINK=${2:?--link needs a rate, e.g. 1gbit}; shift ;;
    --link=*) LINK=${1#*=} ;;
    --datasets) DATASETS=${2:?}; shift ;;
    --datasets=*) DATASETS=${1#*=} ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case "$RUNS" in ''|*[!0-9]*|0) echo "run.sh: --runs must be a positive integer" >&2; exit 2 ;; esac

CACHE=${S3LFS_E2E_CACHE:-/tmp/s3lfs-e2e}
XMX=${S3PROXY_XMX:-6g}
PORT=${S3LFS_E2E_PORT:-18089}
TIMEOUT=${S3LFS_E2E_TIMEOUT:-1800}
S3LFS=${S3LFS:-$ROOT/s3lfs-cli/target/s3lfs/bin/s3lfs}
S3PROXY_VERSION=4.1.0
S3PROXY_JAR=$CACHE/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar
S3PROXY_URL=https://repo1.maven.org/maven2/org/gaul/s3proxy/$S3PROXY_VERSION/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar

if [ "$QUICK" = 1 ]; then
  SIZE_NAME=quick; SMALL_COUNT=200; BIG_COUNT=8; BIG_MIB=16
else
  SIZE_NAME=full; SMALL_COUNT=2000; BIG_COUNT=8; BIG_MIB=128
fi
SMALL_KIB=32

log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- prerequisites
[ -x "$S3LFS" ] || die "no s3lfs image at $S3LFS: run ./mvnw -q -B package -DskipTests first"
command -v git >/dev/null || die "git is needed"
command -v curl >/dev/null || die "curl is needed"
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is needed for peak RSS: apt-get install time"
command -v timeout >/dev/null || die "coreutils timeout is needed"
if [ -z "${JAVA:-}" ]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "${JAVA_HOME:-/nonexistent}/bin/java" "$(command -v java || true)"; do
    [ -n "$j" ] && [ -x "$j" ] && { JAVA=$j; break; }
  done
fi
[ -n "${JAVA:-}" ] || die "no java to run S3Proxy: set JAVA to a JDK 17+ java"
HAVE_AWS=0; command -v aws >/dev/null && HAVE_AWS=1
HAVE_RCLONE=0; command -v rclone >/dev/null && HAVE_RCLONE=1
[ "$HAVE_AWS" = 1 ] || die "the AWS CLI (aws) is needed to create buckets and count stored bytes"
NOTES=()
[ "$HAVE_RCLONE" = 1 ] || NOTES+=("rclone is not installed: its rows are skipped and ratios are against nothing (apt-get install rclone).")

mkdir -p "$CACHE"
if [ ! -s "$S3PROXY_JAR" ]; then
  log "downloading S3Proxy $S3PROXY_VERSION"
  curl -fsSL -o "$S3PROXY_JAR.tmp" "$S3PROXY_URL" && mv "$S3PROXY_JAR.tmp" "$S3PROXY_JAR"
fi

# ---------------------------------------------------------------- datasets
DATA=$CACHE/data/$SIZE_NAME

# Log-like text: timestamp, level, component, thread, and one of many messages with numbers,
# ids and paths; seeded so every generation of a file is the same. mawk/gawk both work.
gen_log() { # seed bytes > file
  { awk -v seed="$1" -v limit="$2" 'BEGIN {
    srand(seed)
    split("INFO INFO INFO INFO INFO INFO DEBUG DEBUG DEBUG WARN ERROR", lv, " ")
    split("http.server db.pool cache.lru auth.token scheduler storage.s3 ingest.kafka api.v2.orders api.v2.users metrics", comp, " ")
    split("GET POST PUT DELETE", meth, " ")
    split("/api/v2/orders /api/v2/users /api/v2/items /healthz /api/v2/orders/search /static/app.js /login", path, " ")
    split("alice bob carol dave erin frank grace heidi ivan judy", user, " ")
    t = 1764000000 + seed * 86400; n = 0
    while (n < limit) {
      t += rand() * 0.05
      s = int(t); ms = int((t - s) * 1000)
      hh = int((s % 86400) / 3600); mi = int((s % 3600) / 60); ss = s % 60
      l = lv[1 + int(rand() * 11)]; c = comp[1 + int(rand() * 10)]
      r = rand()
      if (r < 0.35) {
        msg = sprintf("%s %s status=%d bytes=%d duration_ms=%.1f client=10.%d.%d.%d req=%08x", meth[1 + int(rand() * 4)], path[1 + int(rand() * 7)], (rand() < 0.9 ? 200 : (rand() < 0.5 ? 404 : 500)), int(rand() * 65536), rand() * 250, int(rand() * 256), int(rand() * 256), int(rand() * 256), int(rand() * 4294967295))
      } else if (r < 0.5) {
        msg = sprintf("query ok rows=%d elapsed=%dms pool_active=%d pool_idle=%d sql=\"SELECT * FROM orders WHERE customer_id = %d\"", int(rand() * 500), int(rand() * 90), int(rand() * 32), int(rand() * 16), int(rand() * 1000000))
      } else if (r < 0.62) {
        msg = sprintf("cache %s key=user:%d:profile size=%d hit_ratio=%.3f evictions=%d", (rand() < 0.8 ? "hit" : "miss"), int(rand() * 100000), int(rand() * 8192), 0.7 + rand() * 0.3, int(rand() * 50))
      } else if (r < 0.72) {
        msg = sprintf("token refreshed for user=%s session=%06x expires_in=%ds scopes=read,write", user[1 + int(rand() * 10)], int(rand() * 16777215), 600 + int(rand() * 3000))
      } else if (r < 0.8) {
        msg = sprintf("job %s-%d finished in %.2fs processed=%d failed=%d next_run=+%dm", (rand() < 0.5 ? "compact" : "reindex"), int(rand() * 1000), rand() * 120, int(rand() * 1000000), int(rand() * 3), 1 + int(rand() * 59))
      } else if (r < 0.88) {
        msg = sprintf("put s3://prod-data/%04d/%02d/part-%05d.parquet bytes=%d attempt=%d etag=%08x%08x", 2020 + int(rand() * 6), 1 + int(rand() * 12), int(rand() * 99999), int(rand() * 134217728), 1 + int(rand() * 2), int(rand() * 4294967295), int(rand() * 4294967295))
      } else if (r < 0.95) {
        msg = sprintf("consumer group=ingest topic=events partition=%d offset=%d lag=%d batch=%d", int(rand() * 24), int(rand() * 900000000), int(rand() * 5000), int(rand() * 500))
      } else {
        msg = sprintf("gc pause young=%.1fms heap_used=%dMiB heap_max=4096MiB threads=%d", rand() * 40, 512 + int(rand() * 3000), 40 + int(rand() * 200))
      }
      line = sprintf("2025-11-%02d %02d:%02d:%02d.%03d %-5s [%s] worker-%d %s", 1 + int((s - 1764000000) / 86400) % 28, hh, mi, ss, ms, l, c, int(rand() * 16), msg)
      print line
      n += length(line) + 1
    }
  }' || true; } | head -c "$2"
}

make_datasets() {
  if [ -f "$DATA/.complete" ]; then log "datasets present in $DATA"; return; fi
  log "generating datasets into $DATA (once)"
  rm -rf "$DATA"; mkdir -p "$DATA/small/data/text" "$DATA/small/data/bin" "$DATA/random/data" "$DATA/text/data"
  local half=$((SMALL_COUNT / 2)) b=$((SMALL_KIB * 1024)) i
  gen_log 7 $((half * b)) | (cd "$DATA/small/data/text" && split -b "$b" -d -a 5 --additional-suffix=.log - app-)
  head -c $(((SMALL_COUNT - half) * b)) /dev/urandom | (cd "$DATA/small/data/bin" && split -b "$b" -d -a 5 --additional-suffix=.bin - blob-)
  for i in $(seq 1 "$BIG_COUNT"); do
    head -c $((BIG_MIB * 1048576)) /dev/urandom > "$DATA/random/data/random-$i.bin"
    gen_log "$i" $((BIG_MIB * 1048576)) > "$DATA/text/data/app-$i.log"
  done
  touch "$DATA/.complete"
}

# ---------------------------------------------------------------- S3Proxy
export AWS_ACCESS_KEY_ID=e2e-identity AWS_SECRET_ACCESS_KEY=e2e-credential
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 2>/dev/null || true
# The endpoint is plain http, so a CA bundle is irrelevant; rclone 1.60 refuses to build its S3
# client at all when AWS_CA_BUNDLE is set ("LoadCustomCABundleError ... unsupported transport").
unset AWS_CA_BUNDLE 2>/dev/null || true

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=$CACHE/work-$STAMP-$$
LOGS=$CACHE/logs/$STAMP
NS=""; VETH0=s3e2e$$a; VETH1=s3e2e$$b; S3PROXY_PID=""
VETH0=${VETH0:0:15}; VETH1=${VETH1:0:15}

cleanup() {
  local rc=$?
  if [ -n "$S3PROXY_PID" ] && kill -0 "$S3PROXY_PID" 2>/dev/null; then
    kill "$S3PROXY_PID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$S3PROXY_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$S3PROXY_PID" 2>/dev/null || true
  fi
  if [ -n "$NS" ]; then
    ip link del "$VETH0" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
  fi
  # A benchmark started within five minutes of this one's end meets these freed inodes (discard()).
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$WORK" "$LOGS"
# An ext4 file system without a journal has /proc/fs/ext4/DEV but no /proc/fs/jbd2/DEV-*.
WORK_DEV=$(df --output=source "$WORK" 2>/dev/null | tail -1); WORK_DEV=${WORK_DEV##*/}
if [ -n "$WORK_DEV" ] && [ -d "/proc/fs/ext4/$WORK_DEV" ] && ! ls -d "/proc/fs/jbd2/$WORK_DEV"-* > /dev/null 2>&1; then
  NOTES+=("$WORK is on ext4 without a journal: files created within five minutes of deleting many others are slow to create (see discard() in the script); small-file downloads vary with what ran just before. S3LFS_E2E_CACHE on a journaled file system avoids it.")
fi

HOST=127.0.0.1
LINK_NOTE="loopback (no shaping)"
RUN_IN=()
if [ -n "$LINK" ]; then
  NS=s3lfs-e2e-$$
  if ip netns add "$NS" 2>"$LOGS/netns.err" \
      && ip link add "$VETH0" type veth peer name "$VETH1" \
      && ip link set "$VETH1" netns "$NS" \
      && ip addr add 10.77.0.1/24 dev "$VETH0" && ip link set "$VETH0" up \
      && ip netns exec "$NS" ip addr add 10.77.0.2/24 dev "$VETH1" \
      && ip netns exec "$NS" ip link set "$VETH1" up \
      && ip netns exec "$NS" ip link set lo up \
      && tc qdisc add dev "$VETH0" root tbf rate "$LINK" burst 512kb latency 50ms \
      && ip netns exec "$NS" tc qdisc add dev "$VETH1" root tbf rate "$LINK" burst 512kb latency 50ms; then
    HOST=10.77.0.2
    RUN_IN=(ip netns exec "$NS")
    LINK_NOTE="veth pair into network namespace $NS, tc tbf rate $LINK burst 512kb latency 50ms on both ends"
    MODE=$SIZE_NAME-$LINK
  else
    msg="network namespaces or tc are not permitted here ($(tr '\n' ' ' < "$LOGS/netns.err")): fell back to loopback, no link shaping"
    log "$msg"; NOTES+=("--link $LINK requested but $msg")
    ip link del "$VETH0" 2>/dev/null || true; ip netns del "$NS" 2>/dev/null || true; NS=""
    LINK=""
  fi
fi
MODE=${MODE:-$SIZE_NAME-loopback}
EP=http://$HOST:$PORT

make_datasets

# The in-memory store is Jimfs (S3Proxy's transient-nio2): a 4 GiB file-system cap by default,
# and blocks freed by deletes are kept for reuse up to the same size. Every run here uses its own
# bucket and deletes it afterwards, so at most one dataset (1 GiB in full mode) plus multipart
# parts live in the store at once; the heap needs that cap plus working room.
AVAIL_KIB=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
xmx_kib() { local v=${XMX%[gGmM]}; case "$XMX" in *[gG]) echo $((v * 1048576));; *[mM]) echo $((v * 1024));; *) echo $((XMX / 1024));; esac; }
if [ "$(xmx_kib)" -gt "$AVAIL_KIB" ]; then
  NOTES+=("S3Proxy -Xmx$XMX exceeds MemAvailable $((AVAIL_KIB / 1024)) MiB: the store may run out of memory.")
fi
MAX_SET_KIB=$(du -sk "$DATA"/* | sort -n | tail -1 | cut -f1)
[ "$MAX_SET_KIB" -lt 3500000 ] || die "largest dataset ($MAX_SET_KIB KiB) does not fit S3Proxy's 4 GiB in-memory store"

cat > "$WORK/s3proxy.conf" <<CONF
s3proxy.endpoint=$EP
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
s3proxy.v4-max-non-chunked-request-size=536870912
jclouds.provider=transient-nio2
jclouds.identity=e2e
jclouds.credential=e2e
CONF
log "starting S3Proxy at $EP (-Xmx$XMX)"
"${RUN_IN[@]}" "$JAVA" -Xmx"$XMX" -Xms1g -jar "$S3PROXY_JAR" --properties "$WORK/s3proxy.conf" \
  > "$LOGS/s3proxy.log" 2>&1 &
S3PROXY_PID=$!
for i in $(seq 1 120); do
  curl -s -o /dev/null "$EP/" && break
  kill -0 "$S3PROXY_PID" 2>/dev/null || die "S3Proxy exited: see $LOGS/s3proxy.log"
  sleep 0.5
done
curl -s -o /dev/null "$EP/" || die "S3Proxy did not answer at $EP within 60 s"

# rclone remote "e2e" from the environment only (no config file).
export RCLONE_CONFIG=/dev/null
export RCLONE_CONFIG_E2E_TYPE=s3 RCLONE_CONFIG_E2E_PROVIDER=Other RCLONE_CONFIG_E2E_ENDPOINT=$EP
export RCLONE_CONFIG_E2E_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID RCLONE_CONFIG_E2E_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
export RCLONE_CONFIG_E2E_REGION=us-east-1 RCLONE_CONFIG_E2E_FORCE_PATH_STYLE=true

awss3() { aws --endpoint-url "$EP" s3 "$@"; }
mkbucket() { awss3 mb "s3://$1" >/dev/null; }
rmbucket() { awss3 rb --force "s3://$1" >/dev/null 2>>"$LOGS/rb.log" || log "warning: could not delete bucket $1"; }
stored_bytes() { awss3 ls --recursive --summarize "s3://$1" | awk '/Total Size:/ {print $3}'; }
object_count() { awss3 ls --recursive --summarize "s3://$1" | awk '/Total Objects:/ {print $3}'; }

# timed NAME DIR CMD...: runs CMD in DIR under GNU time and a timeout; appends "secs maxrss_kib"
# (or "FAIL rc") to $WORK/t/NAME. Output goes to the log.
mkdir -p "$WORK/t"
timed() {
  local name=$1 dir=$2; shift 2
  local out=$LOGS/$name.log tf=$WORK/time.$$ rc=0
  LAST_RC=0
  echo "== $(date +%T) $*" >> "$out"
  # Flush what earlier commands wrote (a GiB per download), so that the kernel's writeback of
  # one tool's files is not billed to the next tool's time.
  sync
  (cd "$dir" && /usr/bin/time -f '%e %M' -o "$tf" timeout "$TIMEOUT" "$@") >> "$out" 2>&1 || rc=$?
  if [ "$rc" = 0 ]; then
    cat "$tf" >> "$WORK/t/$name"
    log "  $name: $(cat "$tf" | awk '{printf "%.2f s, %.0f MiB RSS", $1, $2 / 1024}')"
  else
    LAST_RC=$rc
    echo "FAIL $rc" >> "$WORK/t/$name"
    log "  $name: FAILED with exit $rc (last lines of $out):"
    tail -5 "$out" | sed 's/^/      /' >&2
    NOTES+=("$name failed with exit $rc: $(grep -v '^==' "$out" | tail -1 | cut -c1-200)")
  fi
  return 0
}
record() { echo "$2" >> "$WORK/t/$1"; }   # record NAME VALUE (stored bytes etc.)

verify_same() { # verify_same A B NAME: the downloaded tree equals the source
  if ! diff -rq "$1" "$2" > "$LOGS/$3.diff" 2>&1; then
    NOTES+=("$3: downloaded tree differs from the source ($(wc -l < "$LOGS/$3.diff") differences, see $LOGS/$3.diff)")
    log "  $3: DIFFERS from source"
  fi
}

link_tree() { cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"; }

# discard DIR: a downloaded tree of many files is moved aside and deleted only when the run ends,
# not before the next timed download. ext4 without a journal (this benchmark's VMs) does not
# reuse an inode freed in the last 60 s, or 300 s while its inode table block is dirty, which
# creating files next to it makes it again (recently_deleted() in fs/ext4/ialloc.c): creating
# files right after deleting 2,000 others scanned past every one of them, for each new file. That
# gave both tools 0.3-2.7 s of system time per small-file download that varied from run to run
# (perf: find_inode_bit, recently_deleted), a common term that hid much of the difference between
# them. A tree of a few files (the 128 MiB sets) is deleted at once: its inodes do not matter,
# its GiB might. The results note when the work directory is on such a file system.
discard() {
  [ -e "$1" ] || return 0
  if [ "$(find "$1" -type f | head -n 65 | wc -l)" -gt 64 ]; then
    mkdir -p "$WORK/discarded"; mv "$1" "$(mktemp -d "$WORK/discarded/XXXXXX")/"
  else
    rm -rf "$1"
  fi
}

bench_s3lfs() { # DATASET RUN
  local ds=$1 r=$2 src=$DATA/$1/data b repo clone
  b=e2e-s3lfs-$ds-$r-$$; mkbucket "$b"
  repo=$WORK/s3lfs-repo; clone=$WORK/s3lfs-clone; rm -rf "$repo" "$clone"
  mkdir -p "$repo"; git -C "$repo" init -q; link_tree "$src" "$repo/data"
  (cd "$repo" && "$S3LFS" init "$b" "bench/$ds" --endpoint-url "$EP" > "$LOGS/s3lfs-init.log" 2>&1) \
    || die "s3lfs init failed: $(tail -1 "$LOGS/s3lfs-init.log")"
  timed "$ds.s3lfs.up" "$repo" "$S3LFS" track data
  timed "$ds.s3lfs.noop" "$repo" "$S3LFS" track data
  timed "$ds.s3lfs.modified" "$repo" "$S3LFS" track --modified
  record "$ds.s3lfs.stored" "$(stored_bytes "$b")"
  record "$ds.s3lfs.objects" "$(object_count "$b")"
  printf 'data/\n' >> "$repo/.gitignore"
  git -C "$repo" add -A >/dev/null
  git -C "$repo" -c user.name=e2e -c user.email=e2e@localhost commit -qm manifest
  git clone -q "$repo" "$clone"
  timed "$ds.s3lfs.down" "$clone" "$S3LFS" checkout --all
  if [ "$r" = 1 ] && [ "$LAST_RC" = 0 ]; then verify_same "$src" "$clone/data" "$ds.s3lfs"; fi
  discard "$clone"; discard "$repo"; rmbucket "$b"
}

bench_rclone() {
  local ds=$1 r=$2 src=$DATA/$1/data b
  [ "$HAVE_RCLONE" = 1 ] || return 0
  b=e2e-rclone-$ds-$r-$$; mkbucket "$b"
  timed "$ds.rclone.up" "$WORK" rclone copy "$src" "e2e:$b/bench/$ds"
  record "$ds.rclone.stored" "$(stored_bytes "$b")"
  record "$ds.rclone.objects" "$(object_count "$b")"
  timed "$ds.rclone.down" "$WORK" rclone copy "e2e:$b/bench/$ds" "$WORK/rclone-down"
  if [ "$r" = 1 ] && [ "$LAST_RC" = 0 ]; then verify_same "$src" "$WORK/rclone-down" "$ds.rclone"; fi
  discard "$WORK/rclone-down"; rmbucket "$b"
}

bench_aws() {
  local ds=$1 r=$2 src=$DATA/$1/data b
  b=e2e-aws-$ds-$r-$$; mkbucket "$b"
  timed "$ds.aws.up" "$WORK" aws --endpoint-url "$EP" s3 cp --recursive --only-show-errors "$src" "s3://$b/bench/$ds"
  record "$ds.aws.stored" "$(stored_bytes "$b")"
  record "$ds.aws.objects" "$(object_count "$b")"
  timed "$ds.aws.down" "$WORK" aws --endpoint-url "$EP" s3 cp --recursive --only-show-errors "s3://$b/bench/$ds" "$WORK/aws-down"
  if [ "$r" = 1 ] && [ "$LAST_RC" = 0 ]; then verify_same "$src" "$WORK/aws-down" "$ds.aws"; fi
  discard "$WORK/aws-down"; rmbucket "$b"
}

# The tools take turns going first (run 1: s3lfs rclone aws, run 2: rclone aws s3lfs, ...), so
# no tool always meets the server right after another tool's load, or first after a dataset
# switch.
TOOLS=(s3lfs rclone aws)
bench_dataset() {
  local ds=$1 r i
  for r in $(seq 1 "$RUNS"); do
    log "dataset $ds, run $r/$RUNS"
    for i in 0 1 2; do
      "bench_${TOOLS[$(( (r - 1 + i) % 3 ))]}" "$ds" "$r"
    done
  done
}

# S3Proxy runs on the JVM too: its first requests are interpreted and JIT-compiled. One untimed
# round of every tool on a slice of the data (every 32nd small file, one random and one text
# file) warms the server,
# so the first timed tool does not pay for it.
warm_up() {
  local saved=$DATA w=$WORK/warm n=0 f
  rm -rf "$w"; mkdir -p "$w/warm/data"
  for f in "$DATA"/small/data/text/* "$DATA"/small/data/bin/*; do
    n=$((n + 1))
    if [ $((n % 32)) = 0 ]; then cp "$f" "$w/warm/data/"; fi
  done
  cp "$DATA/random/data/random-1.bin" "$DATA/text/data/app-1.log" "$w/warm/data/"
  DATA=$w
  local t; for t in "${TOOLS[@]}"; do "bench_$t" warm 0; done
  DATA=$saved
  rm -rf "$w" "$WORK/t"/warm.*
  log "server warmed up (untimed round of every tool)"
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T0=$(date +%s)
warm_up
IFS=, read -r -a DS_LIST <<< "$DATASETS"
for ds in "${DS_LIST[@]}"; do
  [ -d "$DATA/$ds/data" ] || die "unknown dataset $ds (small, random, text)"
  bench_dataset "$ds"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
ELAPSED=$(( $(date +%s) - T0 ))
S3PROXY_HWM=$(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$S3PROXY_PID/status" 2>/dev/null || echo "?")

# ---------------------------------------------------------------- report
# median of the first column of NAME's lines; "FAIL" when any run failed; "-" when absent.
med() { local f=$WORK/t/$1 col=${2:-1}
  [ -s "$f" ] || { echo "-"; return; }
  grep -q FAIL "$f" && { echo "FAIL"; return; }
  awk -v c="$col" '{print $c}' "$f" | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}
maxcol() { local f=$WORK/t/$1; [ -s "$f" ] && ! grep -q FAIL "$f" && awk '$2 > m {m = $2} END {print m}' "$f" || echo "-"; }
all() { local f=$WORK/t/$1; [ -s "$f" ] && awk '{printf "%s%s", (NR>1?" ":""), $1}' "$f" || echo "-"; }
num() { case "$1" in ''|-|FAIL|*[!0-9.]*) return 1;; esac; }
fmt_s() { num "$1" && printf '%.2f' "$1" || printf '%s' "$1"; }
ratio() { num "$1" && num "$2" && awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f×", a / b; else print "-"}' || printf -- '-'; }
mib() { num "$1" && awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}' || printf -- '-'; }
mbps() { num "$1" && awk -v s="$1" -v k="$2" 'BEGIN {if (s <= 0) print "-"; else { v = k * 1024 / s / 1e6; printf (v < 10 ? "%.1f" : "%.0f"), v }}' || printf -- '-'; }
bytes_mib() { num "$1" && awk -v b="$1" 'BEGIN {printf "%.1f", b / 1048576}' || printf -- '-'; }

CPU=$(lscpu 2>/dev/null | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')
RAM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
V_S3LFS=$("$S3LFS" --version 2>/dev/null | tr '\n' ' ')
# sed -n 1p, not head -1: head exits early, the writer gets SIGPIPE and pipefail calls it a failure
V_RCLONE=$(if [ "$HAVE_RCLONE" = 1 ]; then rclone version 2>/dev/null | sed -n 1p; else echo "not installed"; fi)
V_AWS=$(aws --version 2>&1 | sed -n 1p)
V_JAVA=$("$JAVA" -version 2>&1 | sed -n 1p)
TC_STATS=""
if [ -n "$NS" ]; then
  TC_STATS="tc on $VETH0 (client to server): $(tc -s qdisc show dev "$VETH0" | awk '/Sent/ {printf "sent %.0f MiB, %s overlimits", $2 / 1048576, $9}' | tr -d ',')"
fi
V_GIT=$(git --version)

OUT_DIR=$ROOT/s3lfs-bench/e2e/results
mkdir -p "$OUT_DIR"
OUT=$OUT_DIR/$(date +%Y-%m-%d)-$MODE.md

{
  echo "# s3lfs end-to-end benchmark: $MODE"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') (ran ${ELAPSED} s) |"
  echo "| command | \`$CMDLINE\` |"
  echo "| machine | nproc $(nproc), $CPU, $RAM RAM, $(uname -sr) |"
  echo "| load average (1/5/15 min) | $LOAD_START at start, $LOAD_END at end |"
  echo "| server | S3Proxy $S3PROXY_VERSION, transient-nio2 (in memory), -Xmx$XMX, $V_JAVA; peak RSS $S3PROXY_HWM |"
  echo "| link | $LINK_NOTE, endpoint $EP${TC_STATS:+; $TC_STATS} |"
  echo "| s3lfs | $V_S3LFS(default settings: 8 workers, compression as configured by default) |"
  echo "| rclone | $V_RCLONE (defaults: 4 transfers, 8 checkers) |"
  echo "| aws | $V_AWS (defaults: 10 concurrent requests, 8 MiB multipart) |"
  echo "| git | $V_GIT |"
  echo "| runs | $RUNS per tool and dataset, each into a fresh bucket, tools taking turns going first, after one untimed warm-up round; medians shown |"
  echo
  echo "Datasets:"
  echo "- small: $SMALL_COUNT files of $SMALL_KIB KiB, half log-like text, half random ($(du -sk "$DATA/small/data" | cut -f1) KiB on disk)"
  echo "- random: $BIG_COUNT files of $BIG_MIB MiB random"
  echo "- text: $BIG_COUNT files of $BIG_MIB MiB log-like text (gzip -5 ratio $(head -c 16777216 "$DATA/text/data/app-1.log" | gzip -5 | wc -c | awk '{printf "%.2f", 16777216 / $1}')×)"
  echo
  echo "Times in seconds (wall clock, median of $RUNS). × rclone: time divided by rclone's (below 1 is faster)."
  echo "s3lfs upload is \`s3lfs track data\` after \`s3lfs init\` in a fresh git repo; download is"
  echo "\`s3lfs checkout --all\` in a fresh \`git clone\`. MB/s counts the dataset's bytes (10⁶ B/s)."
  echo
  echo "| dataset | tool | upload s | up MB/s | up × rclone | download s | down MB/s | down × rclone | no-op \`track\` s | no-op \`track --modified\` s | max peak RSS up / down MiB | stored MiB (objects) |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for ds in "${DS_LIST[@]}"; do
    kib=$(du -sk "$DATA/$ds/data" | cut -f1)
    ru=$(med "$ds.rclone.up"); rd=$(med "$ds.rclone.down")
    for tool in s3lfs rclone aws; do
      [ "$tool" = rclone ] && [ "$HAVE_RCLONE" = 0 ] && { echo "| $ds | rclone | not installed | | | | | | | | | |"; continue; }
      u=$(med "$ds.$tool.up"); d=$(med "$ds.$tool.down")
      if [ "$tool" = s3lfs ]; then
        n1=$(fmt_s "$(med "$ds.s3lfs.noop")"); n2=$(fmt_s "$(med "$ds.s3lfs.modified")")
      else n1="n/a"; n2="n/a"; fi
      echo "| $ds | $tool | $(fmt_s "$u") | $(mbps "$u" "$kib") | $(ratio "$u" "$ru") | $(fmt_s "$d") | $(mbps "$d" "$kib") | $(ratio "$d" "$rd") | $n1 | $n2 | $(mib "$(maxcol "$ds.$tool.up")") / $(mib "$(maxcol "$ds.$tool.down")") | $(bytes_mib "$(med "$ds.$tool.stored")") ($(med "$ds.$tool.objects")) |"
    done
  done
  echo
  echo "Every run (seconds):"
  echo
  echo "| dataset | measurement | runs |"
  echo "|---|---|---|"
  for ds in "${DS_LIST[@]}"; do
    for m in s3lfs.up s3lfs.noop s3lfs.modified s3lfs.down rclone.up rclone.down aws.up aws.down; do
      [ -s "$WORK/t/$ds.$m" ] && echo "| $ds | $m | $(all "$ds.$m") |"
    done
  done
  if [ "${#NOTES[@]}" -gt 0 ]; then
    echo
    echo "Notes:"
    for n in "${NOTES[@]}"; do echo "- $n"; done
  fi
} | tee "$OUT"
log "results written to ${OUT#$ROOT/}; logs in $LOGS"
