package io.s3lfs.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartBuffersTest {
  private final PartBuffers buffers = new PartBuffers();

  @Test
  void take_afterGive_reusesTheBuffer() {
    byte[] first = buffers.take(1024);
    buffers.give(first);

    assertThat(buffers.take(1024)).isSameAs(first);
    assertThat(buffers.take(1024)).isNotSameAs(first).hasSize(1024);
  }

  @Test
  void take_anotherSize_dropsTheBuffersKept() {
    byte[] small = buffers.take(1024);
    buffers.give(small);
    assertThat(buffers.kept()).isOne();

    byte[] big = buffers.take(2048);
    assertThat(big).hasSize(2048);
    assertThat(buffers.kept()).isZero();

    buffers.give(small); // a buffer of the old size given back late is not kept either
    assertThat(buffers.kept()).isZero();
  }
}
