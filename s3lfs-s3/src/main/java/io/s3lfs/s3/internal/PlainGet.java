package io.s3lfs.s3.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.crt.CrtRuntimeException;
import software.amazon.awssdk.crt.http.HttpClientConnection;
import software.amazon.awssdk.crt.http.HttpClientConnectionManager;
import software.amazon.awssdk.crt.http.HttpHeader;
import software.amazon.awssdk.crt.http.HttpHeaderBlock;
import software.amazon.awssdk.crt.http.HttpException;
import software.amazon.awssdk.crt.http.HttpRequest;
import software.amazon.awssdk.crt.http.HttpStream;
import software.amazon.awssdk.crt.http.HttpStreamResponseHandler;

/**
 * One GET on a pooled connection of the CRT's plain HTTP client, read as a stream with flow
 * control of its own: the connection's window (its manager's window size) opens by what the
 * reader consumed, so at most that many bytes wait here.
 *
 * <p>Why not the CRT's S3 client, as for PUTs and listings: it answers every GET in parts that each cross
 * its threads several times (6.4 event-loop wake-ups per small GET, against 0.9 for rclone), and
 * it can hold a whole-object GET to the read window only by splitting it into ranged parts, which
 * for many big objects at once costs the server a request per 8 MiB. This client sends one
 * request per GET and holds any of them to the window.
 *
 * <p>The CRT hands each socket read (16 KiB) to Java as a fresh array. Those are copied into
 * chunks of a {@link ChunkPool} (sized to the body when it is smaller), which are what the
 * reader receives: the reader is woken once per chunk, not per socket read, and the window opens
 * in steps of a chunk, each a call onto the event loop.
 */
final class PlainGet extends InputStream implements HttpStreamResponseHandler {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  /** Makes the exception for a failed GET: an HTTP error answer, or a CRT error code. */
  interface Failures {
    /**
     * @param status the HTTP status, 0 when there was no answer
     * @param errorCode the CRT's error code, 0 when there was an answer
     * @param payload the error answer's body
     */
    Throwable failure(int status, int errorCode, byte[] payload);
  }

  private final HttpClientConnectionManager connections;
  private final Failures failures;
  private final ChunkPool pool;
  private final CompletableFuture<PlainGet> answer = new CompletableFuture<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  // Guarded by lock: what the event loop handed over and the reader has not taken.
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private boolean finished;
  private volatile Throwable failed;
  // The event loop's alone (the CRT calls a stream's handler from one thread, one call at a time).
  private int status;
  private long length = -1;
  private long total = -1;
  private byte[] filling;
  private int filled;
  private long handedOver;
  private ByteArrayOutputStream errorBody;
  // Guarded by this: the native stream and connection, released once. Every call into the stream
  // happens under this lock and before release: a call on a released stream is a use-after-free.
  private HttpClientConnection connection;
  private HttpStream stream;
  private boolean released;
  // The reader's alone: the chunk being read.
  private byte[] current;
  private int position;
  private boolean ended;

  /**
   * @param pool the chunks bodies are copied into, shared by the GETs of a client (fresh 1 MiB
   *     arrays, zeroed by the heap, were a fifth of this class's CPU in a checkout of
   *     8 x 128 MiB)
   */
  PlainGet(HttpClientConnectionManager connections, Failures failures, ChunkPool pool) {
    this.connections = connections;
    this.failures = failures;
    this.pool = pool;
  }

  /**
   * Sends {@code signed} on a connection of the pool.
   *
   * @return this GET
   */
  PlainGet send(CompletableFuture<HttpRequest> signed) {
    signed.thenCompose(request -> connections.acquireConnection().thenAccept(c -> start(c, request)))
        .whenComplete((v, t) -> {
          if (t != null) {
            fail(crtFailure(t instanceof CompletionException && t.getCause() != null ? t.getCause() : t));
          }
        });
    answer.whenComplete((in, t) -> {
      if (t != null) {
        release();
      }
    });
    return this;
  }

  /**
   * @return completes with this GET once its answer has a first chunk or has ended, or with the
   *     exception describing why there is none
   */
  CompletableFuture<PlainGet> answer() {
    return answer;
  }

  // What signing, the pool or a connection threw, as the CRT's S3 client would report it.
  private Throwable crtFailure(Throwable t) {
    if (t instanceof HttpException e) {
      return failures.failure(0, e.getErrorCode(), null);
    }
    if (t instanceof CrtRuntimeException e) {
      return failures.failure(0, e.errorCode, null);
    }
    return t;
  }

