package io.volumekit.core.node;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The real {@link LocalVolumeWriter}: makes emptyDir directories and writes secret, configMap,
 * downwardAPI and projected payloads under the kubelet root with Kubernetes' atomic writer.
 *
 * <p>Payloads go through the {@link AtomicWriter} (docs/cases/node-side.md row E2): a reader sees
 * either the whole old or the whole new payload.
 *
 * <p>Refuses any path outside its root. An emptyDir with {@code medium: Memory} is a tmpfs mounted
 * through the {@link TmpfsMounter} (of the size {@link LocalVolume#sizeLimitBytes()} gives), or a
 * plain directory when the mount fails, which {@link #setUpReportingFallback} reports; {@link
 * #tearDown} unmounts a tmpfs before removing the directory.
 */
public final class FileSystemVolumeWriter implements LocalVolumeWriter {

  private static final FileAttribute<Set<PosixFilePermission>> DIR_0750 = PosixFilePermissions.asFileAttribute(perms(0750));

  private final Path root;
  private final Clock clock;
  private final TmpfsMounter tmpfs;
  /** Set once a directory made with mode 0750 came out 0750: the umask needs no chmod after. */
  private volatile boolean umaskKeeps0750;

  /** A writer under the root (created on first use). */
  public FileSystemVolumeWriter(Path root) {
    this(root, Clock.systemUTC());
  }

  /**
   * A writer under the root naming its timestamped directories after the clock; memory-backed
   * emptyDirs are plain directories ({@link TmpfsMounter#unavailable}).
   */
  public FileSystemVolumeWriter(Path root, Clock clock) {
    this(root, clock, TmpfsMounter.unavailable("no tmpfs mounter is configured"));
  }

  /** A writer under the root mounting memory-backed emptyDirs with the mounter. */
  public FileSystemVolumeWriter(Path root, Clock clock, TmpfsMounter tmpfs) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tmpfs = Objects.requireNonNull(tmpfs, "tmpfs");
  }

  /** The kubelet root this writer is confined to. */
  public Path root() {
    return root;
  }

  @Override
  public void setUp(LocalVolume volume) throws IOException {
    setUpReportingFallback(volume);
  }

  @Override
  public Optional<MemoryFallback> setUpReportingFallback(LocalVolume volume) throws IOException {
    Path dir = confined(volume.path());
    Files.createDirectories(dir);
    if (volume.kind() != LocalVolume.Kind.EMPTY_DIR) {
      new AtomicWriter(clock).write(dir, volume.payload(), volume.fsGroup());
      return Optional.empty();
    }
    Optional<MemoryFallback> fallback = Optional.empty();
    if (volume.memory() && !tmpfs.isTmpfsMountPoint(dir)) { // mounted already: SetUp is idempotent
      try {
        tmpfs.mount(dir, volume.sizeLimitBytes().map(OptionalLong::of).orElse(OptionalLong.empty()));
      } catch (IOException e) {
        fallback = Optional.of(new MemoryFallback(String.valueOf(e.getMessage())));
      }
    }
    // Kubernetes chmods emptyDir to 0777 to defeat the umask (the tmpfs root too).
    Files.setPosixFilePermissions(dir, EnumSet.allOf(PosixFilePermission.class));
    if (volume.fsGroup().isPresent()) {
      setOwnership(volume.path(), volume.fsGroup().get(), false, false); // emptyDir: always, policy ignored
    }
    return fallback;
  }

  @Override
  public void tearDown(String path) throws IOException {
    Path dir = confined(path);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && tmpfs.isTmpfsMountPoint(dir)) {
      tmpfs.unmount(dir); // the kubelet's teardownTmpfsOrHugetlbfs: unmount, then remove
    }
    deleteTree(dir);
  }

  @Override
  public void setOwnership(String path, long fsGroup, boolean onRootMismatch, boolean readOnly) throws IOException {
    Path top = confined(path);
    if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    int rw = readOnly ? 0440 : 0660;
    if (onRootMismatch && rootMatches(top, fsGroup, rw)) {
      return;
    }
    Files.walkFileTree(top, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        own(d, fsGroup, rw | 0110 | 02000);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        if (attrs.isSymbolicLink()) {
          Files.setAttribute(f, "unix:gid", (int) fsGroup, LinkOption.NOFOLLOW_LINKS); // lchown, no chmod
        } else {
          own(f, fsGroup, rw);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static boolean rootMatches(Path root, long gid, int rw) throws IOException {
    int g = (Integer) Files.getAttribute(root, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) Files.getAttribute(root, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    int want = Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS) ? rw | 0110 | 02000 : rw;
    return g == gid && (mode & want) == want;
  }

  private static void own(Path p, long gid, int mask) throws IOException {
    Files.setAttribute(p, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:mode", (mode | mask) & 07777, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void makeReadOnly(String path) throws IOException {
    ReadOnlyTrees.makeReadOnly(confined(path));
  }

  @Override
  public void makeDirectory(String path) throws IOException {
    Path dir = confined(path);
    // One mkdir in the usual case (the directory is new): create it with mode 0750 directly and
    // only make the parents when that fails. The chmod that defeats the umask is skipped once one
    // directory made here has been seen to come out 0750 (the umask leaves 0750 alone).
    try {
      Files.createDirectory(dir, DIR_0750);
    } catch (FileAlreadyExistsException e) {
      if (Files.isDirectory(dir)) {
        return;
      }
      throw e;
    } catch (NoSuchFileException e) {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, DIR_0750);
      } catch (FileAlreadyExistsException again) {
        if (Files.isDirectory(dir)) {
          return;
        }
        throw again;
      }
    }
    if (!umaskKeeps0750) {
      if (Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(perms(0750))) {
        umaskKeeps0750 = true;
      } else {
        Files.setPosixFilePermissions(dir, perms(0750));
      }
    }
  }

  /**
   * Kubernetes' hostPath {@code checkType}, on the host's own path (not confined to the kubelet
   * root: a hostPath volume names a host path); see {@link HostPathChecks}.
   */
  @Override
  public void setUpHostPath(String path, String type) throws IOException {
    HostPathChecks.setUp(path, type);
  }

  /** A walk of the volume (see {@link DiskUsage}); the path must be under the root. */
  @Override
  public long usedBytes(String path) throws IOException {
    return DiskUsage.usedBytes(confined(path));
  }

  @Override
  public void pruneEmptyDirectories(String path) throws IOException {
    Path top = confined(path);
    if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    prune(top);
  }

  /**
   * Removes {@code dir} if it is empty, else first the empty directories below it. Tries the rmdir
   * first (one syscall for the usual empty leaf) and only lists the directory when it is not empty;
   * symbolic links and files are never followed nor removed.
   *
   * @return whether {@code dir} was removed
   */
  private static boolean prune(Path dir) throws IOException {
    if (tryRemoveDirectory(dir)) {
      return true;
    }
    boolean removedAny = false;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          removedAny |= prune(entry);
        }
      }
    } catch (NoSuchFileException gone) {
      return true; // removed concurrently
    }
    return removedAny && tryRemoveDirectory(dir);
  }

  /** Removes a directory known to be one; false (nothing changed) when it is not empty. */
  private static boolean tryRemoveDirectory(Path dir) throws IOException {
    try {
      Files.delete(dir);
      return true;
    } catch (DirectoryNotEmptyException notEmpty) {
      return false;
    } catch (NoSuchFileException gone) {
      return true;
    } catch (FileSystemException e) {
      // e.g. EBUSY on a mount point: only a non-empty directory is simply kept, as before.
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        if (entries.iterator().hasNext()) {
          return false;
        }
      }
      throw e;
    }
  }

  private Path confined(String path) throws IOException {
    Path p = Path.of(path).toAbsolutePath().normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new IOException("refusing to write outside the kubelet root " + root + ": " + path);
    }
    return p;
  }

  static Set<PosixFilePermission> perms(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(order[i]);
      }
    }
    return s;
  }

  static int modeOf(Set<PosixFilePermission> perms) {
    int mode = 0;
    for (int i = 0; i < 9; i++) {
      if (perms.containsAll(perms(1 << i))) {
        mode |= 1 << i;
      }
    }
    return mode;
  }

  static void deleteTree(Path dir) throws IOException {
    if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(dir);
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        ReadOnlyTrees.makeOwnerWritable(d); // an image volume's directories are 0555
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        Files.delete(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        try {
          Files.delete(d);
        } catch (NoSuchFileException ignored) {
          // already gone
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** The names in a directory (for tests and diagnostics). */
  static Set<String> list(Path dir) throws IOException {
    Set<String> out = new java.util.TreeSet<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        out.add(p.getFileName().toString());
      }
    }
    return out;
  }
}
