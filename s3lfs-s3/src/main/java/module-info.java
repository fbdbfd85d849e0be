/**
 * The {@code s3://} object store. The only module that sees {@code software.amazon.awssdk}.
 */
module io.s3lfs.s3 {
  requires io.s3lfs.core;
}
