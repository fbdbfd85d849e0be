package io.s3lfs.core.internal;

import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs blocking tasks on virtual threads, at most {@code limit} at a time. The producer takes a
 * permit before it starts a thread, so waiting work is a list item, not a parked thread
 * (STYLE.md section 5). Tasks handle their own failures.
 */
public final class Workers {
  private Workers() {}

  /**
   * Runs {@code task} for every item and returns when all started tasks have finished. Once
   * {@code cancelled} says true, no further task starts; running ones finish (threads doing
   * file-channel I/O are never interrupted: that would close the channel for every user).
   */
  public static <T> void forEach(Collection<T> items, int limit, BooleanSupplier cancelled, Consumer<T> task) {
    if (items.isEmpty()) {
      return;
    }
    Semaphore permits = new Semaphore(limit);
    try (var io = Executors.newVirtualThreadPerTaskExecutor()) {
      for (T item : items) {
        permits.acquireUninterruptibly();
        if (cancelled.getAsBoolean()) {
          permits.release();
          break;
        }
        io.execute(() -> {
          try {
            task.accept(item);
          } finally {
            permits.release();
          }
        });
      }
    }
  }
}
