package io.s3lfs.s3.internal;

import io.s3lfs.api.StorageException;
import io.s3lfs.api.StorageException.Kind;
import io.s3lfs.api.StorageException.Operation;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.FileRequestBodyConfiguration;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;

/**
 * One multipart upload: create, parts in parallel, complete; abort on failure so no parts are
 * left billed. Parts come from a file (each attempt re-reads its range), from a stream (each part
 * is buffered, so it can be resent), or from an existing object (UploadPartCopy).
 *
 * <p>Bounded at the producer (STYLE 5): a permit is taken before a part is read or started, and
 * parts run as blocking calls on virtual threads, so a stream upload holds at most
 * {@code parallelism} part buffers.
 */
final class MultipartUpload {
  /** Streams of unknown length: parts of one size, then twice that size, per this many parts. */
  static final int UNKNOWN_LENGTH_PARTS_PER_SIZE = 1_000;
  /** Part buffers a stream upload holds at most. */
  private static final int STREAM_PARALLELISM = 4;

  private final Supplier<S3AsyncClient> s3;
  private final S3Settings settings;
  private final S3Errors errors;
  private final Requests requests;
  private final Executor io;

  MultipartUpload(Supplier<S3AsyncClient> s3, S3Settings settings, S3Errors errors, Requests requests, Executor io) {
    this.s3 = s3;
    this.settings = settings;
    this.errors = errors;
    this.requests = requests;
    this.io = io;
  }

  /**
   * Part bytes in flight across every upload of this store, in KiB. Each upload also limits its
   * own parts, but eight files of 128 MiB uploading at once held 8 x 16 parts of 8 MiB in the
   * client's buffers (RSS 640 MiB); 64 MiB in flight keeps a 10 Gbit/s link busy at 50 ms RTT.
   */
  static final int IN_FLIGHT_KIB = 64 << 10;
  private final Semaphore inFlight = new Semaphore(IN_FLIGHT_KIB, true);

  /**
   * Stream parts are read into buffers from this pool and the buffers are reused once their part
   * is stored, so a long stream of parts does not allocate (in G1, humongous) arrays part after
   * part. The in-flight budget above bounds how many are out at once, hence how many exist.
   */
  private final PartBuffers buffers = new PartBuffers();

  /** One part: uploads itself (one attempt) and reports its ETag. */
  private interface Part {
    CompletedPart upload(String uploadId);

    /** Called once the part is stored: nothing of it is in use any more. */
    default void stored() {}
  }

  /** Produces parts in order on the calling thread; {@code null} when there are no more. */
  private interface Parts {
    Part next() throws IOException;

    /** @return the size of every part but possibly the last */
    long partSize();
  }

  void fromFile(String key, Path file, long size) {
    run(key, settings.maxConcurrency(), byRange(size, (uploadId, partNumber, offset, length) ->
        uploadPart(key, uploadId, partNumber, AsyncRequestBody.fromFile(
            FileRequestBodyConfiguration.builder().path(file).position(offset).numBytesToRead(length).build()))));
  }

  /**
   * @param head bytes already read from the stream (to decide on multipart), sent first; when it
   *     is large enough to be a part on its own it is sent as part 1 as it is, without a copy
   * @param length the stream's total length including {@code head}, or -1 when unknown
   */
  void fromStream(String key, byte[] head, InputStream rest, long length) {
    run(key, Math.min(settings.maxConcurrency(), STREAM_PARALLELISM), new Parts() {
      int number;
      long sent;
      boolean done;
      boolean headPending = head.length > 0;

      @Override
      public long partSize() {
        return sizeOf(number + 1);
      }

      // Unknown length: the minimum part (8 MiB), doubling every 1,000 parts, so small streams
      // hold small buffers and 10,000 parts still reach past S3's 5 TiB object limit.
      private long sizeOf(int partNumber) {
        if (length >= 0) {
          return settings.partSizeFor(length);
        }
        int doublings = Math.min(10, (partNumber - 1) / UNKNOWN_LENGTH_PARTS_PER_SIZE);
        return Math.min(S3Settings.MAX_SINGLE_OBJECT, settings.minPartSize() << doublings);
      }

      @Override
      public Part next() throws IOException {
        if (done) {
          return null;
        }
        if (headPending && head.length >= S3Settings.S3_MIN_PART && length < 0) {
          headPending = false;
          sent += head.length;
          int partNumber = ++number;
          return uploadId -> uploadPart(key, uploadId, partNumber, AsyncRequestBody.fromBytesUnsafe(head));
        }
        long partSize = sizeOf(number + 1);
        long want = length < 0 ? partSize : Math.min(partSize, length - sent);
        byte[] part = buffers.take(Math.toIntExact(partSize));
        boolean handedOver = false; // else the buffer goes back to the pool on the way out
        try {
          int filled = 0;
          if (headPending) {
            headPending = false;
            System.arraycopy(head, 0, part, 0, head.length);
            filled = head.length;
          }
          filled += rest.readNBytes(part, filled, Math.toIntExact(want) - filled);
          sent += filled;
          if (length >= 0 && filled < want) {
            throw new EOFException("stream ended after " + sent + " of " + length + " bytes");
          }
          done = length >= 0 ? sent == length : filled < want;
          if (done && length >= 0 && rest.read() != -1) {
            throw new IOException("stream holds more than the " + length + " bytes announced");
          }
          if (filled == 0 && number > 0) {
            return null;
          }
          int partNumber = ++number;
          if (filled < part.length) { // the last part: its own array, the buffer goes back now
            byte[] body = java.util.Arrays.copyOf(part, filled);
            return uploadId -> uploadPart(key, uploadId, partNumber, AsyncRequestBody.fromBytesUnsafe(body));
          }
          handedOver = true;
          return new Part() {
            @Override
            public CompletedPart upload(String uploadId) {
              return uploadPart(key, uploadId, partNumber, AsyncRequestBody.fromBytesUnsafe(part));
            }

            @Override
            public void stored() {
              buffers.give(part);
            }
          };
        } finally {
          if (!handedOver) {
            buffers.give(part);
          }
        }
      }
    });
  }

