package io.s3lfs.bench;

import io.s3lfs.core.Manifest;
import io.s3lfs.core.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading and saving a flat {@code .s3_manifest.json} built as the reference's
 * {@code benchmarks/manifest_scaling.py} builds it (spec 5.1): N entries over 100 directories
 * {@code dirNNN}, keys {@code dirNNN/sub{i mod 20}/file_{i}.bin}, hash = SHA-256 of
 * {@code "<dir index>-<i>"}, prefix {@code p}; the bucket is {@code bucket}, not the reference's
{@code b}, which {@code init} rejects as too short (5 bytes more in an 18 MB file). The file is
in the page cache.
 *
 * <p>Production paths, through the public API: {@link #load} is {@link Repository#manifest()}
 * (read the file, UTF-8 decode, parse with Jackson's streaming parser into sorted maps), what
 * every command does first; {@link #update} is {@link Repository#update}, what {@code track}
 * does once per run: take the lock, re-read, change one entry, render, write a temp file,
 * fsync, rename.
 *
 * <pre>
 * java -jar s3lfs-bench/target/benchmarks.jar ManifestBenchmark -f 1 -wi 2 -i 3 -rf json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class ManifestBenchmark {
  private static final int DIRECTORIES = 100;

  @Param({"1000", "100000", "200000"})
  public int entries;

  private Path dir;
  private Repository repo;
  private long counter;

  @Setup(Level.Trial)
  public void writeManifest() throws IOException {
    dir = Files.createTempDirectory("s3lfs-manifest-bench");
    repo = Repository.at(dir);
    repo.init("bucket", "p", "sha256");
    repo.update(m -> m.withFiles(entries(entries)));
    System.out.printf("%n# manifest of %d entries: %d bytes%n", entries, Files.size(repo.manifestPath()));
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    Data.deleteTree(dir);
  }

  /** @return the manifest as every command reads it */
  @Benchmark
  public Manifest load() {
    return repo.manifest();
  }

  /** @return the manifest after changing one entry under the lock and writing it back */
  @Benchmark
  public Manifest update() {
    String hash = sha256Hex("update-" + counter++);
    return repo.update(m -> m.withFiles(Map.of("dir000/sub0/file_0.bin", hash)));
  }

  /** The reference's dataset: N entries, N/100 per directory. */
  static Map<String, String> entries(int n) {
    var files = new TreeMap<String, String>(Manifest.CODE_POINT_ORDER);
    int perDir = Math.max(1, n / DIRECTORIES);
    for (int i = 0; i < n; i++) {
      int d = Math.min(i / perDir, DIRECTORIES - 1);
      String key = String.format("dir%03d/sub%d/file_%d.bin", d, i % 20, i);
      files.put(key, sha256Hex(d + "-" + i));
    }
    return files;
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
