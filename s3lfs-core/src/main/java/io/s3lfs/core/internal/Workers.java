package io.s3lfs.core.internal;

import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

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
   * @throws Error the first error a task let escape (an exception as suppressed), after the
   *     tasks already running ended; no further task starts once one has
   */
  public static <T> void forEach(Collection<T> items, int limit, BooleanSupplier cancelled, Consumer<T> task) {
    @SuppressWarnings("unchecked")
    T[] all = (T[]) items.toArray();
    forEach(all.length, limit, cancelled, i -> task.accept(all[i]));
  }

  /**
   * As {@link #forEach(Collection, int, BooleanSupplier, Consumer)} over the indexes {@code 0}
   * to {@code count - 1}, for callers that keep results by position.
   */
  public static void forEach(int count, int limit, BooleanSupplier cancelled, IntConsumer task) {
    if (count == 0) {
      return;
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> escaped = new AtomicReference<>();
    AtomicReference<Error> error = new AtomicReference<>();
    Runnable worker = () -> {
      int i;
      while (error.get() == null && !cancelled.getAsBoolean() && (i = next.getAndIncrement()) < count) {
        try {
          task.accept(i);
        } catch (RuntimeException e) {
          if (!escaped.compareAndSet(null, e)) {
            escaped.get().addSuppressed(e);
          }
        } catch (Error e) {
          // Caught, or it would end this worker silently and its remaining items with it (a
          // checkout reported success with files missing). Nothing further starts.
          if (!error.compareAndSet(null, e)) {
            error.get().addSuppressed(e);
          }
        }
      }
    };
    try (var io = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = Math.min(limit, count); t > 0; t--) {
        io.execute(worker);
      }
    }
    if (error.get() != null) {
      if (escaped.get() != null) {
        error.get().addSuppressed(escaped.get());
      }
      throw error.get();
    }
    if (escaped.get() != null) {
      throw escaped.get();
    }
  }
}
