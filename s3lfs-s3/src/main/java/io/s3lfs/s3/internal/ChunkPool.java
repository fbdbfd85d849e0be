package io.s3lfs.s3.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Arrays that GET bodies copy the CRT's bytes into, of at most {@link #CHUNK} bytes, the full-size
 * ones reused once read. Shared by the GETs of a client; thread-safe.
 *
 * <p>Why copy: the CRT's plain HTTP client hands each socket read (16 KiB) to Java in a fresh
 * array. Queued as they came until read, a young collection copied megabytes of them (GC threads
 * 0.25 s per checkout of 8 x 128 MiB). Copied into these, the CRT's arrays die young, and what
 * waits for the reader lives in a few reused arrays. (The CRT's S3 client, which fetched big
 * objects alone until {@link RangedGet}, handed over 8 MiB arrays per part: under the serial
 * collector those were promoted and piled up in the old generation until it was full, peak RSS
 * of a 4 GiB checkout 491 MiB against 260 MiB with G1.)
 */
final class ChunkPool {
  /** The most bytes a chunk holds. */
  static final int CHUNK = 1 << 20;
  private final BlockingQueue<byte[]> spare;

  /** @param capacity the most spare chunks kept */
  ChunkPool(int capacity) {
    spare = new ArrayBlockingQueue<>(Math.max(1, capacity));
  }

  /**
   * @param wanted the bytes left to copy (0 or less: unknown)
   * @return an array of {@link #CHUNK} bytes, reused when one is spare, or of {@code wanted}
   *     bytes when fewer than that are wanted
   */
  byte[] take(long wanted) {
    if (wanted > 0 && wanted < CHUNK) {
      return new byte[(int) wanted];
    }
    byte[] chunk = spare.poll();
    return chunk != null ? chunk : new byte[CHUNK];
  }

  /** Takes {@code chunk} back once read; only full-size ones are kept. */
  void give(byte[] chunk) {
    if (chunk.length == CHUNK) {
      spare.offer(chunk);
    }
  }
}
