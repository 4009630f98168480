package io.volumekit.core.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The port through which the runtime mounts the tmpfs of an emptyDir with {@code medium: Memory},
 * as the kubelet's emptyDir plugin does in {@code setupTmpfs} and undoes in {@code
 * teardownTmpfsOrHugetlbfs}.
 *
 * <p>Controllers never call it: the {@link FileSystemVolumeWriter} does, for a {@link
 * io.volumekit.core.effect.WriteLocalVolume} effect. {@link #system()} is the real implementation
 * ({@code mount -t tmpfs}); {@link #unavailable(String)} never mounts, so every memory-backed
 * emptyDir falls back to a plain directory with that reason.
 */
public interface TmpfsMounter {

  /**
   * Mounts a tmpfs at the existing directory, of {@code sizeBytes} when present (the kernel's
   * default, half the memory, when absent).
   *
   * @throws IOException when the mount fails (no privilege, no {@code mount} command...); the
   *     message says why
   */
  void mount(Path dir, OptionalLong sizeBytes) throws IOException;

  /** Whether the directory is the root of a tmpfs mount. */
  boolean isTmpfsMountPoint(Path dir) throws IOException;

  /** Unmounts the tmpfs at the directory. */
  void unmount(Path dir) throws IOException;

  /** The real mounter: {@code mount -t tmpfs} and {@code umount}, mounts read from {@code /proc/self/mountinfo}. */
  static TmpfsMounter system() {
    return new SystemTmpfsMounter();
  }

  /** A mounter that never mounts: each mount fails with the reason. */
  static TmpfsMounter unavailable(String reason) {
    return new TmpfsMounter() {
      @Override
      public void mount(Path dir, OptionalLong sizeBytes) throws IOException {
        throw new IOException(reason);
      }

      @Override
      public boolean isTmpfsMountPoint(Path dir) {
        return false;
      }

      @Override
      public void unmount(Path dir) throws IOException {
        throw new IOException(reason);
      }
    };
  }
}
