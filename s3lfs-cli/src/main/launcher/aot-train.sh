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
# A second working copy on s3:// at a closed local port: the request fails at once (one attempt),
# but the AWS SDK's client, credentials, signing and HTTP stack are loaded and recorded.
mkdir -p "$work/s3repo/d"
cp "$work/repo/d/b.bin" "$work/s3repo/d/"
(cd "$work/s3repo" && LC_ALL=C.UTF-8 "$image/bin/s3lfs" init training-bucket train --endpoint-url http://127.0.0.1:9 > /dev/null)
rm -f "$image/lib/s3lfs.aot"
# Same module path and options as bin/s3lfs, or the JVM would refuse the cache.
AWS_ACCESS_KEY_ID=training AWS_SECRET_ACCESS_KEY=training AWS_REGION=us-east-1 \
S3LFS_STORE_OPTIONS=s3.retry.maxAttempts=1 \
LC_ALL=C.UTF-8 "$image/bin/java" -Ds3lfs.aot.training="$work/repo:$work/s3repo" -XX:AOTCacheOutput="$image/lib/s3lfs.aot" -Xlog:aot=error -Xlog:cds=error -Xmx384m -XX:+UseSerialGC \
  --enable-native-access=ALL-UNNAMED,com.github.luben.zstd_jni,aws.crt,io.s3lfs.core,io.s3lfs.cli --sun-misc-unsafe-memory-access=allow \
  --module-path "$image/app" --add-modules ALL-MODULE-PATH,ALL-SYSTEM \
  -m io.s3lfs.cli/io.s3lfs.cli.Main track d > /dev/null
