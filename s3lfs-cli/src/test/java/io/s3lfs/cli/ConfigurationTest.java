package io.s3lfs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {
  @TempDir
  Path temp;
  Sandbox box;

  @BeforeEach
  void setUp() throws Exception {
    box = new Sandbox(temp);
    box.write("t.txt", "compressible text ".repeat(2000));
    box.s3lfs("init", box.storeUri(), "p").ok();
  }

  void config(String yaml) throws Exception {
    Files.writeString(box.repo.resolve(".s3lfsconfig"), yaml);
  }

  @Test
  void config_zstdAlways_storedAsZstRoundTrips() throws Exception {
    config("codec: zstd\ncompression: always\nlevel: 3\n");
    box.s3lfs("track", "t.txt").ok();
    assertThat(box.storedKeys()).singleElement().asString().endsWith("/t.txt.zst");
    Files.delete(box.repo.resolve("t.txt"));
    box.s3lfs("checkout", "t.txt").ok();
    assertThat(box.repo.resolve("t.txt")).hasContent("compressible text ".repeat(2000));
  }

  @Test
  void config_unknownKey_usageErrorListingKnownKeys() throws Exception {
    config("compresion: never\n");
    var run = box.s3lfs("track", "t.txt");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("unknown key(s) in .s3lfsconfig: compresion").contains("compression");
  }

  @Test
  void config_badValue_usageErrorNamingKey() throws Exception {
    config("workers: many\n");
    var run = box.s3lfs("track", "t.txt");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("workers");
  }

  @Test
  void environment_overridesConfig_flagOverridesEnvironment() throws Exception {
    config("compression: never\n");
    var env = box.s3lfsEnv(box.repo, Map.of("S3LFS_COMPRESSION", "always"), "", "track", "t.txt").ok();
    assertThat(env.status()).isZero();
    assertThat(box.storedKeys()).singleElement().asString().endsWith("/t.txt.gz");
    var flag = box.s3lfsEnv(box.repo, Map.of("S3LFS_WORKERS", "zero"), "", "track", "t.txt", "--workers", "2");
    assertThat(flag.status()).as("a bad environment value is reported even when a flag is given").isEqualTo(2);
  }

  @Test
  void config_unknownCodec_usageErrorListingAvailable() throws Exception {
    config("codec: brotli\ncompression: always\n");
    var run = box.s3lfs("track", "t.txt");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("brotli").contains("gzip");
  }
}
