package io.s3lfs.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Where one run of the command reads and writes: its directory and streams.
 *
 * @param cwd the directory user paths are relative to
 * @param in user input (the cleanup prompt)
 * @param out results
 * @param err errors and progress
 * @param terminal whether progress may be drawn
 * @param env environment variables
 * @param interrupts where the running engine is registered for Ctrl-C
 */
record Context(Path cwd, InputStream in, PrintStream out, PrintStream err, boolean terminal,
    java.util.Map<String, String> env, Interrupts interrupts) {
  Context(java.nio.file.Path cwd, InputStream in, PrintStream out, PrintStream err, boolean terminal,
      java.util.Map<String, String> env) {
    this(cwd, in, out, err, terminal, env, Interrupts.none());
  }
}
