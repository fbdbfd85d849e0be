package io.s3lfs.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Ends the process with libc's {@code _exit} once the command is done, instead of the JVM's exit.
 *
 * <p>HotSpot's exit waits for threads running native code to stop: at least 300 ms while the
 * AWS CRT's event-loop threads sit in {@code epoll_wait}, and up to 10 s while a JIT compiler
 * thread finishes a compilation. Every S3 command paid 0.3 to 1.3 s after its last line (a
 * one-file checkout from S3Proxy: 1.76 s ± 0.50 with {@code System.exit}, 0.78 s ± 0.03 with
 * this; {@code hyperfine}, 2-core EPYC). It is safe here because it runs after all work:
 * the manifest is on disk (fsync, rename), output streams are flushed, temp files are removed,
 * and the kernel releases the lock file and sockets. Falls back to {@code System.exit} where
 * native access is refused, and when {@code -Ds3lfs.jvmExit} is set (for tools that act at JVM
 * exit, such as {@code -XX:AOTCacheOutput} or a flight recording).
 */
final class FastExit {
  private static final MethodHandle EXIT = lookup();

  private FastExit() {}

  private static MethodHandle lookup() {
    if (System.getProperty("s3lfs.jvmExit") != null) {
      return null;
    }
    try {
      Linker linker = Linker.nativeLinker();
      // Described as returning an int (it never returns): the shape of close(2), which the
      // commands that stat every cached file (status, checkout --all, track --modified) have
      // linked by then, so the JDK reuses that downcall stub instead of spinning another (about
      // ten method-handle classes) on their way out.
      return linker.defaultLookup().find("_exit")
          .map(f -> linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)))
          .orElse(null);
    } catch (RuntimeException | LinkageError e) {
      return null; // no native access here: the JVM's exit it is
    }
  }

  /** Links {@code _exit} now (the AOT training run calls this so the cache holds the linkage). */
  static void prepare() {
    // loading the class ran lookup()
  }

  /** Ends the process with {@code status}; never returns. */
  static void exit(int status) {
    if (EXIT != null) {
      try {
        int ignored = (int) EXIT.invokeExact(status);
      } catch (Throwable e) {
        // fall back below
      }
    }
    System.exit(status);
  }
}
