package io.s3lfs.core.internal;

import io.s3lfs.api.Digest;
import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.spi.Codec;
import io.s3lfs.api.spi.HashAlgorithm;
import io.s3lfs.api.spi.Hasher;
import io.s3lfs.api.spi.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Moves one file's bytes between the working copy and the store. Uploads encode into a temp file
 * (its size decides chunking, spec 1.3) unless the file is stored raw; downloads decode and hash
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
  /** Files up to this size are encoded in memory; with 8 workers that bounds it to 32 MiB. */
  static final long IN_MEMORY = 4L << 20;

  private Transfers() {}

  /**
   * Stores {@code file} under {@code stem} with {@code codec}.
   *
   * @param sent told how many payload bytes were read from the file so far
   * @return the number of bytes stored
   */
  public static long upload(ObjectStore store, Path file, String stem, Codec codec, int level,
      long chunkSize, Path tempDir, LongConsumer sent) throws IOException {
    if (codec.suffix().isEmpty()) {
      long size = Files.size(file);
      putPieces(store, file, stem, size, chunkSize);
      sent.accept(size);
      return size;
    }
    long size = Files.size(file);
    int lvl = level < 0 ? codec.defaultLevel() : level;
    if (size <= IN_MEMORY) {
      // Small files are encoded in memory: no temp file to create, write and delete per file.
      var buffer = new java.io.ByteArrayOutputStream((int) Math.max(64, size / 2));
      try (OutputStream out = codec.encode(buffer, lvl)) {
        Files.copy(file, out);
      }
      sent.accept(size);
      byte[] bytes = buffer.toByteArray();
      String base = stem + codec.suffix();
      if (bytes.length <= chunkSize) {
        store.put(base, new java.io.ByteArrayInputStream(bytes), bytes.length);
      } else {
        putPieces(store, base, bytes.length, chunkSize,
            (off, len) -> new java.io.ByteArrayInputStream(bytes, (int) off, (int) len));
      }
      return bytes.length;
    }
    Path encoded = tempDir.resolve(UUID.randomUUID() + codec.suffix());
    try {
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = codec.encode(Files.newOutputStream(encoded), lvl)) {
        byte[] buf = new byte[BUFFER];
        int n;
        long total = 0;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
          total += n;
          sent.accept(total);
        }
      }
      long stored = Files.size(encoded);
      putPieces(store, encoded, stem + codec.suffix(), stored, chunkSize);
      return stored;
    } finally {
      Files.deleteIfExists(encoded);
    }
  }

  // One object when it fits (put from the file, so the store can stream or split it itself),
  // else pieces as putPieces below.
  private static void putPieces(ObjectStore store, Path source, String base, long size, long chunkSize)
      throws IOException {
    if (size <= chunkSize) {
      store.put(base, source);
      return;
    }
    putPieces(store, base, size, chunkSize, (off, len) -> {
      FileChannel ch = FileChannel.open(source, StandardOpenOption.READ);
      ch.position(off);
      return new LimitedInputStream(Channels.newInputStream(ch), len); // closing it closes ch
    });
  }

  /** Opens {@code length} bytes of the stored form starting at {@code offset}. */
  private interface Range {
    InputStream open(long offset, long length) throws IOException;
  }

  // Pieces of chunkSize - 1 bytes, the last holding the rest: the reference's rule (spec 1.3),
  // so either tool reads the other's chunked objects.
  private static void putPieces(ObjectStore store, String base, long size, long chunkSize, Range range)
      throws IOException {
    long piece = chunkSize - 1;
    int index = 0;
    for (long off = 0; off < size; off += piece, index++) {
      long len = Math.min(piece, size - off);
      try (InputStream in = range.open(off, len)) {
        store.put(base + ".chunk" + index, in, len);
      }
    }
  }

  /** Copies every piece of a stored file to another stem, inside the store. */
  public static void copy(ObjectStore store, StoredObjects.Stored stored, String fromStem, String toStem) {
    for (ObjectInfo piece : stored.pieces()) {
      store.copy(piece.key(), toStem + piece.key().substring(fromStem.length()));
    }
  }

  /**
   * Fetches a stored file into {@code target}, verifying its digest before it replaces anything.
   *
   * @param received told how many decoded bytes were written so far
   * @return the digest of the bytes received; the target was replaced only if it equals
   *     {@code expected}
   */
  public static Digest download(ObjectStore store, StoredObjects.Stored stored, Path target,
      HashAlgorithm algorithm, String expected, LongConsumer received) throws IOException {
    Files.createDirectories(target.getParent());
    Path part = target.resolveSibling("." + target.getFileName() + ".s3lfs-" + UUID.randomUUID() + ".part");
    try {
      Hasher hasher = algorithm.newHasher();
      try (InputStream in = stored.codec().decode(new PiecesInputStream(store, stored.pieces()));
          FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buf = new byte[BUFFER];
        long total = 0;
        int n;
        while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
          hasher.update(ByteBuffer.wrap(buf, 0, n));
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            out.write(bb);
          }
          total += n;
          received.accept(total);
        }
      }
      Digest got = hasher.finish();
      if (got.hex().equals(expected)) {
        try {
          Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return got;
    } finally {
      Files.deleteIfExists(part);
    }
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
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
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
