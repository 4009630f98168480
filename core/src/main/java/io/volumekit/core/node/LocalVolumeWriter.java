package io.volumekit.core.node;

import java.io.IOException;

/**
 * The port through which the runtime makes node-local volumes: the kubelet's volume plugins'
 * {@code SetUpAt}/{@code TearDownAt} for emptyDir and the atomically written kinds.
 *
 * <p>Controllers never call it: they emit {@link io.volumekit.core.effect.LocalEffect}s and the
 * runtime calls the writer. {@link FileSystemVolumeWriter} is the real implementation.
 */
public interface LocalVolumeWriter {

  /**
   * Creates the volume, or brings an existing one up to date (idempotent). For {@link
   * LocalVolume.Kind#ATOMIC} volumes readers never see a half-written payload.
   */
  void setUp(LocalVolume volume) throws IOException;

  /**
   * {@link #setUp} saying how a memory-backed emptyDir was made: empty when as asked (a tmpfs), or
   * why it fell back to a plain directory. A writer that mounts nothing reports no fallback.
   */
  default java.util.Optional<MemoryFallback> setUpReportingFallback(LocalVolume volume) throws IOException {
    setUp(volume);
    return java.util.Optional.empty();
  }

  /** Removes the volume directory and everything below it; absent is fine. */
  void tearDown(String path) throws IOException;

  /**
   * Gives the tree below {@code path} to the group, as the kubelet's {@code SetVolumeOwnership}
   * does for fsGroup (docs/cases/node-side.md rows E3, FG3). A missing path is fine (nothing to change).
   *
   * @param onRootMismatch skip the walk when the root already has the group and the permissions
   * @param readOnly grant group read (not write)
   */
  default void setOwnership(String path, long fsGroup, boolean onRootMismatch, boolean readOnly) throws IOException {}

  /**
   * Makes the tree at {@code path} read-only, as an image volume is mounted (read-only, noexec):
   * files 0444, directories 0555; symbolic links are left alone, never followed. {@link #tearDown}
   * still removes it.
   */
  default void makeReadOnly(String path) throws IOException {}

  /** Creates the directory (and its parents) if absent, mode 0750. */
  default void makeDirectory(String path) throws IOException {}

  /** Removes the empty directories at and below {@code path}, bottom-up; never a file; absent is fine. */
  default void pruneEmptyDirectories(String path) throws IOException {}

  /**
   * The hostPath plugin's {@code SetUp} type check (Kubernetes {@code checkType}): creates a
   * missing path for {@code DirectoryOrCreate} (directory, 0755) and {@code FileOrCreate} (empty
   * file, 0644), and fails with the kubelet's message ({@code hostPath type check failed: <path>
   * is not a directory}, ...) when the path is not of the {@code type}. The path is the host's, not
   * one under the kubelet root.
   */
  default void setUpHostPath(String path, String type) throws IOException {}

  /**
   * The bytes the files below {@code path} hold, as the kubelet's {@code MetricsDu} measures an
   * emptyDir (a directory or a tmpfs): a walk that follows no symbolic link and counts a file with
   * several hard links once. A missing path holds nothing. A writer that cannot measure fails,
   * never answers a made-up number.
   */
  default long usedBytes(String path) throws IOException {
    throw new IOException(getClass().getName() + " cannot measure the usage of " + path);
  }

  /** A writer that does nothing (for benchmarks and engines without a node filesystem). */
  static LocalVolumeWriter discarding() {
    return new LocalVolumeWriter() {
      @Override
      public void setUp(LocalVolume volume) {}

      @Override
      public void tearDown(String path) {}

      @Override
      public long usedBytes(String path) {
        return 0; // it writes nothing
      }
    };
  }
}
