package io.s3lfs.core.internal.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A gzip member (RFC 1952) with the header {@code gzip -n} writes: FLG 0, MTIME 0, XFL 0, OS 3.
 * GZIPOutputStream cannot do this: it writes OS 255 (unknown), which the reference's objects do
 * not have.
 */
final class GzipEncoder extends DeflaterOutputStream {
  static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

  private final CRC32 crc = new CRC32();
  private boolean closed;

  GzipEncoder(OutputStream out, int level, int bufferSize) throws IOException {
    super(out, new Deflater(level, true), bufferSize);
    try {
      out.write(HEADER);
    } catch (IOException | RuntimeException e) {
      def.end();
      throw e;
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    super.write(b, off, len);
    crc.update(b, off, len);
  }

  @Override
  public void finish() throws IOException {
    if (!def.finished()) {
      super.finish();
      writeTrailer();
    }
  }

  private void writeTrailer() throws IOException {
    byte[] trailer = new byte[8];
    putIntLittleEndian(trailer, 0, (int) crc.getValue());
    // ISIZE is the input length modulo 2^32, as RFC 1952 specifies; getBytesRead is a long.
    putIntLittleEndian(trailer, 4, (int) def.getBytesRead());
    out.write(trailer);
  }

  private static void putIntLittleEndian(byte[] b, int at, int value) {
    b[at] = (byte) value;
    b[at + 1] = (byte) (value >>> 8);
    b[at + 2] = (byte) (value >>> 16);
    b[at + 3] = (byte) (value >>> 24);
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    // The Deflater is ours, so DeflaterOutputStream.close would not end it; native memory
    // would wait for a cleaner.
    try (OutputStream target = out) {
      finish();
    } finally {
      def.end();
    }
  }
}
