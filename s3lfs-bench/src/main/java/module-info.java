/**
 * JMH benchmarks for s3lfs. Run from the shaded {@code benchmarks.jar} on the class path (see
 * {@code run-jmh.sh}); the descriptor keeps the module graph honest at compile time.
 */
module io.s3lfs.bench {
  requires io.s3lfs.core;
  requires jmh.core;

  // JMH's runner loads the generated classes and the benchmark states by name.
  exports io.s3lfs.bench;
  exports io.s3lfs.bench.jmh_generated;
}
