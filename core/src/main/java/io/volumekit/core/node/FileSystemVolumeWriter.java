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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The real {@link LocalVolumeWriter}: makes emptyDir directories and writes secret, configMap,
 * downwardAPI and projected payloads under the kubelet root with Kubernetes' atomic writer.
 *
 * <p>The atomic writer ({@code pkg/volume/util/atomic_writer.go}, docs/cases/node-side.md row E2): the
 * files live in a hidden timestamped directory {@code ..YYYY_MM_DD_HH_MM_SS.<random>}; {@code
 * ..data} is a symlink to it; each top-level user-visible name is a symlink {@code name ->
 * ..data/name}. An update writes a new timestamped directory, points {@code ..data_tmp} at it and
 * renames that over {@code ..data} (atomic on POSIX), then fixes the top-level links and removes
 * the old directory: a reader sees either the whole old or the whole new payload. An unchanged
 * payload writes nothing.
 *
 * <p>Refuses any path outside its root. An emptyDir with {@code medium: Memory} is a tmpfs mounted
 * through the {@link TmpfsMounter} (of the size {@link LocalVolume#sizeLimitBytes()} gives), or a
 * plain directory when the mount fails, which {@link #setUpReportingFallback} reports; {@link
 * #tearDown} unmounts a tmpfs before removing the directory.
 */
public final class FileSystemVolumeWriter implements LocalVolumeWriter {

  static final String DATA_DIR = "..data";
  static final String DATA_TMP = "..data_tmp";
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss").withZone(ZoneOffset.UTC);

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
      write(dir, volume.payload(), volume);
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

  private void write(Path dir, Map<String, PayloadFile> payload, LocalVolume volume) throws IOException {
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
    Files.setPosixFilePermissions(newDir, perms(0755));
    for (Map.Entry<String, PayloadFile> e : clean.entrySet()) {
      Path f = newDir.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.write(f, e.getValue().data());
      Files.setPosixFilePermissions(f, perms(e.getValue().mode()));
    }
    if (volume.fsGroup().isPresent()) {
      long gid = volume.fsGroup().get();
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
      deleteTree(oldDir);
    }
  }

  private static Map<String, PayloadFile> readTree(Path base) throws IOException {
    Map<String, PayloadFile> out = new TreeMap<>();
    Files.walkFileTree(base, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) {
          int mode = modeOf(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS));
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

  private static void deleteTree(Path dir) throws IOException {
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
