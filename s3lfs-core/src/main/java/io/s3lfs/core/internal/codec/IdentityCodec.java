package io.s3lfs.core.internal.codec;

import io.s3lfs.api.spi.Codec;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * No compression ({@code identity}, no suffix, level 0): the raw objects of the reference's
 * {@code compression: never} and of incompressible files under {@code auto}. The level is
 * ignored. Public only because {@link java.util.ServiceLoader} instantiates it.
 */
public final class IdentityCodec extends Codec {
  /** Called by {@link java.util.ServiceLoader}. */
  public IdentityCodec() {
    super("identity");
  }

  @Override
  public String suffix() {
    return "";
  }

  @Override
  public int defaultLevel() {
    return 0;
  }

  @Override
  public OutputStream encode(OutputStream out, int level) {
    // FilterOutputStream alone writes arrays one byte at a time; pass them through whole.
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }
    };
  }

  @Override
  public InputStream decode(InputStream in) {
    return in;
  }
}
