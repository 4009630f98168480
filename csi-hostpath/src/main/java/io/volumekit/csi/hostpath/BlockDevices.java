package io.volumekit.csi.hostpath;

import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Raw block volumes of the hostpath driver, served as loop devices as upstream csi-driver-host-path
 * does: a volume of {@code volumeMode: Block} is a sparse backing file of its capacity in the
 * volume directory, attached to a loop device ({@code losetup}) when it is published; the target
 * path is a symlink to the device node. Needs root, {@code losetup} and {@code /dev/loop-control};
 * without them {@link #unavailable()} says why and the driver refuses block capabilities.
 */
final class BlockDevices {

  /** The backing file's name inside a block volume's directory. */
  static final String BACKING_FILE = "block.img";

  private BlockDevices() {}

  /** Why block volumes cannot be served on this host, or empty when they can. */
  static Optional<String> unavailable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("loop devices need root and the driver runs as " + System.getProperty("user.name"));
    }
    if (!Files.exists(Path.of("/dev/loop-control"))) {
      return Optional.of("/dev/loop-control does not exist (no loop device support)");
    }
    if (losetupPath().isEmpty()) {
      return Optional.of("losetup is not on the PATH");
    }
    return Optional.empty();
  }

  private static Optional<Path> losetupPath() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/sbin:/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, "losetup");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    for (String dir : List.of("/usr/sbin", "/sbin")) {
      Path p = Path.of(dir, "losetup");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Throws {@code code} saying why, when the capability is block and block is unavailable. */
  static void requireAvailable(boolean block, String field, CsiCode code) {
    if (block) {
      unavailable().ifPresent(why -> {
        throw new CsiException(code, field + ": block access is not available from " + HostPathDriver.DRIVER_NAME
            + " on this node: " + why);
      });
    }
  }

  /** The backing file of the block volume whose directory is {@code dir}. */
  static Path backingFile(Path dir) {
    return dir.resolve(BACKING_FILE);
  }

  /** Creates the sparse backing file of {@code size} bytes in {@code dir}. */
  static void create(Path dir, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(backingFile(dir).toFile(), "rw")) {
      f.setLength(size);
    }
  }

  /** Whether {@code dir} holds a block volume (a backing file). */
  static boolean isBlock(Path dir) {
    return Files.isRegularFile(backingFile(dir));
  }

  /** The loop device the backing file is attached to, attaching it to a free one if none is. */
  static Path attach(Path dir) {
    Path file = backingFile(dir);
    List<String> attached = attachedDevices(file);
    if (!attached.isEmpty()) {
      return Path.of(attached.get(0));
    }
    String out = run("losetup", "--find", "--show", file.toString()).trim();
    if (!out.startsWith("/dev/")) {
      throw new CsiException(CsiCode.INTERNAL, "losetup did not attach " + file + ": " + out);
    }
    return Path.of(out);
  }

  /** Detaches every loop device the backing file is attached to; nothing when there is none. */
  static void detach(Path dir) {
    Path file = backingFile(dir);
    if (!Files.exists(file)) {
      return;
    }
    for (String dev : attachedDevices(file)) {
      run("losetup", "--detach", dev);
    }
  }

  private static List<String> attachedDevices(Path file) {
    List<String> out = new ArrayList<>();
    for (String line : run("losetup", "--associated", file.toString()).split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.startsWith("/dev/")) {
        out.add(line.substring(0, colon));
      }
    }
    return out;
  }

  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      if (rc != 0) {
        throw new CsiException(CsiCode.INTERNAL, String.join(" ", cmd) + " failed (exit " + rc + "): " + out.trim());
      }
      return out;
    } catch (IOException e) {
      throw new CsiException(CsiCode.INTERNAL, String.join(" ", cmd) + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CsiException(CsiCode.ABORTED, String.join(" ", cmd) + " was interrupted", e);
    }
  }
}
