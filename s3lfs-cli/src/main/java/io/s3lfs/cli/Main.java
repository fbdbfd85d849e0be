package io.s3lfs.cli;

import io.s3lfs.api.StorageException;
import io.s3lfs.core.Repository;
import io.s3lfs.core.S3lfsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import picocli.CommandLine;

/**
 * The {@code s3lfs} entry point. {@link #main} exits the JVM; {@link #run} never does, so tests
 * call it with their own directory and streams.
 */
public final class Main {
  private Main() {}

  /** Runs s3lfs in the current directory and exits with its status. */
  public static void main(String[] args) {
    String training = System.getProperty("s3lfs.aot.training");
    if (training != null) {
      train(training, args);
      return;
    }
    Interrupts interrupts = Interrupts.install(System.err);
    int status = run(new Context(Path.of("").toAbsolutePath(), System.in, System.out, System.err,
        System.console() != null, System.getenv(), interrupts), args);
    System.out.flush();
    System.err.flush();
    interrupts.finished();
    FastExit.exit(status);
  }

  /**
   * Runs one s3lfs command.
   *
   * @param cwd the directory user paths are relative to
   * @param terminal whether stderr is a terminal (progress is drawn only then)
   * @return the exit status (DESIGN.md section 6)
   */
  public static int run(Path cwd, InputStream in, PrintStream out, PrintStream err, boolean terminal, String... args) {
    return run(new Context(cwd.toAbsolutePath(), in, out, err, terminal, System.getenv()), args);
  }

  static int run(Context context, String... args) {
    PrintStream out = context.out();
    PrintStream err = context.err();
    CommandLine cli = Commands.commandLine(context, args);
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      boolean verbose = parsed.matchedOptions().stream().anyMatch(o -> o.longestName().equals("--verbose"));
      return report(e, err, verbose);
    });
    cli.setParameterExceptionHandler((e, params) -> {
      err.println("s3lfs: " + e.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
      err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
      return ExitCodes.USAGE;
    });
    try {
      return cli.execute(args);
    } catch (Error e) { // picocli hands only exceptions to the handler above
      return report(e, err, java.util.Arrays.asList(args).contains("--verbose"));
    }
  }

  /**
   * Build-time only (src/main/launcher/aot-train.sh): one JVM runs the same command in several
   * working copies, a file:// one and an s3:// one, so the ahead-of-time cache, which records a
   * single run, covers both the engine and the AWS SDK's start-up.
   */
  private static void train(String directories, String[] args) {
    FastExit.prepare(); // its native linkage goes into the AOT cache too
    var quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
    // The given command first (it tracks the files), then the read-mostly commands a repository
    // runs most, so that their classes and native call stubs come from the cache as well.
    // status twice: the first saves a hash cache that describes the manifest, which the second
    // (and the checkout) answer from. That takes a manifest older than the cache's racy window: it is dated back.
    // The last checkout restores files deleted before it, so the download path (listing, fetch,
    // decode, rename), which a fresh clone runs, comes from the cache too: without it, its
    // classes and lambdas were loaded and spun in every such checkout.
    String[][] commands = {args, {"status"}, {"status"}, {"checkout", "--all"}, {"track", "--modified"}, {"ls"},
        {"checkout", "--all"}};
    for (String[] command : commands) {
      for (String dir : directories.split(java.io.File.pathSeparator)) {
        if (command == commands[1]) {
          backdate(Path.of(dir, Repository.MANIFEST_NAME));
        }
        if (command == commands[commands.length - 1]) {
          deleteFiles(Path.of(dir, "d"));
        }
        run(new Context(Path.of(dir), InputStream.nullInputStream(), quiet, quiet, false, System.getenv()), command);
      }
    }
  }

  // Every regular file under dir, directories kept but one, which checkout then recreates.
  private static void deleteFiles(Path dir) {
    try (var files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        if (Files.isRegularFile(f) || f.getFileName().toString().equals("0")) {
          Files.delete(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void backdate(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int report(Throwable e, PrintStream err, boolean verbose) {
    int status;
    String message;
    switch (e) {
      case S3lfsException s -> {
        status = s.kind().exitCode();
        message = s.getMessage();
      }
      case StorageException s -> {
        status = ExitCodes.STORAGE;
        message = s.getMessage();
      }
      case UncheckedIOException u -> {
        status = ExitCodes.SOFTWARE;
        message = u.getCause().toString();
      }
      case Interrupted i -> {
        status = ExitCodes.INTERRUPTED;
        message = "interrupted";
      }
      default -> {
        status = ExitCodes.SOFTWARE;
        message = "internal error: " + e + " (rerun with --verbose for details)";
      }
    }
    err.println("s3lfs: error: " + message);
    if (verbose) {
      e.printStackTrace(err);
    }
    return status;
  }

  /** Thrown when the user interrupts a command. */
  static final class Interrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }
}
