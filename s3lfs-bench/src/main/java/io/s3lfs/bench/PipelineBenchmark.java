package io.s3lfs.bench;

import io.s3lfs.core.Engine;
import io.s3lfs.core.Repository;
import io.s3lfs.core.Result;
import io.s3lfs.core.Settings;
import io.s3lfs.core.TransferListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * {@code track} and {@code checkout} of a whole directory against a {@code file://} store on the
 * same disk, in a git-less working copy, with default settings apart from {@code workers}.
 * Production path: {@link Engine#track} (hash every file, list the store, encode to a temp file
 * or store raw, fsync, rename) and {@link Engine#checkout} (list, read, decode, hash, fsync,
 * rename). The data is random, so {@code compression: auto} samples it and stores it raw; codec
 * cost is CodecBenchmark's subject. Source files stay in the page cache; stored objects are
 * written through to disk by the store's fsync, which is part of what is measured.
 *
 * <p>Each invocation needs fresh state, so {@link Level#Invocation} setup clears it: for track,
 * the store and the manifest's entries; for checkout, the working files. Operations take tens of
 * milliseconds or more, so the setup's timer overhead does not matter.
 *
 * <pre>
 * java -jar s3lfs-bench/target/benchmarks.jar PipelineBenchmark -f 1 -wi 2 -i 3 -rf json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class PipelineBenchmark {
  /** A tree of files to move. */
  public enum Dataset {
    /** 200 files of 64 KiB (12.5 MiB): per-file costs dominate. */
    SMALL_200x64K(200, 64 << 10),
    /** 4 files of 16 MiB (64 MiB): bytes dominate. */
    LARGE_4x16M(4, 16 << 20);

    final int files;
    final int size;

    Dataset(int files, int size) {
      this.files = files;
      this.size = size;
    }
  }

  @Param
  public Dataset dataset;

  @Param({"1", "4", "8"})
  public int workers;

  private Path root;
  private Path work;
  private Path store;
  private Repository repo;
  private Settings settings;

  @Setup(Level.Trial)
  public void createTree() throws IOException {
    root = Files.createTempDirectory("s3lfs-pipeline-bench");
    work = Files.createDirectories(root.resolve("work"));
    store = Files.createDirectories(root.resolve("store"));
    writeData();
    repo = Repository.at(work);
    repo.init(store.toUri().toString(), "bench", "sha256");
    settings = Settings.DEFAULTS.withWorkers(workers);
  }

  private void writeData() throws IOException {
    Path data = Files.createDirectories(work.resolve("data"));
    for (int i = 0; i < dataset.files; i++) {
      Data.writeRandom(data.resolve("file_" + i + ".bin"), dataset.size, i);
    }
  }

  @TearDown(Level.Trial)
  public void deleteTree() throws IOException {
    Data.deleteTree(root);
  }

  /** Fresh state for track: an empty store and a manifest without entries. */
  @State(Scope.Benchmark)
  public static class Untracked {
    @Setup(Level.Invocation)
    public void clear(PipelineBenchmark b) throws IOException {
      Data.deleteTree(b.store);
      Files.createDirectories(b.store);
      b.repo.update(m -> m.withoutFiles(m.files().keySet()));
    }
  }

  /** Fresh state for checkout: everything stored and recorded, the working files gone. */
  @State(Scope.Benchmark)
  public static class Stored {
    @Setup(Level.Trial)
    public void trackOnce(PipelineBenchmark b) {
      check(b.track(), b.dataset.files);
    }

    @Setup(Level.Invocation)
    public void deleteWorkingFiles(PipelineBenchmark b) throws IOException {
      Data.deleteTree(b.work.resolve("data"));
    }

    @TearDown(Level.Trial)
    public void restore(PipelineBenchmark b) throws IOException {
      Data.deleteTree(b.work.resolve("data"));
      b.writeData();
    }
  }

  /** @return the result of tracking every file into an empty store */
  @Benchmark
  public Result track(Untracked fresh) {
    return check(track(), dataset.files);
  }

  /** @return the result of downloading every file into an empty working directory */
  @Benchmark
  public Result checkout(Stored stored) {
    try (Engine engine = Engine.open(repo, settings)) {
      return check(engine.checkout(List.of(), TransferListener.NONE), dataset.files);
    }
  }

  private Result track() {
    try (Engine engine = Engine.open(repo, settings)) {
      return engine.track(List.of("data"), TransferListener.NONE);
    }
  }

  private static Result check(Result r, int files) {
    if (!r.failures().isEmpty() || r.total() != files) {
      throw new IllegalStateException("expected " + files + " files to succeed: " + r);
    }
    return r;
  }
}
