package io.s3lfs.core.internal;

import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs blocking tasks on virtual threads, at most {@code limit} at a time: {@code limit} virtual
 * workers take the items one after another from a shared index. Waiting work is a list item,
 * not a parked thread (STYLE.md section 5), and an item costs no thread start: local phases run
 * this over 200,000 cheap items (a stat each), where a thread and a permit per item was a third
 * of the time. Tasks handle their own failures.
 */
public final class Workers {
  private Workers() {}

  /**
   * Runs {@code task} for every item and returns when all started tasks have finished. Once
   * {@code cancelled} says true, no further task starts; running ones finish (threads doing
   * file-channel I/O are never interrupted: that would close the channel for every user).
   *
   * @throws RuntimeException the first exception a task let escape, after every other item ran
   */
  public static <T> void forEach(Collection<T> items, int limit, BooleanSupplier cancelled, Consumer<T> task) {
    if (items.isEmpty()) {
      return;
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    @SuppressWarnings("unchecked")
    T[] all = (T[]) items.toArray();
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> escaped = new AtomicReference<>();
    Runnable worker = () -> {
      int i;
      while (!cancelled.getAsBoolean() && (i = next.getAndIncrement()) < all.length) {
        try {
          task.accept(all[i]);
        } catch (RuntimeException e) {
          if (!escaped.compareAndSet(null, e)) {
            escaped.get().addSuppressed(e);
          }
        }
      }
    };
    try (var io = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = Math.min(limit, all.length); t > 0; t--) {
        io.execute(worker);
      }
    }
    if (escaped.get() != null) {
      throw escaped.get();
    }
  }
}
