#!/bin/sh
# Peak RSS of 's3lfs track' and 's3lfs checkout --all' on a working copy holding one 4 GiB file
# and 10,000 small files, on a file:// store (issue 4: under 512 MiB with default settings).
#   s3lfs-bench/memory.sh [WORKDIR]     (needs about 9 GiB free; uses the built image)
set -eu
s3lfs="$(cd "$(dirname "$0")/.." && pwd)/s3lfs-cli/target/s3lfs/bin/s3lfs"
work=${1:-$(mktemp -d)}
rm -rf "$work/repo" "$work/store"
mkdir -p "$work/repo"
cd "$work/repo"
git init -q
head -c 4294967296 /dev/urandom > big.bin
i=0
while [ $i -lt 10000 ]; do
  d=small/d$((i / 100))
  [ -d "$d" ] || mkdir -p "$d"
  printf 'file %s\n%s\n' "$i" "$(date +%N)" > "$d/f$i.txt"
  i=$((i + 1))
done
"$s3lfs" init "file://$work/store" mem > /dev/null
/usr/bin/time -f "track:    %e s, peak RSS %M KiB" "$s3lfs" track big.bin small
rm -rf big.bin small
/usr/bin/time -f "checkout: %e s, peak RSS %M KiB" "$s3lfs" checkout --all
rm -rf "$work/repo" "$work/store"
