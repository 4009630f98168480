package io.volumekit.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A memory-backed emptyDir: a real tmpfs when the process may mount, a reported plain directory otherwise. */
class TmpfsEmptyDirTest {

  @TempDir
  Path root;

  private static boolean root() throws IOException {
    return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
  }

  @Test
  void memoryEmptyDirIsARealTmpfsOfTheSizeAndTearDownUnmountsIt() throws IOException {
    // Skipped only when not root; as root (CI runs as root) a failed mount fails the test.
    assumeTrue(root(), "mounting a tmpfs needs root");
    TmpfsMounter mounter = TmpfsMounter.system();
    FileSystemVolumeWriter w = new FileSystemVolumeWriter(root, Clock.systemUTC(), mounter);
    Path dir = root.resolve("pods/uid-1/volumes/kubernetes.io~empty-dir/shm");
    long size = 4L * 1024 * 1024;
    try {
      Optional<MemoryFallback> fallback = w.setUpReportingFallback(
          LocalVolume.emptyDir(dir.toString(), true, Optional.of(size), Optional.empty()));
      assertThat(fallback).isEmpty();
      assertThat(mounter.isTmpfsMountPoint(dir)).isTrue();
      assertThat(Files.getFileStore(dir).type()).isEqualTo("tmpfs");
      assertThat(Files.getFileStore(dir).getTotalSpace()).isEqualTo(size);
      assertThat(FileSystemVolumeWriter.modeOf(Files.getPosixFilePermissions(dir))).isEqualTo(0777);
      Files.writeString(dir.resolve("data"), "x");
      // SetUp again (a rewrite): still one mount, the data kept
      assertThat(w.setUpReportingFallback(LocalVolume.emptyDir(dir.toString(), true, Optional.of(size),
          Optional.empty()))).isEmpty();
      assertThat(Files.readString(dir.resolve("data"))).isEqualTo("x");
      w.tearDown(dir.toString());
      assertThat(mounter.isTmpfsMountPoint(dir)).isFalse();
      assertThat(Files.exists(dir)).isFalse();
    } finally {
      if (mounter.isTmpfsMountPoint(dir)) {
        mounter.unmount(dir);
      }
    }
  }

  @Test
  void aMemoryEmptyDirThatCannotBeMountedIsAPlainDirectoryAndSaysWhy() throws IOException {
    FileSystemVolumeWriter w = new FileSystemVolumeWriter(root, Clock.systemUTC(),
        TmpfsMounter.unavailable("mount: permission denied"));
    Path dir = root.resolve("pods/uid-1/volumes/kubernetes.io~empty-dir/shm");
    Optional<MemoryFallback> fallback = w.setUpReportingFallback(
        LocalVolume.emptyDir(dir.toString(), true, Optional.of(1024L), Optional.empty()));
    assertThat(fallback).contains(new MemoryFallback("mount: permission denied"));
    assertThat(Files.isDirectory(dir)).isTrue();
    assertThat(FileSystemVolumeWriter.modeOf(Files.getPosixFilePermissions(dir))).isEqualTo(0777);
    w.tearDown(dir.toString());
    assertThat(Files.exists(dir)).isFalse();
  }

  @Test
  void aDiskEmptyDirNeverMountsNorReportsAFallback() throws IOException {
    TmpfsMounter refusing = new TmpfsMounter() {
      @Override
      public void mount(Path dir, OptionalLong sizeBytes) {
        throw new AssertionError("a disk emptyDir is not mounted");
      }

      @Override
      public boolean isTmpfsMountPoint(Path dir) {
        return false;
      }

      @Override
      public void unmount(Path dir) {
        throw new AssertionError("nothing to unmount");
      }
    };
    FileSystemVolumeWriter w = new FileSystemVolumeWriter(root, Clock.systemUTC(), refusing);
    Path dir = root.resolve("pods/uid-1/volumes/kubernetes.io~empty-dir/cache");
    assertThat(w.setUpReportingFallback(LocalVolume.emptyDir(dir.toString(), false, Optional.of(1024L),
        Optional.empty()))).isEmpty();
    assertThat(Files.isDirectory(dir)).isTrue();
  }

  @Test
  void mountinfoEscapesAreDecoded() {
    assertThat(SystemTmpfsMounter.unescape("/var/lib/a\\040b")).isEqualTo("/var/lib/a b");
    assertThat(SystemTmpfsMounter.unescape("/plain")).isEqualTo("/plain");
  }
}
