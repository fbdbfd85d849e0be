package io.s3lfs.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;

/**
 * A GET's body as the CRT's callbacks hand it over, in chunks, read by one thread: the reader
 * takes a chunk, copies it out, and tells the subclass when it is consumed, which opens the read
 * window by as much; at the end it releases the native request and throws what failed.
 */
abstract class ChunkStream extends InputStream {
  private byte[] current;
  private int position;
  private boolean ended;

  /**
   * @return the next chunk, waiting for it, or {@code null} once the body has ended (complete or
   *     failed)
   */
  abstract byte[] next() throws InterruptedException;

  /** The reader has copied out all of {@code chunk}. */
  abstract void consumed(byte[] chunk);

  /** @return why the body ended early, or {@code null}; asked once {@link #next} said the end */
  abstract Throwable whyEnded();

  /** Releases the native request; called once the body has ended, and by {@link #close}. */
  abstract void release();

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    while (current == null || position == current.length) {
      if (ended) {
        return -1;
      }
      if (current != null) {
        consumed(current);
      }
      try {
        current = next();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading an S3 object");
      }
      position = 0;
      if (current == null) {
        ended = true;
        release();
        Throwable failure = whyEnded();
        if (failure instanceof RuntimeException r) {
          throw r; // the SDK's exception types: the store translates them as the SDK's own
        }
        if (failure != null) {
          throw new IOException("the download failed: " + failure.getMessage(), failure);
        }
        return -1;
      }
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current, position, b, off, n);
    position += n;
    return n;
  }
}
