package io.s3lfs.core.internal.hash;

import io.s3lfs.api.Digest;
import io.s3lfs.api.spi.Hasher;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * SHA-256 and MD5 from the system's OpenSSL {@code libcrypto}, called through the FFM API.
 *
 * <p>Why: OpenSSL's SHA-256 uses the CPU's SHA extensions and runs at the machine's limit
 * ({@code openssl speed -evp sha256}); the JDK's reaches about 90% of it, and only in C2-compiled
 * code: under C1 alone (which the launcher uses, since a CLI run is too short to repay C2) it
 * falls to a tenth. Mapped windows are hashed in place, without the JDK's copy into a heap array.
 *
 * <p>Used when {@code libcrypto.so.3} (OpenSSL 3, every current Linux distribution) loads and
 * {@code -Ds3lfs.openssl=false} is not set; otherwise {@link MessageDigestAlgorithm} falls back to
 * the JDK's provider, with the same digests. Not tried on macOS, whose system libcrypto aborts a
 * process that loads it directly.
 */
final class OpenSsl {
  /** Bytes per native call: a critical call holds off garbage collection while it runs. */
  private static final int CALL_BYTES = 4 << 20;
  private static final Cleaner CLEANER = Cleaner.create();
  private static final Optional<OpenSsl> INSTANCE = load();

  private final MethodHandle newContext;
  private final MethodHandle freeContext;
  private final MethodHandle init;
  private final MethodHandle update;
  private final MethodHandle finalEx;
  private final MemorySegment sha256;
  private final MemorySegment md5;
  private final String version;

  private OpenSsl(SymbolLookup crypto) throws Throwable {
    Linker linker = Linker.nativeLinker();
    var address = ValueLayout.ADDRESS;
    newContext = linker.downcallHandle(find(crypto, "EVP_MD_CTX_new"), FunctionDescriptor.of(address));
    freeContext = linker.downcallHandle(find(crypto, "EVP_MD_CTX_free"), FunctionDescriptor.ofVoid(address));
    init = linker.downcallHandle(find(crypto, "EVP_DigestInit_ex"),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, address, address, address));
    // critical(true): heap arrays are passed in place, with no copy to native memory.
    update = linker.downcallHandle(find(crypto, "EVP_DigestUpdate"),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, address, address, ValueLayout.JAVA_LONG),
        Linker.Option.critical(true));
    finalEx = linker.downcallHandle(find(crypto, "EVP_DigestFinal_ex"),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, address, address, address));
    MethodHandle evpSha256 = linker.downcallHandle(find(crypto, "EVP_sha256"), FunctionDescriptor.of(address));
    MethodHandle evpMd5 = linker.downcallHandle(find(crypto, "EVP_md5"), FunctionDescriptor.of(address));
    sha256 = (MemorySegment) evpSha256.invokeExact();
    md5 = (MemorySegment) evpMd5.invokeExact();
    MethodHandle versionOf = linker.downcallHandle(find(crypto, "OpenSSL_version"),
        FunctionDescriptor.of(address, ValueLayout.JAVA_INT));
    MemorySegment text = (MemorySegment) versionOf.invokeExact(0); // OPENSSL_VERSION: "OpenSSL 3.0.15 3 Sep 2024"
    version = text.reinterpret(256).getString(0);
  }

  /** @return OpenSSL's own version text */
  String version() {
    return version;
  }

  private static MemorySegment find(SymbolLookup lookup, String name) {
    return lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libcrypto lacks " + name));
  }

  /** @return the binding, or empty when libcrypto cannot be used here */
  static Optional<OpenSsl> get() {
    return INSTANCE;
  }

  private static Optional<OpenSsl> load() {
    if (!Boolean.parseBoolean(System.getProperty("s3lfs.openssl", "true"))
        || !System.getProperty("os.name", "").startsWith("Linux")) {
      return Optional.empty();
    }
    try {
      OpenSsl ssl = new OpenSsl(SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global()));
      ssl.newHasher("sha256").finish(); // proves every call works before relying on it
      return Optional.of(ssl);
    } catch (Throwable e) { // no library, an odd build, native access refused: the JDK's will do
      log().log(System.Logger.Level.DEBUG, "OpenSSL libcrypto not used, hashing with the JDK: {0}", e.toString());
      return Optional.empty();
    }
  }

  /** @param name "sha256" or "md5", the algorithm's name in digests */
  Hasher newHasher(String name) {
    MemorySegment md = switch (name) {
      case "sha256" -> sha256;
      case "md5" -> md5;
      default -> throw new IllegalArgumentException("no OpenSSL digest " + name);
    };
    MemorySegment context;
    try {
      context = (MemorySegment) newContext.invokeExact();
      if (context.equals(MemorySegment.NULL)) {
        throw new OutOfMemoryError("EVP_MD_CTX_new failed");
      }
      check((int) init.invokeExact(context, md, MemorySegment.NULL), "EVP_DigestInit_ex");
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
    return new EvpHasher(name, "md5".equals(name) ? 16 : 32, context);
  }

  private static void check(int result, String call) {
    if (result != 1) {
      throw new IllegalStateException("OpenSSL " + call + " failed");
    }
  }

  /** Frees a context once, from finish() or, for an abandoned hasher, from the cleaner. */
  private record Free(MethodHandle freeContext, MemorySegment context) implements Runnable {
    @Override
    public void run() {
      try {
        freeContext.invokeExact(context);
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final class EvpHasher implements Hasher {
    private final String name;
    private final int length;
    private final MemorySegment context;
    private final Cleaner.Cleanable free;
    private boolean finished;

    EvpHasher(String name, int length, MemorySegment context) {
      this.name = name;
      this.length = length;
      this.context = context;
      this.free = CLEANER.register(this, new Free(freeContext, context));
    }

    @Override
    public void update(ByteBuffer data) {
      checkNotFinished();
      MemorySegment bytes = MemorySegment.ofBuffer(data);
      for (long offset = 0; offset < bytes.byteSize(); offset += CALL_BYTES) {
        long n = Math.min(CALL_BYTES, bytes.byteSize() - offset);
        try {
          check((int) update.invokeExact(context, bytes.asSlice(offset, n), n), "EVP_DigestUpdate");
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Throwable e) {
          throw new IllegalStateException(e);
        }
      }
      data.position(data.limit());
    }

    @Override
    public Digest finish() {
      checkNotFinished();
      finished = true;
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment out = arena.allocate(64);
        check((int) finalEx.invokeExact(context, out, MemorySegment.NULL), "EVP_DigestFinal_ex");
        return Digest.of(name, out.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      } finally {
        free.clean();
      }
    }

    private void checkNotFinished() {
      if (finished) {
        throw new IllegalStateException(name + " hasher used after finish()");
      }
    }
  }

  // On use, not in a static field: the first getLogger starts the JDK's logging, ~25 ms of start-up.
  private static System.Logger log() {
    return System.getLogger(OpenSsl.class.getName());
  }
}
