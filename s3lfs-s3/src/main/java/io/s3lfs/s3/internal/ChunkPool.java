package io.s3lfs.s3.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Arrays that GET bodies copy the CRT's bytes into, of at most {@link #CHUNK} bytes, the full-size
 * ones reused once read. Shared by the GETs of a client; thread-safe.
 *
 * <p>Why copy: the CRT hands its bytes to Java in fresh arrays, 16 KiB per socket read on the
 * plain HTTP client and 8 MiB per part on the S3 client. Queued until read, the small ones were
 * copied by each young collection (GC threads 0.25 s per checkout of 8 x 128 MiB), and under the
 * serial collector the parts were promoted and piled up in the old generation until it was full
 * (peak RSS of a 4 GiB checkout 491 MiB, against 260 MiB with G1, which frees such humongous
 * arrays at once). Copied into these, the CRT's arrays die young, and what waits for the reader
 * lives in a few reused arrays.
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
