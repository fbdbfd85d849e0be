package io.s3lfs.cli;

import io.s3lfs.core.Engine;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C handling for the real process. On SIGINT the JVM runs shutdown hooks; ours cancels the
 * running engine (no new file starts, transfers in flight stop at their next buffer or part and
 * leave nothing behind, files that completed are recorded) and waits for the command to wind down
 * before the JVM exits with status 130.
 */
final class Interrupts {
  private static final long WIND_DOWN_SECONDS = 60;

  private final AtomicReference<Engine> running = new AtomicReference<>();
  private final CountDownLatch finished = new CountDownLatch(1);

  /** Installs the hook; call once, from {@code main}. */
  static Interrupts install(PrintStream err) {
    Interrupts interrupts = new Interrupts();
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("s3lfs-interrupt").unstarted(() -> {
      Engine engine = interrupts.running.get();
      if (engine == null || interrupts.finished.getCount() == 0) {
        return;
      }
      engine.cancel();
      err.println();
      err.println("s3lfs: interrupted; stopping transfers in flight and recording the files that completed...");
      try {
        interrupts.finished.await(WIND_DOWN_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    return interrupts;
  }

  /** A handle that does nothing: in-process runs (tests) have no signal to handle. */
  static Interrupts none() {
    return new Interrupts();
  }

  void started(Engine engine) {
    running.set(engine);
  }

  /** Called when the command has returned (its results recorded), just before exit. */
  void finished() {
    finished.countDown();
  }
}
