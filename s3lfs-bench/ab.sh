#!/usr/bin/env bash
# Interleaved A/B of two s3lfs builds (or one build under two settings) on one e2e dataset
# against S3Proxy on loopback, or on `status` over 200,000 local files: the way to see a change of
# a few percent on a machine whose speed drifts by more than that within the hour. Each round runs
# both on the same data, A first in odd rounds and B first in even ones (a drift within the
# round, which runs of this machine show, would otherwise favour whichever side goes second);
# every run prints wall, user and system seconds and peak RSS (GNU time), and the end prints
# medians.
#
#   s3lfs-bench/ab.sh [--runs N] [--dataset small|random|text] track|checkout|status A B
#
# B may also be the word rclone, for track and checkout: its runs are then `rclone copy` of the
# same data into a fresh bucket, or out of a bucket holding it into a fresh directory, so that
# s3lfs and the tool it is measured against run interleaved under the same conditions. Track and
# checkout lines also give the CPU seconds S3Proxy spent during the run ("server"): on a small
# machine the server shares the cores, and its CPU is part of every run's wall time.
#
# A and B are s3lfs launchers (bin/s3lfs of two images; build the old one in a git worktree:
# an image copied elsewhere loses its AOT cache). Settings per side come from the environment:
# A_JAVA_OPTS / B_JAVA_OPTS become S3LFS_JAVA_OPTS, A_ENV / B_ENV are extra VAR=value words
# (for example B_ENV=S3LFS_WORKERS=16). 'track' times `s3lfs track data` into a fresh bucket;
# 'checkout' tracks once with A, then times `s3lfs checkout --all` in a fresh clone, after
# `sync` and a 2 s pause, each clone of many files kept until the end (creating files right after
# deleting thousands is slow on ext4 without a journal, for five minutes, see discard() in
# e2e/run.sh; TMPDIR on a journaled file system avoids it). 'status' makes the
# tree of s3lfs-bench/local.sh (200,000 files of a few bytes in 500 directories), tracks it once
# with A on a file:// store (a minute or two), copies it for B, then times `s3lfs status` of each
# side in its own copy; it needs no dataset or server.
#
# track and checkout need the e2e datasets and S3Proxy jar (run s3lfs-bench/e2e/run.sh --datasets DATASET once),
# the AWS CLI, git, curl and GNU time. Environment: S3LFS_E2E_CACHE (default /tmp/s3lfs-e2e),
# JAVA (for S3Proxy, default the Temurin 25 under /usr/lib/jvm), S3LFS_AB_PORT (default 18094).
set -euo pipefail

RUNS=4
DATASET=random
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
    --dataset) DATASET=${2:?--dataset needs a name}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
[ $# -eq 3 ] || { echo "usage: s3lfs-bench/ab.sh [--runs N] [--dataset small|random|text] track|checkout|status A B" >&2; exit 2; }
OP=$1 A=$2 B=$3
case "$OP" in track|checkout|status) ;; *) echo "ab.sh: the operation is track, checkout or status, got $OP" >&2; exit 2 ;; esac
RCLONE=0
if [ "$B" = rclone ]; then
  [ "$OP" != status ] || { echo "ab.sh: rclone has no status; compare it on track or checkout" >&2; exit 2; }
  command -v rclone > /dev/null || { echo "ab.sh: rclone is not installed (apt-get install rclone)" >&2; exit 2; }
  RCLONE=1
fi
for s in "$A" "$B"; do
  [ "$s" = rclone ] && [ "$RCLONE" = 1 ] && continue
  [ -x "$s" ] || { echo "ab.sh: not an s3lfs launcher: $s" >&2; exit 2; }
done

CACHE=${S3LFS_E2E_CACHE:-/tmp/s3lfs-e2e}
SRC=$CACHE/data/full/$DATASET/data
JAR=$CACHE/s3proxy-4.1.0-jar-with-dependencies.jar
[ "$OP" = status ] || { [ -d "$SRC" ] && [ -s "$JAR" ]; } || { echo "ab.sh: no dataset at $SRC or no S3Proxy at $JAR: run s3lfs-bench/e2e/run.sh --datasets $DATASET first" >&2; exit 1; }
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
PORT=${S3LFS_AB_PORT:-18094}
EP=http://127.0.0.1:$PORT

