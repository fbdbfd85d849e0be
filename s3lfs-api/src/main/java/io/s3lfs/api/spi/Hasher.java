package io.s3lfs.api.spi;

import io.s3lfs.api.Digest;
import java.nio.ByteBuffer;

/**
 * A streaming digest computation. Not thread-safe; one per file.
 */
public interface Hasher {
  /** Feeds all remaining bytes of {@code data}, advancing its position to its limit. */
  void update(ByteBuffer data);

  /** Feeds {@code length} bytes of {@code data} from {@code offset}. */
  default void update(byte[] data, int offset, int length) {
    update(ByteBuffer.wrap(data, offset, length));
  }

  /** Completes the computation. The hasher must not be used afterwards. */
  Digest finish();
}
