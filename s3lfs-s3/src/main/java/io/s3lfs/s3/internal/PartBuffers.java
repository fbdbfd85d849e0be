package io.s3lfs.s3.internal;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Reusable part buffers of one size. Buffers of another size than the one last asked for are
 * dropped rather than kept, so the pool never holds more than one size class: the callers'
 * in-flight budget, which bounds how many buffers are out at once, then bounds the pool too.
 */
final class PartBuffers {
  private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();
  private volatile int size = -1;

  /** @return a buffer of exactly {@code length} bytes, reused when one is free; contents undefined */
  byte[] take(int length) {
    if (length != size) {
      size = length;
      free.clear();
    }
    byte[] buffer = free.poll();
    return buffer != null && buffer.length == length ? buffer : new byte[length];
  }

  /** Gives a buffer back once nothing uses it. */
  void give(byte[] buffer) {
    if (buffer.length == size) {
      free.offer(buffer);
    }
  }

  /** @return how many buffers are kept for reuse */
  int kept() {
    return free.size();
  }
}