export AWS_ACCESS_KEY_ID=ab-identity AWS_SECRET_ACCESS_KEY=ab-credential AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_CA_BUNDLE AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 2>/dev/null || true

WORK=$(mktemp -d)
cat > "$WORK/s3proxy.conf" <<EOF
s3proxy.endpoint=$EP
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.provider=transient-nio2
jclouds.identity=$AWS_ACCESS_KEY_ID
jclouds.credential=$AWS_SECRET_ACCESS_KEY
EOF
SERVER=
trap '[ -z "$SERVER" ] || kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
if [ "$OP" != status ]; then
  "$JAVA" -Xmx6g -jar "$JAR" --properties "$WORK/s3proxy.conf" > "$WORK/s3proxy.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 60); do curl -s -o /dev/null "$EP" && break; sleep 0.5; done
fi
awss3() { aws --endpoint-url "$EP" s3 "$@" > /dev/null; }
export RCLONE_CONFIG=/dev/null RCLONE_CONFIG_AB_TYPE=s3 RCLONE_CONFIG_AB_PROVIDER=Other RCLONE_CONFIG_AB_ENDPOINT=$EP
export RCLONE_CONFIG_AB_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID RCLONE_CONFIG_AB_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
export RCLONE_CONFIG_AB_REGION=us-east-1 RCLONE_CONFIG_AB_FORCE_PATH_STYLE=true
# discard DIR: a tree of many files is moved aside until the end, not deleted before the next
# timed run (see discard() in e2e/run.sh for why); a tree of a few big files is deleted at once.
discard() {
  [ -e "$1" ] || return 0
  if [ "$(find "$1" -type f | head -n 65 | wc -l)" -gt 64 ]; then
    mv "$1" "$(mktemp -d "$WORK/discarded.XXXXXX")/"
  else
    rm -rf "$1"
  fi
}
# server_cpu: S3Proxy's CPU time so far, in clock ticks (utime + stime, /proc/PID/stat).
server_cpu() { awk '{ print $14 + $15 }' "/proc/$SERVER/stat"; }

# side NAME: sets CMD to the launcher of side A or B with its environment. An array, so that
# JVM options with spaces stay one S3LFS_JAVA_OPTS value (echoed and re-split, the words after
# the first space went to env as its own options, and env -a took an -agentpath as argv[0]).
side() {
  local s=$A opts=${A_JAVA_OPTS:-} extra=${A_ENV:-}
  if [ "$1" = B ]; then s=$B opts=${B_JAVA_OPTS:-} extra=${B_ENV:-}; fi
  # shellcheck disable=SC2206 # extra is VAR=value words
  CMD=(env "S3LFS_JAVA_OPTS=$opts" $extra "$s")
}

# timed LABEL DIR CMD...: one line "LABEL wall W user U sys S rss R MiB [server C]"
timed() {
  local label=$1 dir=$2 c0=0 server=""; shift 2
  sync; sleep 2
  [ -z "$SERVER" ] || c0=$(server_cpu)
  (cd "$dir" && /usr/bin/time -f "$label wall %e user %U sys %S rss %M" -o "$WORK/time" "$@" > "$WORK/out" 2>&1) \
    || { echo "ab.sh: $label failed:" >&2; tail -3 "$WORK/out" >&2; exit 1; }
  [ -z "$SERVER" ] || server=$(( $(server_cpu) - c0 ))
  awk -v server="$server" -v hz="$(getconf CLK_TCK)" '{ $NF = int($NF / 1024) " MiB"
      if (server != "") $NF = $NF sprintf(" server %.2f", server / hz); print }' "$WORK/time" | tee -a "$WORK/results"
}

fresh_repo() { # DIR BUCKET
  rm -rf "$1"; mkdir -p "$1"; git -C "$1" init -q; cp -al "$SRC" "$1/data" 2>/dev/null || cp -a "$SRC" "$1/data"
  awss3 mb "s3://$2"
  side A
  (cd "$1" && "${CMD[@]}" init "$2" ab --endpoint-url "$EP" > /dev/null)
}

