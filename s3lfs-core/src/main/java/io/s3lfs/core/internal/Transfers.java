package io.s3lfs.core.internal;

import io.s3lfs.api.Digest;
import io.s3lfs.api.StorageException;
import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.spi.Codec;
import io.s3lfs.api.spi.HashAlgorithm;
import io.s3lfs.api.spi.Hasher;
import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.core.S3lfsException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * Moves one file's bytes between the working copy and the store. Uploads stream the file through
 * the codec into the store, with no copy of the whole file anywhere; downloads decode and hash
 * while writing a temp file beside the target and rename it into place only when the hash
 * matches, so a failed download never touches the user's file.
 */
public final class Transfers {
  /**
   * Copy buffer per transfer. Under half a G1 region (1 MiB at the default heap), so it is an
   * ordinary allocation: a 1 MiB buffer per file was a humongous allocation each, and checking
   * out thousands of small files spent its time in GC.
   */
  private static final int BUFFER = 256 << 10;
  /**
   * Largest write(2) of a download. On this project's benchmark VM (Firecracker, kernel 6.18,
   * free page reporting) 1 GiB of downloads spent 2.1-3.3 s of system time copying into the page
   * cache with 256 KiB calls against 0.7-1.9 s with 32 KiB ones, over 14 interleaved runs on
   * 11-30 (on an earlier afternoon the two were even). The likely reason: Linux sizes page-cache
   * folios by the length of the write (large folios, ext4 since 6.x), large folios come from the
   * large free blocks that the VM has handed back to its host, and each first touch of those
   * waits on the host. rclone, like Go's io.Copy, writes 32 KiB. When new pages are cheap the
   * cost is 8 calls instead of 1 per 256 KiB: about 0.1 s of system time per GiB here.
   */
  private static final int SLICE = 32 << 10;
  /**
   * Download copy buffers, reused: a fresh one per file was zeroed and collected again for
   * every 32 KiB file of a checkout (512 MiB allocated for 2,000 files). Holds at most as many
   * as downloads ever ran at once.
   */
  private static final ConcurrentLinkedQueue<byte[]> FREE_BUFFERS = new ConcurrentLinkedQueue<>();

  private Transfers() {}

  /**
   * What a transfer tells its caller and asks of it, between buffers. A lambda is a watch that
   * only hears progress.
   */
  @FunctionalInterface
  public interface Watch {
    /** Told how many payload bytes moved so far. */
    void moved(long bytes);

    /**
     * Asked before each buffer. True stops the transfer with a {@link CancellationException},
     * leaving nothing behind: the store abandons the object (a multipart upload is aborted), a
     * download's temp file is deleted.
     */
    default boolean cancelled() {
      return false;
    }
  }

  /**
   * Stores {@code file} under {@code stem} with {@code codec}, streaming: the file is read once
   * per attempt, encoded on the fly and handed to the store, which buffers at most its own parts.
   * The bytes read are checked on the way, and a file that changed since it was hashed fails
   * before the store completes the object, so nothing is stored under a digest it does not have:
   * against {@code expected}'s CRC-32C when it has one (the bytes that were hashed), else by
   * hashing them again.
   *
   * @param sent told how many payload bytes were read from the file so far, and asked whether to
   *     go on
   * @return the number of bytes stored
   */
  public static long upload(ObjectStore store, Path file, String stem, Codec codec, int level,
      long chunkSize, HashAlgorithm algorithm, Hashed expected, Watch sent) throws IOException {
    String base = stem + codec.suffix();
    if (codec.suffix().isEmpty()) {
      try (Source source = new Source(file, algorithm, expected, sent)) {
        long size = source.size();
        if (size <= chunkSize) {
          return storeOne(store, base, new Counted(source, Long.MAX_VALUE), source, size);
        }
        return storePieces(store, base, source, source, chunkSize);
      }
    }
    int lvl = level < 0 ? codec.defaultLevel() : level;
    // The encoded size decides between one object and pieces (spec 1.3) but is known only at the
    // end. So: one object, abandoned (the store never shows it) if the encoding outgrows
    // chunkSize, then redone as pieces; the codecs are deterministic, so the second encoding
    // gives the same bytes. Only files that encode to more than chunk_size (5 GiB unless
    // configured) pay for the second pass, instead of every file paying for a temp copy.
    try (Source source = new Source(file, algorithm, expected, sent);
        Encoding encoding = new Encoding(source, codec, lvl)) {
      Counted capped = new Counted(encoding, chunkSize);
      try {
        return storeOne(store, base, capped, source, -1);
      } catch (IOException | RuntimeException e) {
        if (!capped.overflowed) {
          throw e;
        }
      }
    }
    try (Source source = new Source(file, algorithm, expected, sent);
        Encoding encoding = new Encoding(source, codec, lvl)) {
      return storePieces(store, base, encoding, source, chunkSize);
    }
  }

