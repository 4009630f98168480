package io.volumekit.csi.hostpath;

import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes the driver makes to the host, one method per system call (or per {@code mount(8)}
 * run): directories, symlinks, state files, bind mounts. The driver's node RPCs and its deletions
 * go through this port only, so a test can stop the driver between any two of them, as a SIGKILL
 * would, and check that a restarted driver recovers. Reading the mount table changes nothing and
 * is not a step.
 */
interface Syscalls {

  /** mkdir(2) of one directory whose parent exists. */
  void createDirectory(Path dir) throws IOException;

  /** symlink(2). */
  void createSymbolicLink(Path link, Path target) throws IOException;

  /** unlink(2) or rmdir(2); nothing when the path does not exist. */
  void delete(Path path) throws IOException;

  /** open(2), write(2) and fsync(2) of a whole file, replacing its content. */
  void writeSynced(Path file, byte[] bytes) throws IOException;

  /** rename(2) over {@code to}, atomically. */
  void rename(Path from, Path to) throws IOException;

  /** {@code mount --bind source target}. */
  void bindMount(Path source, Path target);

  /** {@code mount -o remount,bind,ro|rw target}. */
  void remount(Path target, boolean readOnly);

  /** {@code umount target}: removes the topmost mount at the path. */
  void unmount(Path target);

  /** The mount table of this process now ({@code /proc/self/mountinfo}). */
  MountTable mountTable();

  /** The real operations of a Linux host. */
  static Syscalls linux() {
    return Linux.INSTANCE;
  }

  /** {@link Syscalls} on the real host: java.nio for files, {@code mount(8)}/{@code umount(8)} for mounts. */
  final class Linux implements Syscalls {
    static final Linux INSTANCE = new Linux();
    private static final Logger LOG = LoggerFactory.getLogger(Linux.class);

    private Linux() {}

    @Override
    public void createDirectory(Path dir) throws IOException {
      Files.createDirectory(dir);
    }

    @Override
    public void createSymbolicLink(Path link, Path target) throws IOException {
      Files.createSymbolicLink(link, target);
    }

    @Override
    public void delete(Path path) throws IOException {
      Files.deleteIfExists(path);
    }

    @Override
    public void writeSynced(Path file, byte[] bytes) throws IOException {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
      try {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    }

    @Override
    public void bindMount(Path source, Path target) {
      check(run("mount", "--bind", source.toString(), target.toString()), "mount --bind", target);
    }

    @Override
    public void remount(Path target, boolean readOnly) {
      check(run("mount", "-o", readOnly ? "remount,bind,ro" : "remount,bind,rw", target.toString()),
          "remount " + (readOnly ? "read-only" : "read-write"), target);
    }

    @Override
    public void unmount(Path target) {
      check(run("umount", target.toString()), "umount", target);
    }

    @Override
    public MountTable mountTable() {
      return MountTable.read();
    }

    private static void check(int exit, String what, Path target) {
      if (exit != 0) {
        throw new CsiException(CsiCode.INTERNAL, what + " of " + target + " failed with exit code " + exit);
      }
    }

    private static int run(String... command) {
      List<String> cmd = List.of(command);
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new CsiException(CsiCode.DEADLINE_EXCEEDED, String.join(" ", cmd) + " did not finish in 30 s");
        }
        if (p.exitValue() != 0) {
          LOG.warn("{} exited with {}: {}", String.join(" ", cmd), p.exitValue(), output);
        }
        return p.exitValue();
      } catch (IOException e) {
        throw new CsiException(CsiCode.INTERNAL, "cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CsiException(CsiCode.ABORTED, "interrupted while running " + cmd.get(0), e);
      }
    }
  }
}
