package io.volumekit.core.ephemeral;

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

  /** Removes the volume directory and everything below it; absent is fine. */
  void tearDown(String path) throws IOException;

  /** A writer that does nothing (for benchmarks and engines without a node filesystem). */
  static LocalVolumeWriter discarding() {
    return new LocalVolumeWriter() {
      @Override
      public void setUp(LocalVolume volume) {}

      @Override
      public void tearDown(String path) {}
    };
  }
}