  /** Server-side copy of an object too large for CopyObject, in ranges. */
  void copy(String sourceKey, String targetKey, long size) {
    run(targetKey, settings.maxConcurrency(), byRange(size, (uploadId, partNumber, offset, length) -> {
      String range = "bytes=" + offset + "-" + (offset + length - 1);
      var response = errors.await(s3.get().uploadPartCopy(r -> r.sourceBucket(settings.bucket()).sourceKey(sourceKey)
          .destinationBucket(settings.bucket()).destinationKey(targetKey).uploadId(uploadId)
          .partNumber(partNumber).copySourceRange(range)), Operation.WRITE, targetKey);
      return CompletedPart.builder().partNumber(partNumber).eTag(response.copyPartResult().eTag()).build();
    }));
  }

  /** Uploads one byte range of something already stored (a file, an object): one attempt. */
  private interface RangePart {
    CompletedPart upload(String uploadId, int partNumber, long offset, long length);
  }

  /** Parts covering {@code [0, size)} in ranges sized for {@code size}. */
  private Parts byRange(long size, RangePart range) {
    long partSize = settings.partSizeFor(size);
    return new Parts() {
      int number;

      @Override
      public long partSize() {
        return partSize;
      }

      @Override
      public Part next() {
        long offset = number * partSize;
        if (offset >= size) {
          return null;
        }
        int partNumber = ++number;
        long length = Math.min(partSize, size - offset);
        return uploadId -> range.upload(uploadId, partNumber, offset, length);
      }
    };
  }

  private CompletedPart uploadPart(String key, String uploadId, int partNumber, AsyncRequestBody body) {
    var response = errors.await(s3.get().uploadPart(r -> r.bucket(settings.bucket()).key(key)
        .uploadId(uploadId).partNumber(partNumber), body), Operation.WRITE, key);
    return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build();
  }

  private void run(String key, int parallelism, Parts parts) {
    CreateMultipartUploadRequest create = requests.createMultipartUpload(key);
    String uploadId = errors.retried(Operation.WRITE, key, () -> s3.get().createMultipartUpload(create)).uploadId();
    var completed = new ConcurrentSkipListMap<Integer, CompletedPart>();
    var failure = new AtomicReference<RuntimeException>();
    var permits = new Semaphore(parallelism);
    try {
      while (failure.get() == null) {
        // Budget taken before a part is read (a stream part is read into memory by next()); a
        // part bigger than the whole budget (huge objects) takes all of it.
        int kib = (int) Math.min(IN_FLIGHT_KIB, Math.max(1, parts.partSize() >> 10));
        permits.acquire();
        inFlight.acquire(kib);
        Part part = nextOrRelease(parts, kib, permits);
        if (part == null) {
          break;
        }
        io.execute(() -> {
          try {
            CompletedPart done = errors.retry().call(() -> part.upload(uploadId));
            completed.put(done.partNumber(), done);
            // Only after success: after a failure the client may still hold the bytes, and the
            // upload is over anyway.
            part.stored();
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
          } catch (Error e) {
            // Uncaught, the part would just be missing, and completing the upload without it
            // would store an object with a hole under the content's name. The upload is aborted.
            failure.compareAndSet(null, new StorageException(Kind.OTHER, Operation.WRITE, key,
                "a part of " + key + " failed: " + e, e));
          } finally {
            inFlight.release(kib);
            permits.release();
          }
        });
      }
    } catch (IOException e) {
      failure.compareAndSet(null, new UncheckedIOException("cannot read the data for " + key + ": " + e.getMessage(), e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(null, new StorageException(Kind.OTHER, Operation.WRITE, key, "upload of " + key + " interrupted", e));
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
    // Parts still in flight finish (or fail) before the upload is completed or aborted.
    permits.acquireUninterruptibly(parallelism);
    if (failure.get() != null) {
      abort(key, uploadId, failure.get());
      throw failure.get();
    }
    List<CompletedPart> list = List.copyOf(completed.values());
    errors.retried(Operation.WRITE, key, () -> s3.get().completeMultipartUpload(r -> r.bucket(settings.bucket())
        .key(key).uploadId(uploadId).multipartUpload(m -> m.parts(list))));
  }

  // The next part, holding the budget and permit just taken; they are given back when there is
  // no next part or reading it fails.
  private Part nextOrRelease(Parts parts, int kib, Semaphore permits) throws IOException {
    Part part = null;
    try {
      part = parts.next();
      return part;
    } finally {
      if (part == null) {
        inFlight.release(kib);
        permits.release();
      }
    }
  }

  private void abort(String key, String uploadId, RuntimeException cause) {
    try {
      errors.await(s3.get().abortMultipartUpload(r -> r.bucket(settings.bucket()).key(key).uploadId(uploadId)),
          Operation.WRITE, key);
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }
}