if [ "$OP" = checkout ]; then
  if [ "$RCLONE" = 1 ]; then awss3 mb s3://ab-rclone; rclone copy "$SRC" ab:ab-rclone/data; fi
  fresh_repo "$WORK/repo" ab-source
  side A
  (cd "$WORK/repo" && "${CMD[@]}" track data > /dev/null && printf 'data/\n' >> .gitignore && git add -A \
    && git -c user.name=ab -c user.email=ab@localhost commit -qm manifest)
fi

status_repo() { if [ "$1" = A ]; then echo "$WORK/repo"; else echo "$WORK/repo-B"; fi; }

if [ "$OP" = status ]; then
  mkdir -p "$WORK/repo/data" "$WORK/store"; git -C "$WORK/repo" init -q
  for d in $(seq 0 499); do # as s3lfs-bench/local.sh makes them
    mkdir -p "$WORK/repo/data/d$d"
    seq $((d * 400 + 1)) $((d * 400 + 400)) | split -l 1 -d -a 3 - "$WORK/repo/data/d$d/f"
  done
  side A
  (cd "$WORK/repo" && "${CMD[@]}" init "file://$WORK/store" ab > /dev/null && "${CMD[@]}" track data > /dev/null)
  # Each side gets its own copy of the working copy: the hash cache is per working copy, and
  # two builds with different cache formats would otherwise rebuild each other's every run.
  cp -a "$WORK/repo" "$WORK/repo-B"
  sleep 3 # past the hash cache's 2 s racy window
  for s in A B; do # caches settled: the first run re-hashes what the cache does not know
    side $s
    (cd "$(status_repo $s)" && "${CMD[@]}" status > /dev/null && "${CMD[@]}" status > /dev/null)
  done
fi

# S3Proxy is a JVM: its first requests are interpreted and then compiled, and the first rounds
# of a 2,000-file checkout took 1.4 s against 0.9 s for the later ones (10:47 UTC on 12-01). One
# untimed checkout of each side warms it, as e2e/run.sh's warm-up round does.
if [ "$OP" = checkout ]; then
  for s in A B; do
    git clone -q "$WORK/repo" "$WORK/warm"
    if [ "$s" = B ] && [ "$RCLONE" = 1 ]; then
      rclone copy ab:ab-rclone/data "$WORK/warm/data"
    else
      side $s
      (cd "$WORK/warm" && "${CMD[@]}" checkout --all > /dev/null)
    fi
    discard "$WORK/warm"
  done
fi

n=0
for r in $(seq "$RUNS"); do
  order="A B"
  if [ $((r % 2)) = 0 ]; then order="B A"; fi
  for s in $order; do
    n=$((n + 1))
    if [ "$OP" = status ]; then
      side $s
      timed "$s status" "$(status_repo $s)" "${CMD[@]}" status
    elif [ "$OP" = track ]; then
      if [ "$s" = B ] && [ "$RCLONE" = 1 ]; then
        awss3 mb "s3://ab-$n"
        timed "$s track" "$WORK" rclone copy "$SRC" "ab:ab-$n/data"
      else
        fresh_repo "$WORK/run" "ab-$n"
        side $s
        timed "$s track" "$WORK/run" "${CMD[@]}" track data
      fi
      rm -rf "$WORK/run"; awss3 rb --force "s3://ab-$n"
    else
      discard "$WORK/clone"
      git clone -q "$WORK/repo" "$WORK/clone"
      if [ "$s" = B ] && [ "$RCLONE" = 1 ]; then
        timed "$s checkout" "$WORK/clone" rclone copy ab:ab-rclone/data data
      else
        side $s
        timed "$s checkout" "$WORK/clone" "${CMD[@]}" checkout --all
      fi
    fi
  done
done

echo "medians of $RUNS runs ($([ "$OP" = status ] && echo "200,000 files" || echo "$DATASET"), $OP):"
for s in A B; do
  for f in wall user sys server; do
    grep "^$s $OP " "$WORK/results" | awk -v f=$f '{ for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }' \
      | sort -n | awk -v s=$s -v f=$f '{ v[NR] = $1 } END { if (NR == 0) exit
          m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "  %s %s %.2f s\n", s, f, m }'
  done
done
