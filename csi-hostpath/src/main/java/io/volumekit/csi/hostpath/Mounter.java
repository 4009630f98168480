package io.volumekit.csi.hostpath;

import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a volume directory appear at a staging or target path and removes it again: real bind
 * mounts (what the kubernetes-csi hostpath driver does) or, where the process may not mount,
 * symlinks. Every operation looks at what is on the host (the mount table, the path) rather than
 * at the driver's records, so it can be repeated after a crash left it half done: publishing a
 * path already mounted only fixes its read-only flag, unpublishing removes whatever is mounted at
 * the path, however many layers, and then the path itself, as the kubelet's mount cleanup does.
 */
final class Mounter {
  private static final Logger LOG = LoggerFactory.getLogger(Mounter.class);

  /** "bind" or "symlink". */
  private final String how;
  private final Syscalls sys;

  private Mounter(Syscalls sys, String how) {
    this.sys = sys;
    this.how = how;
  }

  static Mounter create(HostPathConfig.MountMode mode, Path scratch, Syscalls sys) {
    return switch (mode) {
      case BIND -> new Mounter(sys, "bind");
      case SYMLINK -> new Mounter(sys, "symlink");
      case AUTO -> new Mounter(sys, canBindMount(scratch, sys) ? "bind" : "symlink");
    };
  }

  String how() {
    return how;
  }

  /** Tries a bind mount between two scratch directories; true when it worked. */
  private static boolean canBindMount(Path scratch, Syscalls sys) {
    Path src = scratch.resolve("probe-src");
    Path dst = scratch.resolve("probe-dst");
    try {
      Files.createDirectories(src);
      Files.createDirectories(dst);
      sys.bindMount(src, dst);
      sys.unmount(dst);
      return true;
    } catch (IOException | CsiException e) {
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

  /**
   * Publishes {@code source} at {@code target} (created here), read-only when asked. Idempotent:
   * a mount already there is kept and only remounted when its read-only flag differs.
   */
  void publish(Path source, Path target, boolean readonly, String how) {
    try {
      if ("bind".equals(how)) {
        if (!Files.isDirectory(target)) {
          sys.createDirectory(target);
        }
        if (!sys.mountTable().isMountPoint(target)) {
          sys.bindMount(source, target);
        }
        if (sys.mountTable().isReadOnly(target) != readonly) {
          sys.remount(target, readonly);
        }
      } else {
        if (Files.isSymbolicLink(target)) {
          if (Files.readSymbolicLink(target).equals(source)) {
            return;
          }
          sys.delete(target); // a link to something else: replace it
        }
        sys.createSymbolicLink(target, source);
      }
    } catch (IOException e) {
      throw new CsiException(CsiCode.INTERNAL, "cannot publish at " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stages {@code source} at {@code staging}: the directory (the CO's job, created here when
   * missing) and, in bind mode, a bind mount there, as the kubelet's global mount of a staged
   * volume; nothing more in symlink mode (the CO's directory cannot become a link). Idempotent.
   */
  void stage(Path source, Path staging, String how) {
    try {
      createDirectories(staging);
      if ("bind".equals(how) && !sys.mountTable().isMountPoint(staging)) {
        sys.bindMount(source, staging);
      }
    } catch (IOException e) {
      throw new CsiException(CsiCode.INTERNAL, "cannot stage at " + staging + ": " + e.getMessage(), e);
    }
  }

  /** Creates {@code dir} and its missing parents, one mkdir each. */
  void createDirectories(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) {
      return;
    }
    if (abs.getParent() != null) {
      createDirectories(abs.getParent());
    }
    sys.createDirectory(abs);
  }

  /** Unmounts everything mounted at {@code path}, newest first; the directory stays. */
  void unmountAll(Path path) {
    while (sys.mountTable().isMountPoint(path)) {
      sys.unmount(path);
    }
  }

  /**
   * Removes what {@link #publish} created at {@code target}, whatever the records say: a symlink,
   * or every mount at the path and then the (empty) directory. Nothing when the path is gone.
   */
  void unpublish(Path target) {
    try {
      if (Files.isSymbolicLink(target)) {
        sys.delete(target);
        return;
      }
      unmountAll(target);
      if (Files.isDirectory(target)) {
        try (var entries = Files.list(target)) {
          if (entries.findAny().isPresent()) {
            throw new CsiException(CsiCode.INTERNAL, "target " + target + " is not empty after unmount; leaving it");
          }
        }
        sys.delete(target);
      }
    } catch (IOException e) {
      throw new CsiException(CsiCode.INTERNAL, "cannot unpublish " + target + ": " + e.getMessage(), e);
    }
  }

  /** Whether the target shows the volume: a mount point, or the symlink exists. */
  boolean isPublished(MountTable table, Path target, String how) {
    return "bind".equals(how) ? table.isMountPoint(target) : Files.isSymbolicLink(target);
  }

  /** Whether the staging path holds the volume; always true for a stage that mounts nothing. */
  boolean isStaged(MountTable table, Path staging, String how) {
    return !"bind".equals(how) || table.isMountPoint(staging);
  }

  /** Whether a bind-mounted publication has the read-only flag asked for (symlinks cannot). */
  boolean hasReadOnlyFlag(MountTable table, Path target, String how, boolean readonly) {
    return !"bind".equals(how) || table.isReadOnly(target) == readonly;
  }

  MountTable mountTable() {
    return sys.mountTable();
  }
}
