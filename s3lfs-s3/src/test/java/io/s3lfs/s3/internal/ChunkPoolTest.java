package io.s3lfs.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChunkPoolTest {
  @Test
  void take_lessThanAChunkWanted_exactSize() {
    assertThat(new ChunkPool(4).take(32 * 1024)).hasSize(32 * 1024);
  }

  @Test
  void take_aChunkOrMoreOrUnknown_fullChunk() {
    var pool = new ChunkPool(4);
    assertThat(pool.take(ChunkPool.CHUNK)).hasSize(ChunkPool.CHUNK);
    assertThat(pool.take(8L * ChunkPool.CHUNK)).hasSize(ChunkPool.CHUNK);
    assertThat(pool.take(-1)).hasSize(ChunkPool.CHUNK);
  }

  @Test
  void give_fullChunk_reusedUpToCapacityPartialNever() {
    var pool = new ChunkPool(1);
    byte[] full = pool.take(ChunkPool.CHUNK);
    byte[] other = pool.take(ChunkPool.CHUNK);
    byte[] partial = pool.take(100);

    pool.give(partial);
    pool.give(full);
    pool.give(other); // over capacity: dropped

    assertThat(pool.take(ChunkPool.CHUNK)).isSameAs(full);
    assertThat(pool.take(ChunkPool.CHUNK)).isNotSameAs(other).isNotSameAs(full);
  }
}
