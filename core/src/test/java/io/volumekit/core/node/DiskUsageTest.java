package io.volumekit.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileSystemVolumeWriter#usedBytes}: the du-like walk of an emptyDir on a real filesystem. */
class DiskUsageTest {

  @TempDir
  Path root;

  @TempDir
  Path outside;

  private String volume() throws IOException {
    String path = root.resolve("pods/u1/volumes/kubernetes.io~empty-dir/cache").toString();
    new FileSystemVolumeWriter(root).setUp(LocalVolume.emptyDir(path, false, Optional.empty(), Optional.empty()));
    return path;
  }

  @Test
  void countsEveryRegularFileBelowTheVolumeIncludingNestedOnes() throws IOException {
    String v = volume();
    Files.write(Path.of(v, "a"), new byte[1000]);
    Files.createDirectories(Path.of(v, "x/y"));
    Files.write(Path.of(v, "x/y/b"), new byte[234]);
    Files.write(Path.of(v, "x/empty"), new byte[0]);
    assertThat(new FileSystemVolumeWriter(root).usedBytes(v)).isEqualTo(1234);
  }

  @Test
  void aHardLinkedFileCountsOnceAndSymbolicLinksAreNotFollowed() throws IOException {
    String v = volume();
    Files.write(Path.of(v, "data"), new byte[4096]);
    Files.createLink(Path.of(v, "data-link"), Path.of(v, "data"));
    Path big = Files.write(outside.resolve("big"), new byte[1 << 20]);
    Files.createSymbolicLink(Path.of(v, "to-big"), big);
    Files.createSymbolicLink(Path.of(v, "to-outside"), outside);
    assertThat(new FileSystemVolumeWriter(root).usedBytes(v)).isEqualTo(4096);
  }

  @Test
  void anEmptyOrMissingVolumeHoldsNothingAndAPathOutsideTheRootIsRefused() throws IOException {
    FileSystemVolumeWriter w = new FileSystemVolumeWriter(root);
    assertThat(w.usedBytes(volume())).isZero();
    assertThat(w.usedBytes(root.resolve("pods/gone/volumes/kubernetes.io~empty-dir/x").toString())).isZero();
    assertThatThrownBy(() -> w.usedBytes(outside.toString())).isInstanceOf(IOException.class)
        .hasMessageContaining("outside the kubelet root");
  }

  @Test
  void aWriterThatCannotMeasureFailsAndTheDiscardingWriterHoldsNothing() throws IOException {
    LocalVolumeWriter plain = new LocalVolumeWriter() {
      @Override
      public void setUp(LocalVolume volume) {}

      @Override
      public void tearDown(String path) {}
    };
    assertThatThrownBy(() -> plain.usedBytes("/v")).isInstanceOf(IOException.class).hasMessageContaining("cannot measure");
    assertThat(LocalVolumeWriter.discarding().usedBytes("/v")).isZero();
  }
}
