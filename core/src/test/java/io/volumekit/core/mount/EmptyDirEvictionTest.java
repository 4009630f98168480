package io.volumekit.core.mount;

import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.model.core.EmptyDirVolumeSourceBuilder;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.quantity.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * emptyDir {@code sizeLimit} through the engine, with real files written into the volume's
 * directory: the kubelet's volume statistics measure it every stats period (the manual clock is
 * advanced, nothing sleeps) and its eviction manager evicts the pod once it holds more than the limit.
 */
class EmptyDirEvictionTest {

  static final Duration PERIOD = PodVolumeController.STATS_PERIOD;

  static Volume emptyDir(String name, boolean memory, String limit) {
    return VolumeBuilder.builder().name(name).emptyDir(Optional.of(EmptyDirVolumeSourceBuilder.builder()
        .medium(memory ? Optional.of(EmptyDirs.MEDIUM_MEMORY) : Optional.empty())
        .sizeLimit(Optional.of(Quantity.parse(limit))).build())).build();
  }

  /** An engine whose tmpfs mounts fail: a memory-backed emptyDir is a plain directory that can outgrow its limit. */
  static NodeKit kit(Path root) {
    return MemoryEmptyDirTest.kit(new MemoryEmptyDirTest.RecordingMounter(Optional.of("mount: permission denied")), root);
  }

  final Path root = MemoryEmptyDirTest.tempRoot();

  Path dir(NodeKit k, String pod, String volume) {
    return root.resolve("pods/" + k.pod(pod).metadata().uid().orElseThrow() + "/volumes/" + VolumeHost.EMPTY_DIR + "/"
        + volume);
  }

  static void write(Path file, int bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[bytes]);
  }

  @Test
  void aPodWhoseEmptyDirOutgrowsItsSizeLimitIsEvictedAtTheNextStatsPeriodAndItsVolumesTornDown() throws IOException {
    NodeKit k = kit(root);
    k.apply(pod("web", "node-1", emptyDir("cache", false, "1Mi"), emptyDir("tmp", false, "8Mi"))).settle();
    k.assertRunning("web");
    Path cache = dir(k, "web", "cache");
    write(cache.resolve("a/part-1"), 600 * 1024);

    k.kit.runFor(PERIOD);
    k.assertRunning("web"); // 600 KiB of 1 MiB
    write(cache.resolve("a/b/part-2"), 600 * 1024);
    Files.createLink(cache.resolve("part-1-again"), cache.resolve("a/part-1")); // one file, counted once
    k.kit.runFor(PERIOD.minusSeconds(1));
    k.assertRunning("web"); // over the limit, but not measured yet

    k.kit.runFor(Duration.ofSeconds(1));
    String message = "Usage of EmptyDir volume \"cache\" exceeds the limit \"1Mi\". ";
    Pod evicted = k.pod("web");
    assertThat(evicted.status().phase()).contains("Failed");
    assertThat(evicted.status().reason()).contains("Evicted");
    assertThat(evicted.status().message()).contains(message);
    assertThat(k.events("web")).containsOnlyOnce("Evicted: " + message);
    assertThat(cache).doesNotExist(); // torn down as for any Failed pod
    assertThat(dir(k, "web", "tmp")).doesNotExist();

    k.kit.runFor(PERIOD.multipliedBy(3)); // nothing measures a Failed pod again
    assertThat(k.events("web")).containsOnlyOnce("Evicted: " + message);
  }

  @Test
  void aMemoryBackedEmptyDirCountsToo() throws IOException {
    NodeKit k = kit(root);
    k.apply(pod("shm-user", "node-1", emptyDir("shm", true, "1Mi"))).settle();
    k.assertRunning("shm-user");
    write(dir(k, "shm-user", "shm").resolve("segment"), 2 * 1024 * 1024);
    k.kit.runFor(PERIOD);
    assertThat(k.phase("shm-user")).isEqualTo("Failed");
    assertThat(k.events("shm-user"))
        .contains("Evicted: Usage of EmptyDir volume \"shm\" exceeds the limit \"1Mi\". ");
  }

  @Test
  void aPodWithinItsLimitsKeepsRunningPeriodAfterPeriod() throws IOException {
    NodeKit k = kit(root);
    k.apply(pod("calm", "node-1", emptyDir("cache", false, "1Mi"))).settle();
    write(dir(k, "calm", "cache").resolve("small"), 1024 * 1024); // exactly the limit: not over it
    k.kit.runFor(PERIOD.multipliedBy(5));
    k.assertRunning("calm");
    assertThat(k.events("calm")).noneMatch(e -> e.startsWith("Evicted"));
  }
}
