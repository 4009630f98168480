package io.volumekit.csi.hostpath;

import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a volume directory appear at a target path and removes it again: real bind mounts through
 * {@code mount(8)} (what the kubernetes-csi hostpath driver does) or, where the process may not
 * mount, a symlink.
 */
final class Mounter {
  private static final Logger LOG = LoggerFactory.getLogger(Mounter.class);

  /** "bind" or "symlink". */
  private final String how;

  private Mounter(String how) {
    this.how = how;
  }

  static Mounter create(HostPathConfig.MountMode mode, Path scratch) {
    return switch (mode) {
      case BIND -> new Mounter("bind");
      case SYMLINK -> new Mounter("symlink");
      case AUTO -> new Mounter(canBindMount(scratch) ? "bind" : "symlink");
    };
  }

  String how() {
    return how;
  }

  /** Tries a bind mount between two scratch directories; true when it worked. */
  private static boolean canBindMount(Path scratch) {
    Path src = scratch.resolve("probe-src");
    Path dst = scratch.resolve("probe-dst");
    try {
      Files.createDirectories(src);
      Files.createDirectories(dst);
      if (run("mount", "--bind", src.toString(), dst.toString()) != 0) {
        return false;
      }
      run("umount", dst.toString());
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.info("bind mounts not available ({}); publishing volumes as symlinks", e.toString());
      return false;
    } finally {
      try {
        Files.deleteIfExists(dst);
        Files.deleteIfExists(src);
      } catch (IOException e) {
        LOG.debug("could not remove probe directories: {}", e.toString());
      }
    }
  }

  /** Publishes {@code source} at {@code target} (created here), read-only when asked. */
  void publish(Path source, Path target, boolean readonly, String how) {
    try {
      if ("bind".equals(how)) {
        Files.createDirectories(target);
        if (!isMountPoint(target)) {
          check(run("mount", "--bind", source.toString(), target.toString()), "mount --bind", target);
          if (readonly) {
            check(run("mount", "-o", "remount,bind,ro", target.toString()), "remount read-only", target);
          }
        }
      } else {
        if (!Files.isSymbolicLink(target)) {
          Files.createSymbolicLink(target, source);
        }
      }
    } catch (IOException e) {
      throw new CsiException(CsiCode.INTERNAL, "cannot publish at " + target + ": " + e.getMessage(), e);
    }
  }

  /** Removes what {@link #publish} created at {@code target}. */
  void unpublish(Path target) {
    try {
      if (Files.isSymbolicLink(target)) {
        Files.delete(target);
        return;
      }
      while (isMountPoint(target)) {
        check(run("umount", target.toString()), "umount", target);
      }
      if (Files.isDirectory(target)) {
        try (var entries = Files.list(target)) {
          if (entries.findAny().isPresent()) {
            throw new CsiException(CsiCode.INTERNAL, "target " + target + " is not empty after unmount; leaving it");
          }
        }
        Files.delete(target);
      }
    } catch (IOException e) {
      throw new CsiException(CsiCode.INTERNAL, "cannot unpublish " + target + ": " + e.getMessage(), e);
    }
  }

  /** Whether the target currently shows the volume (a mount point, or a symlink that resolves). */
  boolean isPublished(Path target, String how) {
    return "bind".equals(how) ? isMountPoint(target) : Files.isSymbolicLink(target) && Files.exists(target);
  }

  /** Whether {@code path} is a mount point, read from /proc/self/mountinfo. */
  static boolean isMountPoint(Path path) {
    Path mountinfo = Path.of("/proc/self/mountinfo");
    if (!Files.isReadable(mountinfo)) {
      return false;
    }
    String wanted = path.toAbsolutePath().normalize().toString();
    try {
      for (String line : Files.readAllLines(mountinfo, StandardCharsets.UTF_8)) {
        String[] f = line.split(" ");
        if (f.length > 4 && unescape(f[4]).equals(wanted)) {
          return true;
        }
      }
    } catch (IOException e) {
      throw new CsiException(CsiCode.INTERNAL, "cannot read " + mountinfo + ": " + e.getMessage(), e);
    }
    return false;
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static void check(int exit, String what, Path target) {
    if (exit != 0) {
      throw new CsiException(CsiCode.INTERNAL, what + " of " + target + " failed with exit code " + exit);
    }
  }

  private static int run(String... command) {
    List<String> cmd = new ArrayList<>(List.of(command));
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
