package io.s3lfs.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The bytes {@code [from, to)} of an object as ranged GETs of one part each ({@link PlainGet}),
 * several in flight, read in order: how one big object downloads fast, each connection bringing
 * its part. Every GET holds at most its window, so memory is bounded by the parts in flight.
 *
 * <p>A range whose answer fails before any of its bytes were read is asked for again (as many
 * attempts as the store's retry policy allows, with a short jittered backoff) when the failure
 * may pass; a failure in the middle of a range reaches the reader, and the engine starts the
 * download over.
 */
final class RangedGet extends InputStream {
  /** Starts a GET of the bytes {@code first} to {@code last}, inclusive. */
  interface Start {
    PlainGet get(long first, long last);
  }

  private final Start start;
  private final Predicate<Throwable> retryable;
  private final long to;
  private final long part;
  private final int inFlight;
  private final int attempts;
  private final ArrayDeque<Range> ahead = new ArrayDeque<>();
  private long next;
  private Range current;
  private boolean closed;

  private record Range(long first, long last, PlainGet get) {}

  /**
   * @param from the first byte
   * @param to the end (exclusive)
   * @param part the bytes per range
   * @param inFlight the ranges requested ahead of the reader, at least 1
   * @param retryable whether a range's failure may pass if asked again
   * @param attempts the most attempts at one range's answer, at least 1
   */
  RangedGet(Start start, long from, long to, long part, int inFlight, Predicate<Throwable> retryable, int attempts) {
    this.start = start;
    this.retryable = retryable;
    this.to = to;
    this.part = part;
    this.inFlight = Math.max(1, inFlight);
    this.attempts = Math.max(1, attempts);
    this.next = from;
    fill();
  }

  private void fill() {
    while (ahead.size() < inFlight && next < to) {
      long last = Math.min(next + part, to) - 1;
      ahead.add(new Range(next, last, start.get(next, last)));
      next = last + 1;
    }
  }

  @Override
  public int read() throws IOException {
    while (current() != null) {
      int c = current.get().read();
      if (c != -1) {
        return c;
      }
      finishCurrent();
    }
    return -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (current() != null) {
      int n = current.get().read(b, off, len);
      if (n != -1) {
        return n;
      }
      finishCurrent();
    }
    return -1;
  }

  /** @return the range being read, the next one once its answer came, or null at the end */
  private Range current() throws IOException {
    if (closed) {
      throw new IOException("the stream is closed");
    }
    if (current == null) {
      Range r = ahead.poll();
      if (r == null) {
        return null;
      }
      fill();
      current = answered(r);
    }
    return current;
  }

  private void finishCurrent() {
    current.get().close();
    current = null;
  }

  // Waits for the range's answer, asking again while its failure may pass.
  private Range answered(Range r) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        r.get().answer().join();
        return r;
      } catch (CompletionException | CancellationException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        if (attempt >= attempts || !retryable.test(cause)) {
          throw e; // the SDK's exception inside: the store translates it
        }
        try {
          Thread.sleep(ThreadLocalRandom.current().nextLong(50L << attempt));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while reading an S3 object");
        }
        r = new Range(r.first(), r.last(), start.get(r.first(), r.last()));
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (current != null) {
      current.get().close();
    }
    for (Range r : ahead) {
      r.get().close();
    }
    ahead.clear();
  }
}
