package io.s3lfs.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WorkersTest {

  @Test
  void forEach_manyItems_runsEachExactlyOnce() {
    List<Integer> items = IntStream.range(0, 10_000).boxed().toList();
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger calls = new AtomicInteger();
    Workers.forEach(items, 4, () -> false, i -> {
      calls.incrementAndGet();
      seen.add(i);
    });
    assertThat(calls).hasValue(10_000);
    assertThat(seen).hasSize(10_000);
  }

  @Test
  void forEach_blockingTasks_neverRunsMoreThanTheLimitAtOnce() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Workers.forEach(IntStream.range(0, 200).boxed().toList(), 3, () -> false, i -> {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.decrementAndGet();
    });
    assertThat(peak.get()).isBetween(1, 3);
  }

  @Test
  void forEach_limitAboveItemCount_runsTheItemsConcurrently() throws InterruptedException {
    // All three must be running at once for any to finish: a pool smaller than the item count
    // would deadlock here, which the latch turns into a failure.
    CountDownLatch all = new CountDownLatch(3);
    AtomicInteger finished = new AtomicInteger();
    Workers.forEach(List.of(1, 2, 3), 8, () -> false, i -> {
      all.countDown();
      try {
        if (all.await(10, TimeUnit.SECONDS)) {
          finished.incrementAndGet();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(finished).hasValue(3);
  }

  @Test
  void forEach_cancelled_startsNoFurtherItems() {
    AtomicInteger calls = new AtomicInteger();
    Workers.forEach(IntStream.range(0, 1000).boxed().toList(), 2, () -> calls.get() >= 10, i -> calls.incrementAndGet());
    assertThat(calls.get()).isBetween(10, 11);
  }

  @Test
  void forEach_taskThrows_otherItemsStillRunAndTheFailureSurfaces() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> Workers.forEach(IntStream.range(0, 100).boxed().toList(), 2, () -> false, i -> {
      calls.incrementAndGet();
      if (i == 7) {
        throw new IllegalStateException("boom " + i);
      }
    })).isInstanceOf(IllegalStateException.class).hasMessage("boom 7");
    assertThat(calls).hasValue(100);
  }

  @Test
  void forEach_taskThrowsAnError_noFurtherItemStartsAndTheErrorSurfaces() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> Workers.forEach(100, 1, () -> false, i -> {
      calls.incrementAndGet();
      if (i == 2) {
        throw new IllegalStateException("first " + i);
      }
      if (i == 5) {
        throw new NoClassDefFoundError("missing " + i);
      }
    })).isInstanceOf(NoClassDefFoundError.class).hasMessage("missing 5")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement().isInstanceOf(IllegalStateException.class));
    assertThat(calls).as("items 0 to 5, one at a time").hasValue(6);
  }
}
