package io.s3lfs.core.internal.codec;

import io.s3lfs.api.spi.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Zstandard ({@code zstd}, suffix {@code .zst}, default level 3) through zstd-jni, which is an
 * optional dependency: without it (or without its native library) {@link #isAvailable()} is
 * false and the lookup leaves this codec out. Frames carry a content checksum so corruption is
 * an error, not wrong bytes. Public only because {@link java.util.ServiceLoader} instantiates it.
 */
public final class ZstdCodec extends Codec {
  static final int MIN_LEVEL = 1;
  static final int MAX_LEVEL = 22;

  /** Called by {@link java.util.ServiceLoader}. */
  public ZstdCodec() {
    super("zstd");
  }

  @Override
  public String suffix() {
    return ".zst";
  }

  @Override
  public int defaultLevel() {
    return 3;
  }

  @Override
  public boolean isAvailable() {
    return Probe.AVAILABLE;
  }

  @Override
  public OutputStream encode(OutputStream out, int level) throws IOException {
    checkAvailable();
    return ZstdStreams.encode(out, Levels.check(name(), level, MIN_LEVEL, MAX_LEVEL));
  }

  @Override
  public InputStream decode(InputStream in) throws IOException {
    checkAvailable();
    return ZstdStreams.decode(in);
  }

  private static void checkAvailable() {
    if (!Probe.AVAILABLE) {
      throw new IllegalStateException(
          "zstd needs zstd-jni (com.github.luben:zstd-jni) on the class or module path");
    }
  }

  // Names only, no zstd types: this class must load and answer isAvailable() without zstd-jni.
  private static final class Probe {
    static final boolean AVAILABLE = probe();

    private static boolean probe() {
      try {
        // Initializing Zstd loads the native library, so a jar for the wrong platform shows
        // here as a LinkageError instead of at the first encode.
        Class.forName("com.github.luben.zstd.Zstd", true, ZstdCodec.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        System.getLogger(ZstdCodec.class.getName()).log(System.Logger.Level.DEBUG,
            "zstd codec unavailable: {0}", e.toString());
        return false;
      }
    }
  }
}
