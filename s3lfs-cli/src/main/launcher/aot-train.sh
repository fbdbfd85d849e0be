#!/bin/sh
# Builds lib/s3lfs.aot, the image's ahead-of-time class cache, from one training run of
# 's3lfs track' on a throwaway file:// store. Run at build time with the image's own java.
set -eu
image=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/repo/d" "$work/store"
# Enough files that the hot paths (stat, cache, hash, gzip, store put, manifest write) get
# profiled and compiled in training, not just loaded.
head -c 300000 /dev/urandom > "$work/repo/d/b.bin"
i=0
while [ $i -lt 1500 ]; do
  mkdir -p "$work/repo/d/$((i % 30))"
  printf 'line %s of a small text file\n' $i $i $i $i > "$work/repo/d/$((i % 30))/f$i.txt"
  i=$((i + 1))
done
cd "$work/repo"
LC_ALL=C.UTF-8 "$image/bin/s3lfs" init "file://$work/store" train > /dev/null
rm -f "$image/lib/s3lfs.aot"
# Same module path and options as bin/s3lfs, or the JVM would refuse the cache.
LC_ALL=C.UTF-8 "$image/bin/java" -XX:AOTCacheOutput="$image/lib/s3lfs.aot" -Xlog:aot=error -Xlog:cds=error -Xmx384m \
  --enable-native-access=ALL-UNNAMED,com.github.luben.zstd_jni,aws.crt \
  --module-path "$image/app" --add-modules ALL-MODULE-PATH,ALL-SYSTEM \
  -m io.s3lfs.cli/io.s3lfs.cli.Main track d > /dev/null