  /**
   * Stores a file of at most {@link Sampling#SAMPLE} bytes under {@code compression: auto}. The
   * reference decides by deflating the first 256 KiB at level 1 (spec 3.3); for a file that small
   * the sample is the whole file, so the file is encoded once, in memory, and the encoding kept
   * when it pays by the same rule (with gzip at level 1, the very same test), instead of being
   * read and deflated once to decide and again to store. (Sampling was a tenth of the CPU of
   * tracking 2,000 small files; what this saves is the second pass over the compressible ones.)
   *
   * @return the number of bytes stored
   */
  public static long uploadSmall(ObjectStore store, Path file, String stem, Codec codec, int level,
      long chunkSize, HashAlgorithm algorithm, Hashed expected, Watch sent) throws IOException {
    byte[] raw = Files.readAllBytes(file);
    var check = new SameBytes(algorithm, expected);
    check.update(raw, 0, raw.length);
    if (!check.passes()) {
      throw changed(file, null);
    }
    sent.moved(raw.length);
    byte[] bytes = raw;
    String base = stem;
    if (raw.length > 0 && !codec.suffix().isEmpty()) {
      var encoded = new ByteArrayOutputStream(raw.length / 2 + 64);
      try (OutputStream out = codec.encode(encoded, level < 0 ? codec.defaultLevel() : level)) {
        out.write(raw);
      }
      if (Sampling.pays(encoded.size(), raw.length)) {
        bytes = encoded.toByteArray();
        base = stem + codec.suffix();
      }
    }
    var data = new Counted(new ByteArrayInputStream(bytes), Long.MAX_VALUE);
    return bytes.length <= chunkSize
        ? storeOne(store, base, data, Check.NONE, bytes.length)
        : storePieces(store, base, data, Check.NONE, chunkSize);
  }

  /** What a stream of the file's bytes learnt about the file once the store has read it. */
  private interface Check {
    /** Nothing to learn: the bytes were verified before they were handed over. */
    Check NONE = new Check() {
      @Override
      public void finished() {}

      @Override
      public RuntimeException explain(RuntimeException e) {
        return e;
      }
    };

    /** Verifies the digest if the store stopped reading exactly at the end. */
    void finished() throws IOException;

    /** @return the store's failure, or the real reason when the file changed under it */
    RuntimeException explain(RuntimeException e);
  }

  /**
   * Whether bytes read again are the bytes that were hashed: by their CRC-32C when the hashing
   * pass took one (an accidental change goes unnoticed with odds of 1 in 2^32, and never when
   * it is a burst of 32 bits or fewer), else by their digest.
   */
  private static final class SameBytes {
    private final Hashed expected;
    private final CRC32C crc;
    private final Hasher hasher;

    SameBytes(HashAlgorithm algorithm, Hashed expected) {
      this.expected = expected;
      this.crc = expected.hasCrc() ? new CRC32C() : null;
      this.hasher = expected.hasCrc() ? null : algorithm.newHasher();
    }

    void update(byte[] b, int off, int len) {
      if (crc != null) {
        crc.update(b, off, len);
      } else {
        hasher.update(ByteBuffer.wrap(b, off, len));
      }
    }

