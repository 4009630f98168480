package io.volumekit.core.node;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kubernetes' atomic writer ({@code pkg/volume/util/atomic_writer.go}) for secret, configMap,
 * downwardAPI and projected payloads: the files live in a hidden timestamped directory {@code
 * ..YYYY_MM_DD_HH_MM_SS.<random>}; {@code ..data} is a symlink to it; each top-level name is a
 * symlink {@code name -> ..data/name}. An update writes a new directory, points {@code ..data_tmp}
 * at it and renames that over {@code ..data}, then fixes the top-level links and removes the old
 * directory, so a reader sees the whole old or the whole new payload. An unchanged payload writes
 * nothing.
 */
final class AtomicWriter {

  static final String DATA_DIR = "..data";
  static final String DATA_TMP = "..data_tmp";
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss").withZone(ZoneOffset.UTC);

  private final Clock clock;

  /** A writer naming its timestamped directories after the clock. */
  AtomicWriter(Clock clock) {
    this.clock = clock;
  }

  /** Validates a payload path as the atomic writer's {@code validatePath} does. */
  static void validatePath(String path) throws IOException {
    if (path.isEmpty()) {
      throw new IOException("invalid path: must not be empty");
    }
    if (path.startsWith("/")) {
      throw new IOException("invalid path: must be relative path: " + path);
    }
    if (path.length() > 4096) {
      throw new IOException("invalid path: must be less than or equal to 4096 characters");
    }
    String[] items = path.split("/");
    for (String item : items) {
      if (item.equals("..")) {
        throw new IOException("invalid path: must not contain '..': " + path);
      }
      if (item.length() > 255) {
        throw new IOException("invalid path: path elements must be less than or equal to 255 characters");
      }
    }
    if (items[0].startsWith("..")) {
      throw new IOException("invalid path: must not start with '..': " + path);
    }
  }

  void write(Path dir, Map<String, PayloadFile> payload, Optional<Long> fsGroup) throws IOException {
    Map<String, PayloadFile> clean = new TreeMap<>();
    for (Map.Entry<String, PayloadFile> e : payload.entrySet()) {
      validatePath(e.getKey());
      clean.put(Path.of(e.getKey()).normalize().toString(), e.getValue());
    }
    Path dataLink = dir.resolve(DATA_DIR);
    Path oldDir = null;
    if (Files.isSymbolicLink(dataLink)) {
      Path target = dir.resolve(Files.readSymbolicLink(dataLink)).normalize();
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        oldDir = target;
      }
    }
    Set<String> oldTop = new HashSet<>();
    if (oldDir != null) {
      Map<String, PayloadFile> old = readTree(oldDir);
      if (old.equals(clean)) {
        return; // nothing changed, nothing to remove
      }
      for (String p : old.keySet()) {
        oldTop.add(p.split("/")[0]);
      }
    }
    String prefix = ".." + TS.format(clock.instant()) + ".";
    Path newDir = Files.createTempDirectory(dir, prefix);
    Files.setPosixFilePermissions(newDir, FileSystemVolumeWriter.perms(0755));
    for (Map.Entry<String, PayloadFile> e : clean.entrySet()) {
      Path f = newDir.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.write(f, e.getValue().data());
      Files.setPosixFilePermissions(f, FileSystemVolumeWriter.perms(e.getValue().mode()));
    }
    if (fsGroup.isPresent()) {
      long gid = fsGroup.get();
      Files.walkFileTree(newDir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
          setGroup(d, gid);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
          setGroup(f, gid);
          return FileVisitResult.CONTINUE;
        }
      });
    }
    Path tmpLink = dir.resolve(DATA_TMP);
    Files.deleteIfExists(tmpLink);
    Files.createSymbolicLink(tmpLink, newDir.getFileName());
    Files.move(tmpLink, dataLink, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Set<String> newTop = new HashSet<>();
    for (String p : clean.keySet()) {
      newTop.add(p.split("/")[0]);
    }
    for (String top : newTop) {
      Path link = dir.resolve(top);
      if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.createSymbolicLink(link, Path.of(DATA_DIR, top));
        } catch (FileAlreadyExistsException ignored) {
          // made concurrently: it points to the same place
        }
      }
    }
    for (String top : oldTop) {
      if (!newTop.contains(top)) {
        Path link = dir.resolve(top);
        if (Files.isSymbolicLink(link)) {
          Files.delete(link);
        }
      }
    }
    if (oldDir != null) {
      FileSystemVolumeWriter.deleteTree(oldDir);
    }
  }

  private static Map<String, PayloadFile> readTree(Path base) throws IOException {
    Map<String, PayloadFile> out = new TreeMap<>();
    Files.walkFileTree(base, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) {
          int mode = FileSystemVolumeWriter.modeOf(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS));
          out.put(base.relativize(f).toString(), new PayloadFile(Files.readAllBytes(f), mode));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return out;
  }

  private static void setGroup(Path p, long gid) throws IOException {
    GroupPrincipal g = p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(Long.toString(gid));
    Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(g);
  }
}
