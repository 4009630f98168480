package io.volumekit.cli.state;

import io.volumekit.cli.error.CliException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The directory holding one volumekit state, opened for exclusive use.
 *
 * <p>Like an API server owning its etcd, one process at a time owns a state: {@link #open} takes
 * an exclusive {@link FileLock} on {@code <dir>/lock}, waiting a bounded time for another
 * process to finish, then refusing with a clear message. The operating system releases the lock
 * when the process dies, even by {@code kill -9}.
 *
 * <p>Files are replaced atomically ({@link #write}): the new content goes to a temporary file in
 * the same directory, is forced to disk, renamed over the old file, and the directory itself is
 * forced, so a crash at any point leaves the old or the new content, never a mix. Temporary files
 * left by a crashed writer are removed the next time the state is opened.
 */
public final class StateDirectory implements AutoCloseable {

  /** The name of the lock file inside the state directory. */
  public static final String LOCK_FILE = "lock";

  private static final String TEMP_PREFIX = ".tmp-";

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private StateDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * The state directory the user chose: {@code --state}, else {@code $VOLUMEKIT_HOME}, else {@code
   * ./.volumekit}.
   */
  public static Path resolve(Optional<Path> option, Map<String, String> env) {
    return option
        .or(() -> Optional.ofNullable(env.get("VOLUMEKIT_HOME")).filter(s -> !s.isEmpty()).map(Path::of))
        .orElse(Path.of(".volumekit"))
        .toAbsolutePath()
        .normalize();
  }

  /**
   * Creates the directory if needed and locks it, waiting at most {@code wait} for another
   * process holding it.
   *
   * @throws CliException when the lock is still held after {@code wait}
   */
  public static StateDirectory open(Path dir, Duration wait) {
    try {
      Files.createDirectories(dir);
      FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      long deadline = System.nanoTime() + wait.toNanos();
      long pause = 5;
      while (true) {
        FileLock lock = tryLock(channel);
        if (lock != null) {
          StateDirectory state = new StateDirectory(dir, channel, lock);
          state.writeOwner();
          state.removeStaleTemporaries();
          return state;
        }
        if (System.nanoTime() >= deadline) {
          String owner = readOwner(channel);
          channel.close();
          throw CliException.error("the state in " + dir + " is in use by another volumekit process"
              + owner + "; waited " + wait.toSeconds() + "s for " + dir.resolve(LOCK_FILE)
              + " (retry when it has finished)");
        }
        Thread.sleep(pause); // polling: FileChannel.lock cannot be given a timeout
        pause = Math.min(100, pause * 2);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the state directory " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.error("interrupted while waiting for the state lock in " + dir);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this very JVM (another command in a test): wait like for another process
    }
  }

  private void writeOwner() throws IOException {
    byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    lockChannel.truncate(0);
    lockChannel.write(ByteBuffer.wrap(pid), 0);
  }

  private static String readOwner(FileChannel channel) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(32);
      int n = channel.read(buf, 0);
      String pid = n <= 0 ? "" : new String(buf.array(), 0, n, java.nio.charset.StandardCharsets.US_ASCII).strip();
      return pid.matches("[0-9]+") ? " (pid " + pid + ")" : "";
    } catch (IOException e) {
      return "";
    }
  }

  private void removeStaleTemporaries() throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
      for (Path p : s) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The directory. */
  public Path path() {
    return dir;
  }

  /** The content of the file, if it exists. */
  public Optional<byte[]> read(String name) {
    try {
      return Optional.of(Files.readAllBytes(dir.resolve(name)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve(name), e);
    }
  }

  /** Replaces the file's content atomically and durably (temporary file, fsync, rename, fsync of the directory). */
  public void write(String name, byte[] content) {
    if (!lock.isValid()) {
      throw new IllegalStateException("the state lock of " + dir + " is no longer held");
    }
    Path target = dir.resolve(name);
    Path temp = dir.resolve(TEMP_PREFIX + name + "-" + ProcessHandle.current().pid());
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          out.write(buf);
        }
        out.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  private void forceDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open a directory for reading; the rename is still atomic there.
      if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
        throw e;
      }
    }
  }

  /** Releases the lock. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the state lock of " + dir, e);
    } finally {
      try {
        lockChannel.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close the state lock of " + dir, e);
      }
    }
  }
}