    /** Ends the check. */
    boolean passes() {
      return crc != null ? crc.getValue() == expected.crc32c() : hasher.finish().hex().equals(expected.hex());
    }
  }

  private static S3lfsException changed(Path file, Throwable cause) {
    var e = new S3lfsException(S3lfsException.Kind.INTEGRITY, file + " changed while it was being"
        + " stored, so it was not stored or recorded; run 's3lfs track' again when it is complete");
    if (cause != null) {
      e.addSuppressed(cause);
    }
    return e;
  }

  private static long storeOne(ObjectStore store, String key, Counted counted, Check source, long length)
      throws IOException {
    try {
      store.put(key, counted, length);
    } catch (RuntimeException e) {
      throw source.explain(e);
    }
    source.finished();
    return counted.count;
  }

  // Pieces of chunkSize - 1 bytes, the last holding the rest: the reference's rule (spec 1.3),
  // so either tool reads the other's chunked objects. A failure removes the pieces stored so far.
  private static long storePieces(ObjectStore store, String base, InputStream data, Check source, long chunkSize)
      throws IOException {
    PushbackInputStream in = new PushbackInputStream(data, 1);
    List<String> stored = new ArrayList<>();
    long total = 0;
    try {
      do {
        String key = base + ".chunk" + stored.size();
        Counted piece = new Counted(new LimitedInputStream(in, chunkSize - 1), Long.MAX_VALUE);
        store.put(key, piece, -1);
        stored.add(key);
        total += piece.count;
      } while (more(in));
      source.finished();
      return total;
    } catch (RuntimeException e) {
      RuntimeException reported = source.explain(e);
      forget(store, stored, reported);
      throw reported;
    } catch (IOException e) {
      forget(store, stored, e);
      throw e;
    }
  }

