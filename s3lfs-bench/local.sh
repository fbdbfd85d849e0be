#!/bin/sh
# Local (file://) timings that README.md quotes, with hyperfine:
#   - s3lfs --version (start-up)
#   - no-op 's3lfs track --modified' over 10,000 tracked files of 1 KiB in 100 directories
#   - 's3lfs status', 's3lfs ls' and a no-op 's3lfs checkout --all' over 200,000 tracked files of
#     a few bytes in 500 directories, and for scale 'git status' over the same files committed to git
#   s3lfs-bench/local.sh [WORKDIR]     (uses the built image; needs hyperfine: apt-get install hyperfine)
# Tracking the 200,000 files once takes a minute or two; only the runs after it are timed.
set -eu
s3lfs="$(cd "$(dirname "$0")/.." && pwd)/s3lfs-cli/target/s3lfs/bin/s3lfs"
[ -x "$s3lfs" ] || { echo "no image: run ./mvnw -q -B package -DskipTests first" >&2; exit 1; }
command -v hyperfine > /dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 1; }
work=${1:-$(mktemp -d)}
rm -rf "$work/noop" "$work/status" "$work/store"
mkdir -p "$work/noop" "$work/status" "$work/store"

echo "== start-up"
hyperfine -N -w 3 -r 15 "$s3lfs --version"

echo "== no-op track --modified, 10,000 files"
cd "$work/noop"
git init -q
d=0
while [ $d -lt 100 ]; do
  mkdir -p "data/d$d"
  head -c 102400 /dev/urandom | split -b 1024 -d -a 3 - "data/d$d/f"
  d=$((d + 1))
done
"$s3lfs" init "file://$work/store" noop > /dev/null
"$s3lfs" track data > /dev/null
sleep 3 # past the hash cache's 2 s racy window, so the cache answers
"$s3lfs" track --modified > /dev/null
hyperfine -N -w 2 -r 10 "$s3lfs track --modified"

echo "== status, 200,000 files"
cd "$work/status"
git init -q
d=0
while [ $d -lt 500 ]; do
  mkdir -p "data/d$d"
  seq $((d * 400 + 1)) $((d * 400 + 400)) | split -l 1 -d -a 3 - "data/d$d/f"
  d=$((d + 1))
done
"$s3lfs" init "file://$work/store" status > /dev/null
"$s3lfs" track data | tail -1
sleep 3
"$s3lfs" status | head -1
hyperfine -N -w 1 -r 5 "$s3lfs status"
echo "== ls over the same 200,000 tracked files (output to /dev/null, as hyperfine does)"
hyperfine -N -w 1 -r 5 "$s3lfs ls"
echo "== no-op checkout --all over the same files (every one already there)"
hyperfine -N -w 1 -r 5 "$s3lfs checkout --all"

echo "== for scale: git status over the same 200,000 files, committed to git"
git add data .s3_manifest.json
# gc.auto=0: a commit of 200,000 files starts git gc in the background, which raced the rm below
git -c gc.auto=0 -c user.name=bench -c user.email=bench@localhost commit -qm files
sleep 2 # past git's racy-timestamp window too
hyperfine -N -w 2 -r 8 "git status --porcelain"
rm -rf "$work/noop" "$work/status" "$work/store"
