package io.s3lfs.cli;

import io.s3lfs.core.TransferListener;
import java.io.PrintStream;
import io.s3lfs.core.Units;
import java.util.Locale;

/**
 * Draws progress on stderr: files, bytes and rate on one redrawn line when stderr is a terminal,
 * nothing in pipes. With --verbose every finished file gets its own line as well.
 */
final class Progress implements TransferListener, AutoCloseable {
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream err;
  private final boolean draw;
  private final boolean verbose;
  private final String verb;
  private final long start = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  Progress(PrintStream err, boolean terminal, boolean verbose, String verb) {
    this.err = err;
    this.draw = terminal;
    this.verbose = verbose;
    this.verb = verb;
  }

  @Override
  public synchronized void progress(TransferListener.Progress now) {
    if (!draw) {
      return;
    }
    long t = System.nanoTime();
    if (t - lastDraw < REDRAW_NANOS && now.filesDone() < now.filesTotal()) {
      return;
    }
    lastDraw = t;
    double seconds = Math.max(1e-3, (t - start) / 1e9);
    String bytes = now.bytesTotal() > 0 ? Units.human(now.bytesDone()) + "/" + Units.human(now.bytesTotal()) : Units.human(now.bytesDone());
    err.print("\r\033[K" + verb + ": " + now.filesDone() + "/" + now.filesTotal() + " files, " + bytes
        + ", " + Units.human((long) (now.bytesDone() / seconds)) + "/s");
    err.flush();
    drawn = true;
  }

  @Override
  public synchronized void file(String key, Action action, String detail) {
    if (verbose && action != Action.FAILED) {
      clearLine();
      err.println(action.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + key
          + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }
  }

  private void clearLine() {
    if (drawn) {
      err.print("\r\033[K");
      drawn = false;
    }
  }

  @Override
  public synchronized void close() {
    clearLine();
    err.flush();
  }

}
