package io.volumekit.core.mount;

import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.node.FileSystemVolumeWriter;
import io.volumekit.core.node.TmpfsMounter;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.model.core.Container;
import io.volumekit.model.core.EmptyDirVolumeSourceBuilder;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.ResourceRequirementsBuilder;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.quantity.Quantity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** emptyDir {@code medium: Memory} through the engine: the tmpfs size rule, and a reported fallback. */
class MemoryEmptyDirTest {

  /** A mounter that records what it was asked and mounts nothing (or refuses). */
  static final class RecordingMounter implements TmpfsMounter {
    final List<OptionalLong> sizes = new ArrayList<>();
    final Optional<String> refusal;

    RecordingMounter(Optional<String> refusal) {
      this.refusal = refusal;
    }

    @Override
    public void mount(Path dir, OptionalLong sizeBytes) throws IOException {
      sizes.add(sizeBytes);
      if (refusal.isPresent()) {
        throw new IOException(refusal.get());
      }
    }

    @Override
    public boolean isTmpfsMountPoint(Path dir) {
      return false;
    }

    @Override
    public void unmount(Path dir) {}
  }

  static Path tempRoot() {
    try {
      return Files.createTempDirectory("volumekit-memory-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static NodeKit kit(TmpfsMounter mounter, Path root) {
    UnaryOperator<io.volumekit.core.VolumeKit.Builder> b = builder -> builder.kubeletRoot(root)
        .localVolumeWriter(new FileSystemVolumeWriter(root, Clock.systemUTC(), mounter));
    return new NodeKit(1, UnaryOperator.<InMemoryCsiDriver.Config>identity(), new RecordingDriver.CallLog(1, 0), Set.of(), 7, b);
  }

  static Volume shm(Optional<String> sizeLimit) {
    return VolumeBuilder.builder().name("shm").emptyDir(Optional.of(EmptyDirVolumeSourceBuilder.builder()
        .medium(Optional.of("Memory")).sizeLimit(sizeLimit.map(Quantity::parse)).build())).build();
  }

  static Pod withMemoryLimit(Pod pod, String limit) {
    Container c = pod.spec().containers().get(0);
    Container limited = c.withResources(Optional.of(ResourceRequirementsBuilder.builder()
        .limits(ImmutableMap.of("memory", Quantity.parse(limit))).build()));
    return pod.withSpec(pod.spec().withContainers(ImmutableList.of(limited)));
  }

  @Test
  void theTmpfsIsSizedByTheSmallerOfSizeLimitAndThePodMemoryLimit() {
    RecordingMounter mounter = new RecordingMounter(Optional.empty());
    NodeKit k = kit(mounter, tempRoot());
    k.apply(withMemoryLimit(pod("small-limit", "node-1", shm(Optional.of("64Mi"))), "32Mi"),
        withMemoryLimit(pod("small-size", "node-1", shm(Optional.of("16Mi"))), "32Mi"),
        pod("unlimited", "node-1", shm(Optional.empty()))).settle();
    assertThat(mounter.sizes).containsExactlyInAnyOrder(OptionalLong.of(32L << 20), OptionalLong.of(16L << 20),
        OptionalLong.empty());
    assertThat(k.events("small-limit")).noneMatch(e -> e.startsWith(EmptyDirs.MEMORY_FALLBACK_REASON));
  }

  @Test
  void aTmpfsThatCannotBeMountedIsAPlainDirectoryReportedOnce() {
    Path root = tempRoot();
    NodeKit k = kit(new RecordingMounter(Optional.of("mount: permission denied")), root);
    k.apply(pod("web", "node-1", shm(Optional.of("64Mi")))).settle();
    k.assertRunning("web");
    Path dir = root.resolve("pods/" + k.pod("web").metadata().uid().orElseThrow() + "/volumes/"
        + VolumeHost.EMPTY_DIR + "/shm");
    assertThat(Files.isDirectory(dir)).isTrue();
    assertThat(k.events("web")).containsOnlyOnce(EmptyDirs.MEMORY_FALLBACK_REASON
        + ": emptyDir volume \"shm\" with medium Memory is a plain directory, not a tmpfs: mount: permission denied");
    k.deletePod("web").settle();
    assertThat(Files.exists(dir)).isFalse();
  }
}
