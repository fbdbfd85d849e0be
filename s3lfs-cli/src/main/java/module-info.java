/**
 * The {@code s3lfs} command line.
 */
module io.s3lfs.cli {
  requires io.s3lfs.core;
  requires info.picocli;

  opens io.s3lfs.cli to info.picocli;
}
