package io.volumekit.core.node;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Read-only trees for image volumes: the chmods, and undoing them so a teardown can delete. */
final class ReadOnlyTrees {

  private static final Set<PosixFilePermission> R = PosixFilePermissions.fromString("r--r--r--");
  private static final Set<PosixFilePermission> RX = PosixFilePermissions.fromString("r-xr-xr-x");

  private ReadOnlyTrees() {}

  /** Files 0444, directories 0555, bottom-up; links untouched. */
  static void makeReadOnly(Path top) throws IOException {
    if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(top, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) {
          PosixFileAttributeView v = view(f);
          if (v != null) {
            v.setPermissions(R); // no execute bits: Kubernetes mounts image volumes noexec
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        PosixFileAttributeView v = view(d);
        if (v != null) {
          v.setPermissions(RX);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Gives the owner write permission on a directory that lacks it (so its entries can be deleted). */
  static void makeOwnerWritable(Path dir) throws IOException {
    PosixFileAttributeView v = view(dir);
    if (v == null) {
      return;
    }
    Set<PosixFilePermission> perms = v.readAttributes().permissions();
    if (!perms.contains(PosixFilePermission.OWNER_WRITE)) {
      perms.add(PosixFilePermission.OWNER_WRITE);
      v.setPermissions(perms);
    }
  }

  private static PosixFileAttributeView view(Path p) {
    return Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
  }
}
