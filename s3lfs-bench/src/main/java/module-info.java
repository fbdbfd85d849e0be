/** JMH benchmarks for s3lfs. */
module io.s3lfs.bench {
  requires io.s3lfs.core;
}
