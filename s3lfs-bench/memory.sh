#!/bin/sh
# Peak RSS of 's3lfs track' and 's3lfs checkout --all' on a working copy holding one 4 GiB file
# and 10,000 small files (issue 4: under 512 MiB with default settings).
#   s3lfs-bench/memory.sh [WORKDIR]                  file:// store (needs about 9 GiB free)
#   S3LFS_MEMORY_STORE=s3://bucket S3LFS_MEMORY_ENDPOINT=http://127.0.0.1:9000 \
#     s3lfs-bench/memory.sh [WORKDIR]                an S3 store (credentials from the
#                                                    environment, bucket must exist)
# Uses the built image (./mvnw -q -B package -DskipTests).
set -eu
s3lfs="$(cd "$(dirname "$0")/.." && pwd)/s3lfs-cli/target/s3lfs/bin/s3lfs"
work=${1:-$(mktemp -d)}
store=${S3LFS_MEMORY_STORE:-file://$work/store}
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
"$s3lfs" init "$store" "mem-$(date +%s)" ${S3LFS_MEMORY_ENDPOINT:+--endpoint-url "$S3LFS_MEMORY_ENDPOINT"} > /dev/null
echo "store: $store${S3LFS_MEMORY_ENDPOINT:+ at $S3LFS_MEMORY_ENDPOINT}"
/usr/bin/time -f "track:    %e s, peak RSS %M KiB" "$s3lfs" track big.bin small
rm -rf big.bin small
/usr/bin/time -f "checkout: %e s, peak RSS %M KiB" "$s3lfs" checkout --all
rm -rf "$work/repo" "$work/store"
