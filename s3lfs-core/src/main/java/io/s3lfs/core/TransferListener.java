package io.s3lfs.core;

/**
 * Receives progress from long operations. Core reports; the command line renders. Called from
 * worker threads: implementations must be thread-safe and quick.
 */
public interface TransferListener {
  /** A listener that ignores everything. */
  TransferListener NONE = new TransferListener() {};

  /** What happened to one file. */
  enum Action {
    /** Bytes were sent to the store. */
    UPLOADED,
    /** The store already held the bytes at this path; nothing sent. */
    ALREADY_STORED,
    /** Identical content stored for another path was copied inside the store. */
    COPIED,
    /** The manifest already had this content for this path; nothing to do. */
    UNCHANGED,
    /** Bytes were fetched and the file written. */
    DOWNLOADED,
    /** The file on disk already had the right content. */
    UP_TO_DATE,
    /** The entry was removed from the manifest. */
    REMOVED,
    /** An object was deleted from the store. */
    DELETED,
    /** The file could not be processed; see the message. */
    FAILED
  }

  /**
   * A snapshot of overall progress.
   *
   * @param filesDone files finished (in any way)
   * @param filesTotal files in this operation
   * @param bytesDone bytes of finished and in-progress files processed so far
   * @param bytesTotal bytes in this operation, when known (0 otherwise)
   */
  record Progress(long filesDone, long filesTotal, long bytesDone, long bytesTotal) {}

  /** Called when the operation starts, with its size. */
  default void started(Progress total) {}

  /** Called as bytes move; may be called very often. */
  default void progress(Progress now) {}

  /**
   * Called once per file when it is finished.
   *
   * @param key the file's manifest key
   * @param action what happened
   * @param detail a short human detail (sizes, the error), may be empty
   */
  default void file(String key, Action action, String detail) {}
}
