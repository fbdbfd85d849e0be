package io.s3lfs.core.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What identifies one version of a file, cheaply: size, modification time, device and inode, as
 * {@code stat(2)} reports them (symbolic links followed).
 *
 * <p>Why not {@link Files#readAttributes}: {@code status} over 200,000 files spent more time in
 * the JDK's attribute objects, path objects and the file key's text form than in the kernel. On
 * Linux this calls {@code statx(2)} through the FFM API into per-thread native buffers ({@code
 * struct statx} has one layout on every architecture), with no object but the result. Elsewhere,
 * when the call fails (the JDK then reports why, for example a missing file), or with {@code
 * -Ds3lfs.nativeStat=false}, the JDK answers with the same values.
 *
 * @param size the size in bytes
 * @param mtimeNanos the modification time in nanoseconds since the epoch
 * @param device the device number ({@code st_dev}), 0 where the platform has none
 * @param inode the inode number ({@code st_ino}), 0 where the platform has none
 */
record FileStat(long size, long mtimeNanos, long device, long inode) {
  private static final MethodHandle STATX = bind();
  private static final int AT_FDCWD = -100;
  private static final int STATX_MTIME = 0x40;
  private static final int STATX_INO = 0x100;
  private static final int STATX_SIZE = 0x200;
  private static final int WANTED = STATX_MTIME | STATX_INO | STATX_SIZE;
  private static final int STATX_BYTES = 256;
  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  /**
   * @param file the file
   * @return its stat
   * @throws java.nio.file.NoSuchFileException when it does not exist
   * @throws IOException when it cannot be examined
   */
  static FileStat of(Path file) throws IOException {
    if (STATX != null) {
      FileStat s = statx(file);
      if (s != null) {
        return s;
      }
    }
    return jdk(file);
  }

  // Written out: a record's generated equals goes through method handles, which without C2 (the
  // launcher runs C1 only) took 5% of the CPU of status over 200,000 files.
  @Override
  public boolean equals(Object o) {
    return o instanceof FileStat s && size == s.size && mtimeNanos == s.mtimeNanos && device == s.device
        && inode == s.inode;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(size) * 31 * 31 * 31 + Long.hashCode(mtimeNanos) * 31 * 31 + Long.hashCode(device) * 31
        + Long.hashCode(inode);
  }

  /** @return whether stat calls go to the C library directly (for reports and tests) */
  static boolean nativeCalls() {
    return STATX != null;
  }

  /** The JDK's answer, with the same values as {@code statx}'s. Package-private for tests. */
  static FileStat jdk(Path file) throws IOException {
    try {
      Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,dev,ino");
      return new FileStat((Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
          (Long) a.get("dev"), (Long) a.get("ino"));
    } catch (UnsupportedOperationException | IllegalArgumentException e) { // no "unix" view here
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      Object key = a.fileKey();
      return new FileStat(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), 0,
          key == null ? 0 : key.hashCode());
    }
  }

  /**
   * Opens a directory for {@link #at}: stat calls relative to it walk only the name's own path
   * components, not the directory's again for every file.
   *
   * @return a file descriptor for {@link #close}, or -1 when native calls are off or the open failed
   */
  static int openDirectory(Path dir) {
    if (STATX == null || Dirs.OPEN == null) {
      return -1;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment path = arena.allocateFrom(dir.toString()); // UTF-8, NUL-terminated
      return (int) Dirs.OPEN.invokeExact(path, Dirs.O_RDONLY_CLOEXEC, 0);
    } catch (Throwable e) {
      return -1;
    }
  }

  /** Closes what {@link #openDirectory} opened. */
  static void close(int fd) {
    try {
      int ignored = (int) Dirs.CLOSE.invokeExact(fd);
    } catch (Throwable e) {
      // nothing to do: a descriptor that cannot be closed goes with the process
    }
  }

  /**
   * The stat of {@code name} (UTF-8 bytes) relative to the directory {@code dirFd} (an absolute
   * name as it is), with no string or path made.
   *
   * @return the stat, or null when native calls are off or the call failed (a missing file, say)
   */
  static FileStat at(int dirFd, byte[] name, int from, int length) {
    if (STATX == null) {
      return null;
    }
    Buffers b = BUFFERS.get();
    MemorySegment path = b.path(length + 1);
    MemorySegment.copy(name, from, path, ValueLayout.JAVA_BYTE, 0, length);
    path.set(ValueLayout.JAVA_BYTE, length, (byte) 0);
    return statx(dirFd, b);
  }

  // null when the call failed: the caller asks the JDK, which says why in an exception.
  private static FileStat statx(Path file) {
    byte[] name = file.toString().getBytes(StandardCharsets.UTF_8);
    Buffers b = BUFFERS.get();
    MemorySegment path = b.path(name.length + 1);
    MemorySegment.copy(name, 0, path, ValueLayout.JAVA_BYTE, 0, name.length);
    path.set(ValueLayout.JAVA_BYTE, name.length, (byte) 0);
    return statx(AT_FDCWD, b);
  }

  // The stat of the NUL-terminated path in b's path buffer, or null when the call failed.
  private static FileStat statx(int dirFd, Buffers b) {
    MemorySegment path = b.path(0);
    MemorySegment st = b.statx;
    int rc;
    try {
      rc = (int) STATX.invokeExact(dirFd, path, 0, WANTED, st);
    } catch (Throwable e) {
      return null;
    }
    if (rc != 0 || (st.get(ValueLayout.JAVA_INT, 0) & WANTED) != WANTED) {
      return null;
    }
    long inode = st.get(ValueLayout.JAVA_LONG, 32);
    long size = st.get(ValueLayout.JAVA_LONG, 40);
    long mtime = TimeUnit.SECONDS.toNanos(st.get(ValueLayout.JAVA_LONG, 112))
        + Integer.toUnsignedLong(st.get(ValueLayout.JAVA_INT, 120));
    long major = Integer.toUnsignedLong(st.get(ValueLayout.JAVA_INT, 136));
    long minor = Integer.toUnsignedLong(st.get(ValueLayout.JAVA_INT, 140));
    return new FileStat(size, mtime, makedev(major, minor), inode);
  }

  // glibc's makedev(3), so the device number equals the st_dev the JDK reports.
  static long makedev(long major, long minor) {
    return (major & 0xfffL) << 8 | (major & 0xfffff000L) << 32 | minor & 0xffL | (minor & 0xffffff00L) << 12;
  }

  /** A thread's native path and result buffers, freed with the thread. */
  private static final class Buffers {
    private final Arena arena = Arena.ofAuto();
    final MemorySegment statx = arena.allocate(STATX_BYTES, 8);
    private MemorySegment path = arena.allocate(1024);

    MemorySegment path(int bytes) {
      if (path.byteSize() < bytes) {
        path = arena.allocate(Math.max(bytes, 2 * path.byteSize()));
      }
      return path;
    }
  }

  /** open(2) and close(2) for directories, bound only by the commands that use them. */
  private static final class Dirs {
    static final int O_RDONLY_CLOEXEC = 0x80000; // O_CLOEXEC, the same on every Linux architecture
    static final MethodHandle OPEN = bindLibc("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));
    static final MethodHandle CLOSE = bindLibc("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private static MethodHandle bindLibc(String name, FunctionDescriptor fd, Linker.Option... options) {
      try {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), fd, options);
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  private static MethodHandle bind() {
    if (!Boolean.parseBoolean(System.getProperty("s3lfs.nativeStat", "true"))
        || !System.getProperty("os.name", "").startsWith("Linux")
        || !"UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding", ""))) {
      return null; // file names would not be the bytes the JDK passes to the kernel
    }
    try {
      Linker linker = Linker.nativeLinker();
      MemorySegment symbol = linker.defaultLookup().find("statx").orElseThrow();
      MethodHandle h = linker.downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.JAVA_INT,
          ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
      MemorySegment st = Arena.global().allocate(STATX_BYTES, 8);
      MemorySegment root = Arena.global().allocateFrom("/");
      if ((int) h.invokeExact(AT_FDCWD, root, 0, WANTED, st) != 0) {
        return null; // a kernel or seccomp policy without statx
      }
      return h;
    } catch (Throwable e) { // no statx in this C library, native access refused: the JDK's will do
      log().log(System.Logger.Level.DEBUG, "statx not used, asking the JDK: {0}", e.toString());
      return null;
    }
  }

  // On use, not in a static field: the first getLogger starts the JDK's logging, ~25 ms of start-up.
  private static System.Logger log() {
    return System.getLogger(FileStat.class.getName());
  }
}