  private synchronized void start(HttpClientConnection c, HttpRequest request) {
    connection = c;
    if (released) { // given up before a connection came
      connections.releaseConnection(c);
      return;
    }
    stream = c.makeRequest(request, this);
    stream.activate();
  }

  /** @return the HTTP status of the answer (200 for a whole object, 206 for a range) */
  int status() {
    return status;
  }

  /**
   * @return the size of the whole object: from {@code Content-Range} for a 206, else the length
   *     of this body
   */
  long objectSize() {
    return total >= 0 ? total : length;
  }

  @Override
  public void onResponseHeaders(HttpStream s, int responseStatusCode, int blockType, HttpHeader[] headers) {
    if (blockType != HttpHeaderBlock.MAIN.getValue()) {
      return; // a 100 Continue's, or trailers
    }
    status = responseStatusCode;
    for (HttpHeader h : headers) {
      if (h.getName().equalsIgnoreCase("Content-Length")) {
        length = parse(h.getValue());
      } else if (h.getName().equalsIgnoreCase("Content-Range")) {
        Matcher m = CONTENT_RANGE.matcher(h.getValue());
        if (m.matches()) {
          total = Long.parseLong(m.group(3));
        }
      }
    }
  }

  private static long parse(String number) {
    try {
      return Long.parseLong(number.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public int onResponseBody(HttpStream s, byte[] bytes) {
    if (status / 100 != 2) {
      if (errorBody == null) {
        errorBody = new ByteArrayOutputStream();
      }
      errorBody.writeBytes(bytes);
      return bytes.length; // an error answer is small: read it all
    }
    int off = 0;
    while (off < bytes.length) {
      if (filling == null) {
        long left = length - received();
        filling = pool.take(left);
        filled = 0;
      }
      int n = Math.min(filling.length - filled, bytes.length - off);
      System.arraycopy(bytes, off, filling, filled, n);
      filled += n;
      off += n;
      if (filled == filling.length) {
        handOver(filling);
        filling = null;
      }
    }
    return 0; // the window opens as the reader consumes
  }

  private long received() {
    return handedOver + (filling == null ? 0 : filled);
  }

  private void handOver(byte[] chunk) {
    handedOver += chunk.length;
    lock.lock();
    try {
      chunks.add(chunk);
      ready.signal();
    } finally {
      lock.unlock();
    }
    answer.complete(this);
  }

  @Override
  public void onResponseComplete(HttpStream s, int errorCode) {
    if (errorCode == 0 && status / 100 == 2) {
      if (filling != null && filled > 0) { // a body shorter than its Content-Length said
        handOver(java.util.Arrays.copyOf(filling, filled));
      }
      filling = null;
      finish(null);
      answer.complete(this);
    } else {
      fail(failures.failure(errorCode != 0 ? 0 : status, errorCode,
          errorBody == null ? null : errorBody.toByteArray()));
    }
  }

  private void fail(Throwable t) {
    finish(t);
    answer.completeExceptionally(t);
  }

  private void finish(Throwable t) {
    lock.lock();
    try {
      finished = true;
      failed = t;
      ready.signal();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  /** Copies out of the chunk at hand; a chunk read through opens the window by its size. */
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
        openWindow(current.length);
        pool.give(current);
      }
      current = next();
      position = 0;
      if (current == null) {
        ended = true;
        release();
        Throwable failure = failed;
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

  /** @return the next chunk, waiting for it, or null once the body has ended */
  private byte[] next() throws InterruptedIOException {
    lock.lock();
    try {
      while (chunks.isEmpty() && !finished) {
        ready.await();
      }
      return chunks.poll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading an S3 object");
    } finally {
      lock.unlock();
    }
  }

  private synchronized void openWindow(int bytes) {
    if (!released && stream != null) {
      stream.incrementWindow(bytes);
    }
  }

  @Override
  public void close() {
    boolean done;
    lock.lock();
    try {
      done = finished;
      chunks.forEach(pool::give);
      chunks.clear();
    } finally {
      lock.unlock();
    }
    synchronized (this) {
      if (!released && !done && stream != null) {
        stream.cancel(); // stop receiving what nobody will read; the connection closes
      }
    }
    release();
  }

  /** Gives the stream and its connection back; once, and never while a call into them runs. */
  synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    if (stream != null) {
      stream.close();
    }
    if (connection != null) {
      connections.releaseConnection(connection);
    }
  }
}
