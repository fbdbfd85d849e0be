package io.s3lfs.cli;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.core.Engine;
import io.s3lfs.core.RepoConfig;
import io.s3lfs.core.Repository;
import io.s3lfs.core.Result;
import io.s3lfs.core.S3lfsException;
import io.s3lfs.core.Settings;
import io.s3lfs.core.Units;
import io.s3lfs.core.TransferListener.Action;
import io.s3lfs.core.Version;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The picocli command tree. Commands are thin: parse, call the engine, render the result.
 *
 * <p>The model is built by code ({@link Spec}), not read from annotations: reading picocli's
 * annotations made the JDK generate a proxy class per annotation type in every run (eight,
 * with their meta-annotations), the largest single cost of a quick command's start-up.
 */
final class Commands {
  private Commands() {}

  /** A subcommand: its name, its aliases, and how to build it. */
  record Sub(String name, List<String> aliases, Function<Context, CommandSpec> spec) {}

  /** Every subcommand, in the order the root's help lists them. */
  static final List<Sub> SUBCOMMANDS = List.of(
      new Sub("init", List.of(), Init::spec),
      new Sub("track", List.of(), Track::spec),
      new Sub("checkout", List.of(), Checkout::spec),
      new Sub("ls", List.of(), Ls::spec),
      new Sub("status", List.of(), Status::spec),
      new Sub("remove", List.of("rm"), Remove::spec),
      new Sub("cleanup", List.of(), Cleanup::spec));

  /** Subcommands by name and alias. */
  static final Map<String, Sub> BY_NAME = byName();

  private static Map<String, Sub> byName() {
    var names = new java.util.HashMap<String, Sub>();
    for (Sub sub : SUBCOMMANDS) {
      names.put(sub.name(), sub);
      sub.aliases().forEach(alias -> names.put(alias, sub));
    }
    return Map.copyOf(names);
  }