  private static void forget(ObjectStore store, List<String> keys, Exception failure) {
    try {
      store.delete(keys).values().forEach(failure::addSuppressed);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static boolean more(PushbackInputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      return false;
    }
    in.unread(b);
    return true;
  }

  /** Copies every piece of a stored file to another stem, inside the store. */
  public static void copy(ObjectStore store, StoredObjects.Stored stored, String fromStem, String toStem) {
    for (ObjectInfo piece : stored.pieces()) {
      store.copy(piece.key(), toStem + piece.key().substring(fromStem.length()));
    }
  }

  /**
   * Attempts at one download when the store's body breaks off with a retryable failure (a
   * connection lost mid-object): stores retry their requests, but not a body already being read.
   */
  static final int DOWNLOAD_ATTEMPTS = 3;

  /**
   * Fetches a stored file into {@code target}, verifying its digest before it replaces anything.
   * A download that fails {@linkplain StorageException.Kind#retryable() retryably} is started
   * again, up to {@link #DOWNLOAD_ATTEMPTS} times in all.
   *
   * @param received told how many decoded bytes were written so far (from 0 again when an
   *     attempt starts over), and asked whether to go on
   * @return the digest of the bytes received; the target was replaced only if it equals
   *     {@code expected}
   */
  public static Digest download(ObjectStore store, StoredObjects.Stored stored, Path target,
      HashAlgorithm algorithm, String expected, Watch received) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return downloadOnce(store, stored, target, algorithm, expected, received);
      } catch (StorageException e) {
        if (!e.kind().retryable() || attempt >= DOWNLOAD_ATTEMPTS || received.cancelled()) {
          throw e;
        }
      }
    }
  }

  private static Digest downloadOnce(ObjectStore store, StoredObjects.Stored stored, Path target,
      HashAlgorithm algorithm, String expected, Watch received) throws IOException {
    // A stat, not mkdir: createDirectories on an existing directory fails mkdir and builds an
    // exception for every file of a checkout.
    if (!Files.isDirectory(target.getParent())) {
      try {
        Files.createDirectories(target.getParent());
      } catch (FileAlreadyExistsException e) { // the JDK's message is the path alone
        throw new IOException("a file is where its directory " + e.getFile()
            + " goes; move or remove it, then check out again", e);
      }
    }
    // Unique, not secret: CREATE_NEW (O_EXCL) neither follows a planted symbolic link nor replaces
    // anything. UUID.randomUUID read SecureRandom under a lock, 1% of a small-file checkout's CPU.
    Path part = target.resolveSibling("." + target.getFileName() + ".s3lfs-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
    boolean moved = false;
    byte[] taken = FREE_BUFFERS.poll();
    byte[] buf = taken != null ? taken : new byte[BUFFER];
    try {
      Hasher hasher = algorithm.newHasher();
      try (InputStream in = stored.codec().decode(new PiecesInputStream(store, stored.pieces()));
          FileChannel out = inDirectoryTurn(target,
              () -> FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
        long total = 0;
        int n;
        while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
          if (received.cancelled()) {
            throw new CancellationException("download of " + target + " was cancelled");
          }
          hasher.update(ByteBuffer.wrap(buf, 0, n));
          for (int off = 0; off < n; ) { // in slices: see SLICE
            ByteBuffer bb = ByteBuffer.wrap(buf, off, Math.min(SLICE, n - off));
            off += bb.remaining();
            while (bb.hasRemaining()) {
              out.write(bb);
            }
          }
          total += n;
          received.moved(total);
        }
      }
      Digest got = hasher.finish();
      if (got.hex().equals(expected)) {
        try {
          inDirectoryTurn(target, () -> {
            try {
              return Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
              return Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
          });
        } catch (FileSystemException e) {
          // The kernel's words name our temporary file ("... .part -> target: Is a directory");
          // the user needs the target and what to do.
          if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("a directory is where the file goes; move or remove it, then check out again", e);
          }
          throw new IOException("cannot write " + target + ": " + (e.getReason() != null ? e.getReason() : e), e);
        }
        moved = true;
      }
      return got;
    } finally {
      FREE_BUFFERS.offer(buf);
      if (!moved) {
        Files.deleteIfExists(part);
      }
    }
  }

  /**
   * Creating and renaming files in one directory: the kernel takes the directory's lock for both
   * (every file system: the VFS does), and a thread that finds it taken spins on it while the
   * holder runs. Taking turns here instead parks the virtual thread and leaves its carrier to
   * other work: a checkout of 2,000 small files into one directory spent 0.17 s of CPU spinning
   * there (async-profiler, rwsem_spin_on_owner). Striped by directory, so files of different
   * directories seldom wait on each other.
   */
  private static final ReentrantLock[] DIRECTORY_TURNS = new ReentrantLock[64];

  static {
    Arrays.setAll(DIRECTORY_TURNS, i -> new ReentrantLock());
  }

  /** A file-system call that may throw IOException. */
  private interface FileCall<T> {
    T call() throws IOException;
  }

  /** Runs {@code call}, which creates or renames {@code file}, in its directory's turn. */
  private static <T> T inDirectoryTurn(Path file, FileCall<T> call) throws IOException {
    ReentrantLock turn = DIRECTORY_TURNS[Math.floorMod(file.getParent().hashCode(), DIRECTORY_TURNS.length)];
    turn.lock();
    try {
      return call.call();
    } finally {
      turn.unlock();
    }
  }

  /**
   * The most an upload reads from its file per call: the default part. A file channel reads into
   * a heap array through a temporary direct buffer of the request's size, which the JDK then
   * keeps for the carrier thread: a store that filled a 128 MiB part with one read
   * (s3.partSize=134217728) left 2 x 128 MiB of such buffers, peak RSS 634 MiB for `track` of
   * 8 x 128 MiB. Reads of 1 MiB did as well there, but made 8 calls of each default part's one.
   */
  static final int MAX_FILE_READ = 8 << 20;

  /**
   * The file's bytes as they are read: hashed, counted and reported, and checked against the
   * digest recorded for them when the file ends, before the store completes anything.
   */
  private static final class Source extends InputStream implements Check {
    private final Path file;
    private final InputStream in;
    private final long size;
    private final SameBytes check;
    private final Watch sent;
    private long read;
    private boolean ended;
    private boolean changed;

    Source(Path file, HashAlgorithm algorithm, Hashed expected, Watch sent) throws IOException {
      this.file = file;
      this.in = Files.newInputStream(file);
      this.size = Files.size(file);
      this.check = new SameBytes(algorithm, expected);
      this.sent = sent;
    }

    long size() {
      return size;
    }

    @Override
    public int read() throws IOException {
      return readOne(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (ended) {
        return -1;
      }
      if (sent.cancelled()) {
        throw new CancellationException("upload of " + file + " was cancelled");
      }
      int n = in.read(b, off, Math.min(len, MAX_FILE_READ));
      if (n < 0) {
        ended = true;
        if (!check.passes()) {
          changed = true;
          throw changed(file, null);
        }
        return -1;
      }
      check.update(b, off, n);
      read += n;
      sent.moved(read);
      return n;
    }

    @Override
    public void finished() throws IOException {
      if (read() >= 0) {
        changed = true;
        throw changed(file, null);
      }
    }

    @Override
    public RuntimeException explain(RuntimeException e) {
      boolean resized;
      try {
        resized = Files.size(file) != size;
      } catch (IOException gone) {
        resized = true;
      }
      return changed || resized ? changed(file, e) : e;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Pulls encoded bytes: reads the source and pushes it through the codec as they are needed. */
  private static final class Encoding extends InputStream {
    private final InputStream source;
    private final Sink sink = new Sink();
    private final OutputStream encoder;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private boolean finished;

    Encoding(InputStream source, Codec codec, int level) throws IOException {
      this.source = source;
      this.encoder = codec.encode(sink, level);
    }

    @Override
    public int read() throws IOException {
      return readOne(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (position == sink.size()) {
        if (finished) {
          return -1;
        }
        sink.reset();
        position = 0;
        int n = source.read(buffer);
        if (n < 0) {
          finished = true;
          encoder.close();
        } else {
          encoder.write(buffer, 0, n);
        }
      }
      int k = Math.min(len, sink.size() - position);
      System.arraycopy(sink.bytes(), position, b, off, k);
      position += k;
      return k;
    }

    /** Ends the encoder (and its native memory) when an attempt is abandoned. */
    @Override
    public void close() throws IOException {
      if (!finished) {
        finished = true;
        encoder.close();
      }
    }
  }

  /** The encoder's output, read back without copying it out first. */
  private static final class Sink extends ByteArrayOutputStream {
    byte[] bytes() {
      return buf;
    }
  }

  /** Counts the bytes read, failing (and saying so) once they pass {@code cap}. */
  private static final class Counted extends FilterInputStream {
    private final long cap;
    long count;
    boolean overflowed;

    Counted(InputStream in, long cap) {
      super(in);
      this.cap = cap;
    }

    @Override
    public int read() throws IOException {
      return readOne(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
        if (count > cap) {
          overflowed = true;
          throw new IOException("the encoded form is larger than the chunk size, " + cap + " bytes");
        }
      }
      return n;
    }

    @Override
    public long skip(long n) {
      return 0; // every byte passes through read, so it is counted
    }
  }

  /** {@code InputStream.read()} through {@code read(byte[], int, int)}, which does the work. */
  private static int readOne(InputStream in) throws IOException {
    byte[] one = new byte[1];
    return in.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  /** Reads the pieces of a chunked object one after another, opening each only when needed. */
  private static final class PiecesInputStream extends InputStream {
    private final ObjectStore store;
    private final Iterator<ObjectInfo> pieces;
    private InputStream current = InputStream.nullInputStream();

    PiecesInputStream(ObjectStore store, List<ObjectInfo> pieces) {
      this.store = store;
      this.pieces = pieces.iterator();
    }

    @Override
    public int read() throws IOException {
      return readOne(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (true) {
        int n = current.read(b, off, len);
        if (n >= 0 || !pieces.hasNext()) {
          return n;
        }
        current.close();
        current = store.get(pieces.next().key());
      }
    }

    @Override
    public void close() throws IOException {
      current.close();
    }
  }
}
