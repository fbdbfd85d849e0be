package io.s3lfs.core.internal.codec;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The only class that touches zstd-jni. Loaded on first encode or decode, after
 * {@link ZstdCodec#isAvailable()} said the library is there.
 */
final class ZstdStreams {
  private ZstdStreams() {}

  static OutputStream encode(OutputStream out, int level) throws IOException {
    // The NoFinalizer variants free native memory on close, not on a finalizer thread.
    var zstd = new ZstdOutputStreamNoFinalizer(out, level);
    try {
      zstd.setChecksum(true);
    } catch (IOException | RuntimeException e) {
      zstd.close();
      throw e;
    }
    return zstd;
  }

  static InputStream decode(InputStream in) throws IOException {
    return new ZstdInputStreamNoFinalizer(in);
  }
}