  /**
   * The command line for {@code args}. When they start with a subcommand, only that one is
   * built: picocli reflects over every option of every subcommand it is given, a fifth of a
   * quick command's start-up. A lone version request gets none; anything else (root help, an
   * unknown word that deserves suggestions) gets all of them.
   */
  static CommandLine commandLine(Context context, String... args) {
    CommandLine cli = new CommandLine(Root.spec(context));
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      return cli; // the version needs no command at all
    }
    Sub only = args.length > 0 ? BY_NAME.get(args[0]) : null;
    for (Sub sub : SUBCOMMANDS) {
      if (only == null || sub == only) {
        CommandSpec spec = sub.spec().apply(context);
        spec.name(sub.name()).aliases(sub.aliases().toArray(String[]::new));
        cli.addSubcommand(new CommandLine(spec));
      }
    }
    return cli;
  }

  /**
   * A command's picocli model, as its annotations would have declared it: every command has
   * {@code -h/--help} and {@code -V/--version}, options and parameters set fields of the
   * command object through {@link Field}.
   */
  static final class Spec {
    final CommandSpec spec;

    Spec(Object command, String header, String... description) {
      spec = CommandSpec.wrapWithoutInspection(command);
      spec.usageMessage().header(header).description(description);
      // As picocli's mixinStandardHelpOptions declares them (that mixin is annotated).
      spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
          .description("Show this help message and exit.").build());
      spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
          .description("Print version information and exit.").build());
    }

    /** A boolean option. */
    Spec flag(String names, String description, Consumer<Boolean> set) {
      return flag(new String[] {names}, description, set);
    }

    Spec flag(String[] names, String description, Consumer<Boolean> set) {
      var field = new Field<Boolean>(false, v -> set.accept(v != null && v)); // reset to the initial false too
      spec.addOption(OptionSpec.builder(names).description(description).type(boolean.class).initialValue(false)
          .getter(field).setter(field).build());
      return this;
    }

    /** An option with a value of the given type; null when not given. */
    <T> Spec option(String[] names, String label, String description, Class<T> type, Consumer<T> set) {
      return option(names, label, description, type, null, set);
    }

    <T> Spec option(String[] names, String label, String description, Class<T> type, String defaultValue,
        Consumer<T> set) {
      var field = new Field<T>(null, set);
      spec.addOption(OptionSpec.builder(names).paramLabel(label).description(description).type(type)
          .defaultValue(defaultValue).initialValue(null).getter(field).setter(field).build());
      return this;
    }

    /** A positional parameter of one value, null when not given. */
    Spec positional(String index, String label, String arity, String description, Consumer<String> set) {
      var field = new Field<String>(null, set);
      spec.addPositional(PositionalParamSpec.builder().index(index).paramLabel(label).arity(arity)
          .required(!arity.startsWith("0")).description(description).type(String.class).initialValue(null)
          .getter(field).setter(field).build());
      return this;
    }

    /** Positional parameters of any number of values, an empty list when none are given. */
    Spec positionals(String label, String arity, String description, Consumer<List<String>> set) {
      var field = new Field<List<String>>(null, v -> set.accept(v == null ? new ArrayList<>() : v));
      spec.addPositional(PositionalParamSpec.builder().index("0..*").paramLabel(label).arity(arity)
          .required(!arity.startsWith("0")).description(description).type(List.class).auxiliaryTypes(String.class)
          .initialValue(null)
          .getter(field).setter(field).build());
      return this;
    }
  }

  /**
   * A command object's field as picocli reads and sets it. One object for both: picocli's
   * setter returns the value it replaces.
   */
  private static final class Field<V> implements IGetter, ISetter {
    private final Consumer<V> set;
    private V value;

    Field(V initial, Consumer<V> set) {
      this.value = initial;
      this.set = set;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
      return (T) value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T set(T newValue) {
      T old = get();
      value = (V) newValue;
      set.accept(value);
      return old;
    }
  }

  /** The root command: its help lists the subcommands; run without one, it asks for one. */
  static final class Root implements Runnable {
    final Context context;
    private CommandSpec spec; // for the error that names this command

    Root(Context context) {
      this.context = context;
    }

    static CommandSpec spec(Context context) {
      Root root = new Root(context);
      CommandSpec spec = new Spec(root, "Version large files next to git in S3 or any S3-compatible store.",
          "Git keeps a small manifest (.s3_manifest.json: path -> SHA-256); the bytes live in the "
              + "object store under <prefix>/assets/<hash>/<path>, gzip-compressed, encrypted at rest.",
          "",
          "Quick start on a local store:",
          "  s3lfs init file:///tmp/s3lfs-store my-project",
          "  s3lfs track data/            # hash, compress, upload, record",
          "  git add .s3_manifest.json && git commit -m 'Track data'",
          "  s3lfs checkout --all         # in a fresh clone: download and verify"
      ).spec;
      spec.name("s3lfs").versionProvider(new VersionInfo());
      UsageMessageSpec usage = spec.usageMessage();
      usage.exitCodeListHeading("%nExit codes:%n").exitCodeList(UsageMessageSpec.keyValuesMap(
          "0:ok", "1:internal error", "2:usage: bad arguments, unknown path, not initialised",
          "3:integrity: hash mismatch, corrupt manifest", "4:storage: credentials, access, missing object, network",
          "5:partial: some files failed, the rest were done and recorded",
          "130:interrupted (Ctrl-C): files that completed are recorded, transfers in flight stopped"));
      usage.footer("%nEnvironment:",
          "  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE, AWS_REGION",
          "                credentials and region, as for the AWS CLI",
          "  AWS_CA_BUNDLE PEM file of the CAs to trust for an https endpoint",
          "  S3LFS_WORKERS, S3LFS_COMPRESSION, S3LFS_CODEC, S3LFS_LEVEL, S3LFS_CHUNK_SIZE,",
          "  S3LFS_ENCRYPTION, S3LFS_NO_SIGN_REQUEST, S3LFS_ENDPOINT_URL",
          "                override the .s3lfsconfig keys of the same names",
          "  S3LFS_STORE_OPTIONS",
          "                store settings, key=value,... (s3.client, s3.partSize,",
          "                s3.retry.maxAttempts, s3.direct, s3.tlsCheck; see README.md)",
          "  S3LFS_JAVA_OPTS",
          "                extra options for the JVM",
          "%nRun 's3lfs <command> --help' for a command's options and examples.");
      root.spec = spec;
      return spec;
    }

    @Override
    public void run() {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "missing command: init, track, checkout, ls, status, remove or cleanup");
    }

    static final class VersionInfo implements IVersionProvider {
      @Override
      public String[] getVersion() {
        return new String[] {"s3lfs " + Version.get(), "Java " + Runtime.version(),
            "SHA-256 and MD5: " + Version.hashing()};
      }
    }
  }

  /** Options every command that talks to the store shares. */
  static final class StoreFlags {
    boolean noSignRequest;
    String endpointUrl;
    Integer workers;
    boolean verbose;

    Spec addTo(Spec spec) {
      return spec.flag("--no-sign-request", "Send anonymous requests (public buckets). Reads only.",
              v -> noSignRequest = v)
          .option(new String[] {"--endpoint-url"}, "URL",
              "S3-compatible endpoint, e.g. http://localhost:9000 (MinIO, R2, Ceph).", String.class,
              v -> endpointUrl = v)
          .option(new String[] {"-j", "--workers"}, "N", "Files transferred at once (default: 8).", Integer.class,
              v -> workers = v)
          .flag(new String[] {"-v", "--verbose"}, "Print every file and full errors.", v -> verbose = v);
    }
  }

  /** Shared plumbing: open the engine, render progress, turn a Result into an exit status. */
  abstract static class StoreCommand implements Callable<Integer> {
    final Context context;
    final StoreFlags flags = new StoreFlags();

    StoreCommand(Context context) {
      this.context = context;
    }

    Context ctx() {
      return context;
    }

    Engine engine() {
      Repository repo = Repository.open(ctx().cwd());
      Engine engine = Engine.open(repo, Configuration.resolve(flags, ctx().env(), RepoConfig.load(repo.root())));
      ctx().interrupts().started(engine);
      return engine;
    }

    Progress progress(String verb) {
      return new Progress(ctx().err(), ctx().terminal(), flags.verbose, verb);
    }

    int finish(Engine engine, Result r, String summary) {
      if (engine.isCancelled()) {
        ctx().out().println(summary);
        ctx().err().println("s3lfs: interrupted: the files above completed and are recorded; run the command again for the rest");
        return ExitCodes.INTERRUPTED;
      }
      if (!summary.isEmpty()) {
        ctx().out().println(summary);
      }
      for (Result.Failure f : r.failures()) {
        ctx().err().println("s3lfs: error: " + f.message());
        if (flags.verbose && f.cause() != null) {
          f.cause().printStackTrace(ctx().err());
        }
      }
      if (r.failures().isEmpty()) {
        return ExitCodes.OK;
      }
      // Partial (5) only when this run changed something besides failing; otherwise the failure's
      // own class (a checkout whose only download failed is a storage error, not "partial").
      int changed = r.count(Action.UPLOADED) + r.count(Action.COPIED) + r.count(Action.ALREADY_STORED)
          + r.count(Action.DOWNLOADED) + r.count(Action.REMOVED) + r.count(Action.DELETED);
      if (changed == 0) {
        return r.failures().stream().map(f -> f.kind().exitCode()).max(Integer::compare).orElse(ExitCodes.SOFTWARE);
      }
      ctx().err().println("s3lfs: " + r.failures().size() + " of " + r.total()
          + " files failed; the others were done and recorded");
      return ExitCodes.PARTIAL;
    }
  }

  static final class Init implements Callable<Integer> {
    final Context context;
    String location;
    String prefix;
    String hash;
    String endpointUrl;
    boolean noSignRequest;

    // Every command takes --verbose: an internal error says "rerun with --verbose".
    boolean verbose;

    Init(Context context) {
      this.context = context;
    }

    static CommandSpec spec(Context context) {
      Init c = new Init(context);
      Spec s = new Spec(c, "Set up s3lfs in this repository: where the bytes go.",
          "Writes .s3_manifest.json at the repository root (the git root, or the current directory "
              + "outside git). Run again to change the store; tracked entries are kept.",
          "",
          "LOCATION is an S3 bucket name (my-bucket), an s3:// URI, or a local store file:///dir.",
          "",
          "Examples:",
          "  s3lfs init my-bucket my-project",
          "  s3lfs init file:///srv/s3lfs-store my-project",
          "  s3lfs init my-bucket my-project --endpoint-url http://localhost:9000",
          "  s3lfs init my-bucket my-project --hash md5");
      s.positional("0", "LOCATION", "1", "Bucket name or store URI.", v -> c.location = v)
          .positional("1", "PREFIX", "1", "Key prefix for this repository's objects.", v -> c.prefix = v)
          .option(new String[] {"--hash"}, "ALGORITHM",
              "Content hash: sha256 (default, compatible with the Python s3lfs) or md5.", String.class, "sha256",
              v -> c.hash = v)
          .option(new String[] {"--endpoint-url"}, "URL", "S3-compatible endpoint, remembered in the manifest.",
              String.class, v -> c.endpointUrl = v)
          .flag("--no-sign-request", "Accepted for compatibility; pass it to each command that reads.",
              v -> c.noSignRequest = v)
          .flag(new String[] {"-v", "--verbose"}, "Print full errors.", v -> c.verbose = v);
      return s.spec;
    }

    // Checked here, so a mistyped endpoint fails at init and not at the first command to use it.
    static void checkEndpoint(String url) {
      java.net.URI uri;
      try {
        uri = new java.net.URI(url.strip());
      } catch (java.net.URISyntaxException e) {
        uri = null;
      }
      if (uri == null || uri.getScheme() == null || uri.getHost() == null
          || !uri.getScheme().equalsIgnoreCase("http") && !uri.getScheme().equalsIgnoreCase("https")
          || uri.getPort() == 0 || uri.getPort() > 65535) { // host:notaport leaves no host, as does http://
        throw new S3lfsException(S3lfsException.Kind.USAGE, "invalid --endpoint-url '" + url
            + "': give http:// or https://, a host and an optional port, for example http://localhost:9000");
      }
    }

    @Override
    public Integer call() throws IOException {
      Context ctx = context;
      if (!io.s3lfs.api.spi.HashAlgorithm.availableNames().contains(hash)) {
        throw new S3lfsException(S3lfsException.Kind.USAGE, "unknown hash '" + hash + "'; available: "
            + String.join(", ", io.s3lfs.api.spi.HashAlgorithm.availableNames()));
      }
      if (endpointUrl != null) {
        checkEndpoint(endpointUrl);
      }
      Repository repo = Repository.at(ctx.cwd());
      var m = repo.init(location, prefix, hash);
      if (endpointUrl != null) {
        m = repo.update(x -> x.withOther(io.s3lfs.core.Manifest.ENDPOINT_KEY, endpointUrl));
      }
      ignoreTempDir(repo.root());
      ctx.out().println("Initialized s3lfs in " + repo.root());
      ctx.out().println("  store:  " + io.s3lfs.core.StoreLocation.parse(m.bucketName()).uri());
      ctx.out().println("  prefix: " + m.repoPrefix());
      ctx.out().println("  hash:   " + m.hashAlgorithm());
      ctx.out().println("Commit " + Repository.MANIFEST_NAME + " with git; it is how clones find the files.");
      var moved = repo.relocatedFrom();
      if (moved.isPresent()) {
        ctx.err().println("s3lfs: note: the " + m.files().size() + " tracked file(s) are stored at " + moved.get()
            + ", not here yet; run 's3lfs track --modified' to store them here (check out any missing"
            + " file from the old location first)");
      }
      return ExitCodes.OK;
    }

    private static void ignoreTempDir(Path root) throws IOException {
      Path ignore = root.resolve(".gitignore");
      String line = Repository.TEMP_DIR + "/";
      String text = Files.exists(ignore) ? Files.readString(ignore) : "";
      if (text.lines().noneMatch(l -> l.strip().equals(line))) {
        Files.writeString(ignore, (text.isEmpty() || text.endsWith("\n") ? text : text + "\n") + line + "\n");
      }
    }
  }

  static final class Track extends StoreCommand {
    List<String> paths = new ArrayList<>();
    boolean modified;

    Track(Context context) {
      super(context);
    }

    static CommandSpec spec(Context context) {
      Track c = new Track(context);
      Spec s = new Spec(c, "Hash, compress, upload and record files.",
          "PATH is a file, a directory (every file below it) or a glob; quote globs so the shell "
              + "leaves them: * and ? stay within one directory, ** spans any number of directories.",
          "Unchanged files are skipped; content already stored for another path is copied inside "
              + "the store instead of being uploaded again.",
          "",
          "Examples:",
          "  s3lfs track data/large_file.zip",
          "  s3lfs track data/",
          "  s3lfs track '**/*.mp4'",
          "  s3lfs track --modified          # re-upload tracked files that changed");
      c.flags.addTo(s)
          .positionals("PATH", "0..*", "Files, directories or globs.", v -> c.paths = v)
          .flag("--modified", "Re-hash every tracked file and upload the changed ones.", v -> c.modified = v);
      return s.spec;
    }

    @Override
    public Integer call() {
      if (paths.isEmpty() == !modified) {
        throw new S3lfsException(S3lfsException.Kind.USAGE,
            modified ? "give either paths or --modified, not both" : "give a path to track, or --modified");
      }
      try (Engine engine = engine(); Progress p = progress("tracking")) {
        Result r = modified ? engine.trackModified(p) : engine.track(paths, p);
        p.close();
        return finish(engine, r, String.format("Tracked %d file(s): %d uploaded, %d copied in store, %d already stored, %d unchanged%s",
            r.total() - r.count(Action.FAILED), r.count(Action.UPLOADED), r.count(Action.COPIED),
            r.count(Action.ALREADY_STORED), r.count(Action.UNCHANGED),
            r.count(Action.UPLOADED) > 0 ? " (" + Units.human(r.bytes()) + " stored)" : ""));
      }
    }
  }

  static final class Checkout extends StoreCommand {
    List<String> paths = new ArrayList<>();
    boolean all;

    Checkout(Context context) {
      super(context);
    }

    static CommandSpec spec(Context context) {
      Checkout c = new Checkout(context);
      Spec s = new Spec(c, "Download, verify and write tracked files.",
          "Every file is verified against its recorded hash before it replaces anything; a file that "
              + "already has the right content is not downloaded. PATH is a tracked file, a directory or a "
              + "glob (quoted).",
          "",
          "Examples:",
          "  s3lfs checkout --all",
          "  s3lfs checkout data/",
          "  s3lfs checkout 'models/*.pkl'");
      c.flags.addTo(s)
          .positionals("PATH", "0..*", "Tracked files, directories or globs.", v -> c.paths = v)
          .flag("--all", "Check out every tracked file.", v -> c.all = v);
      return s.spec;
    }

    @Override
    public Integer call() {
      if (paths.isEmpty() == !all) {
        throw new S3lfsException(S3lfsException.Kind.USAGE,
            all ? "give either paths or --all, not both" : "give a path to check out, or --all");
      }
      try (Engine engine = engine(); Progress p = progress("checking out")) {
        Result r = engine.checkout(paths, p);
        p.close();
        return finish(engine, r, String.format("Checked out %d file(s): %d downloaded, %d already up to date%s",
            r.total() - r.count(Action.FAILED), r.count(Action.DOWNLOADED), r.count(Action.UP_TO_DATE),
            r.count(Action.DOWNLOADED) > 0 ? " (" + Units.human(r.bytes()) + ")" : ""));
      }
    }
  }

  static final class Ls implements Callable<Integer> {
    final Context context;
    String path;
    boolean verbose;

    Ls(Context context) {
      this.context = context;
    }

    static CommandSpec spec(Context context) {
      Ls c = new Ls(context);
      Spec s = new Spec(c, "List tracked files.",
          "One path per line, relative to the current directory, for pipes. With --verbose:",
          "hash, size on disk (or 'missing') and path, tab-separated.",
          "",
          "Examples:",
          "  s3lfs ls",
          "  s3lfs ls data/ --verbose",
          "  s3lfs ls '**/*.bin' | xargs du -h");
      s.positional("0", "PATH", "0..1", "A tracked file, directory or glob (default: all).", v -> c.path = v)
          .flag(new String[] {"-v", "--verbose"}, "Show hash and size.", v -> c.verbose = v);
      return s.spec;
    }

    @Override
    public Integer call() {
      Context ctx = context;
      Repository repo = Repository.open(ctx.cwd());
      PrintStream out = buffered(ctx.out());
      Shown display = new Shown(repo);
      try (Engine engine = Engine.open(repo, Settings.DEFAULTS)) {
        List<Engine.Tracked> tracked = engine.list(path);
        long[] sizes = verbose ? engine.sizes(tracked.stream().map(Engine.Tracked::key).toList()) : null;
        for (int i = 0; i < tracked.size(); i++) {
          Engine.Tracked t = tracked.get(i);
          String shown = display.of(t.key());
          if (verbose) {
            out.println(t.hash() + "\t" + (sizes[i] < 0 ? "missing" : Long.toString(sizes[i])) + "\t" + shown);
          } else {
            out.println(shown);
          }
        }
      } finally {
        out.flush();
      }
      return ExitCodes.OK;
    }
  }

  /**
   * Output for long listings: the process's stdout writes every line on its own (200,000 write
   * calls for an {@code ls} of 200,000 files); this one only when 64 KiB are full or on flush.
   */
  static PrintStream buffered(PrintStream out) {
    return new PrintStream(new java.io.BufferedOutputStream(out, 64 << 10), false, out.charset());
  }

  /**
   * Tracked paths as shown: relative to the current directory, {@code /}-separated. A key below
   * the current directory is cut, not resolved and relativized as a Path: for the 200,000 lines
   * of an {@code ls}, that was a sixth of the run.
   */
  static final class Shown {
    private final Repository repo;
    private final String prefix;

    Shown(Repository repo) {
      this.repo = repo;
      String here = repo.keyOf(repo.cwd());
      this.prefix = here.isEmpty() ? "" : here + "/";
    }

    String of(String key) {
      // Anything with a dot segment, an empty one or a root goes the long way, as do look-alikes.
      if (key.startsWith(prefix) && !key.startsWith("/") && !key.startsWith(".") && !key.contains("/.")
          && !key.contains("//")) {
        return quoted(key.substring(prefix.length()));
      }
      Path rel = repo.cwd().relativize(repo.pathOf(key));
      return quoted(rel.toString().replace(rel.getFileSystem().getSeparator(), "/"));
    }

    /**
     * A name as git prints one: as it is, unless it holds a control character, a double quote or
     * a backslash; then in double quotes with C escapes ({@code "a\nb.txt"}). One line per file
     * stays one line per file: a tracked name with a newline in it split ls and status output.
     */
    static String quoted(String name) {
      int i = 0; // a loop, not a stream: ls and status ask this of every name, 200,000 of them
      while (i < name.length() && !escaped(name.charAt(i))) {
        i++;
      }
      if (i == name.length()) {
        return name;
      }
      StringBuilder b = new StringBuilder(name.length() + 8).append('"').append(name, 0, i);
      for (; i < name.length(); i++) {
        char c = name.charAt(i);
        switch (c) {
          case '\n' -> b.append("\\n");
          case '\t' -> b.append("\\t");
          case '\r' -> b.append("\\r");
          case '"', '\\' -> b.append('\\').append(c);
          default -> b.append(escaped(c) ? String.format("\\%03o", (int) c) : String.valueOf(c));
        }
      }
      return b.append('"').toString();
    }

    private static boolean escaped(int c) {
      return c < 0x20 || c == 0x7f || c == '"' || c == '\\';
    }
  }

  static final class Status implements Callable<Integer> {
    final Context context;
    String path;
    boolean porcelain;
    boolean verbose;

    Status(Context context) {
      this.context = context;
    }

    static CommandSpec spec(Context context) {
      Status c = new Status(context);
      Spec s = new Spec(c, "Show tracked files that changed, went missing, or sit untracked beside them.",
          "Compares each tracked file with its recorded hash. Untracked files are reported in "
              + "directories that hold tracked files. --porcelain prints 'M path', 'D path', '? path'.",
          "",
          "Examples:",
          "  s3lfs status",
          "  s3lfs status data/ --porcelain");
      s.positional("0", "PATH", "0..1", "A tracked file, directory or glob (default: all).", v -> c.path = v)
          .flag("--porcelain", "Stable, script-friendly output.", v -> c.porcelain = v)
          .flag(new String[] {"-v", "--verbose"}, "Print full errors.", v -> c.verbose = v);
      return s.spec;
    }

    @Override
    public Integer call() {
      Context ctx = context;
      Repository repo = Repository.open(ctx.cwd());
      PrintStream out = buffered(ctx.out());
      Shown display = new Shown(repo);
      try (Engine engine = Engine.open(repo, Settings.DEFAULTS)) {
        Engine.Status s = engine.status(path);
        if (porcelain) {
          s.modified().forEach(k -> out.println("M " + display.of(k)));
          s.missing().forEach(k -> out.println("D " + display.of(k)));
          s.untracked().forEach(k -> out.println("? " + display.of(k)));
          return ExitCodes.OK;
        }
        int total = s.upToDate().size() + s.modified().size() + s.missing().size();
        if (total == 0) {
          out.println("No files are tracked by s3lfs" + (path == null ? "." : " under '" + path + "'."));
        } else {
          out.printf("%d tracked file(s): %d up to date, %d modified, %d missing%n",
              total, s.upToDate().size(), s.modified().size(), s.missing().size());
        }
        section(out, "Modified (run 's3lfs track --modified' to upload):", s.modified(), display);
        section(out, "Missing (run 's3lfs checkout --all' to restore):", s.missing(), display);
        section(out, "Untracked beside tracked files (run 's3lfs track <path>'):", s.untracked(), display);
      } finally {
        out.flush();
      }
      return ExitCodes.OK;
    }

    private static void section(PrintStream out, String title, List<String> keys, Shown display) {
      if (!keys.isEmpty()) {
        out.println(title);
        keys.forEach(k -> out.println("  " + display.of(k)));
      }
    }
  }

  static final class Remove extends StoreCommand {
    List<String> paths = new ArrayList<>();
    boolean purge;

    Remove(Context context) {
      super(context);
    }

    static CommandSpec spec(Context context) {
      Remove c = new Remove(context);
      Spec s = new Spec(c, "Stop tracking files (local files are kept).",
          "Removes entries from the manifest. Stored objects stay, so older commits can still be "
              + "checked out, unless --purge-from-s3 deletes them now (or 'cleanup' does later).",
          "",
          "Examples:",
          "  s3lfs remove data/old_file.zip",
          "  s3lfs remove data/temp/",
          "  s3lfs remove '**/*.tmp' --purge-from-s3");
      c.flags.addTo(s)
          .positionals("PATH", "1..*", "Tracked files, directories or globs.", v -> c.paths = v)
          .flag("--purge-from-s3", "Also delete the stored objects of the removed files.", v -> c.purge = v);
      return s.spec;
    }

    @Override
    public Integer call() {
      try (Engine engine = engine(); Progress p = progress("removing")) {
        Result r = engine.remove(paths, purge, p);
        p.close();
        return finish(engine, r, "Removed " + r.count(Action.REMOVED) + " file(s) from the manifest"
            + (purge ? " and deleted their stored objects" : "; stored objects kept (see s3lfs cleanup)"));
      }
    }
  }

  static final class Cleanup extends StoreCommand {
    boolean force;

    Cleanup(Context context) {
      super(context);
    }

    static CommandSpec spec(Context context) {
      Cleanup c = new Cleanup(context);
      Spec s = new Spec(c, "Delete stored objects that the manifest no longer references.",
          "Lists every object under <prefix>/assets/ that no entry of the current manifest uses, "
              + "shows them, and asks before deleting. Objects still referenced are never deleted.",
          "Note: objects used only by older git commits count as unreferenced.",
          "",
          "Examples:",
          "  s3lfs cleanup",
          "  s3lfs cleanup --force      # no prompt (CI)");
      c.flags.addTo(s)
          .flag("--force", "Delete without asking.", v -> c.force = v);
      return s.spec;
    }

    @Override
    public Integer call() throws IOException {
      Context ctx = ctx();
      try (Engine engine = engine()) {
        List<ObjectInfo> candidates = engine.unreferenced();
        if (candidates.isEmpty()) {
          ctx.out().println("No unreferenced objects found.");
          return ExitCodes.OK;
        }
        long bytes = candidates.stream().mapToLong(ObjectInfo::size).sum();
        ctx.out().println("Unreferenced objects (" + candidates.size() + ", " + Units.human(bytes) + "):");
        candidates.forEach(o -> ctx.out().println("  " + o.key()));
        if (!force) {
          ctx.err().print((candidates.size() == 1 ? "Delete this object?" : "Delete these " + candidates.size()
              + " objects?") + " [yes/no]: ");
          ctx.err().flush();
          String answer = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8)).readLine();
          if (answer == null) { // stdin closed: a script or CI job, which cannot answer
            ctx.err().println();
            throw new S3lfsException(S3lfsException.Kind.USAGE,
                "no answer on standard input; nothing was deleted (pass --force to delete without asking)");
          }
          if (!answer.strip().equalsIgnoreCase("yes") && !answer.strip().equalsIgnoreCase("y")) {
            ctx.out().println("Cleanup aborted; nothing was deleted.");
            return ExitCodes.OK;
          }
        }
        try (Progress p = progress("deleting")) {
          Result r = engine.cleanup(candidates, p);
          p.close();
          return finish(engine, r, "Deleted " + r.count(Action.DELETED) + " object(s).");
        }
      }
    }
  }
}
