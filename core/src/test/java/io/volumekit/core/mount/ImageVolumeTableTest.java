package io.volumekit.core.mount;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.node.ImagePullException;
import io.volumekit.core.node.ImagePullPolicy;
import io.volumekit.core.node.ImageVolumePuller;
import io.volumekit.core.node.ImageVolumeRequest;
import io.volumekit.model.core.ImageVolumeSourceBuilder;
import io.volumekit.model.core.LocalObjectReference;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Image volumes (docs/cases/node-side.md rows IV1-IV6): a pod's {@code image} volume is filled by
 * the configured {@link ImageVolumePuller} under {@code kubernetes.io~image}, made read-only, and
 * removed at teardown; without a puller, or while the pull fails, the pod stays Pending with a
 * FailedMount event naming why, and the pull is retried with backoff.
 */
class ImageVolumeTableTest {

  /** A puller writing {@code model.bin} and {@code bin/run} into the target, failing its first {@code failures} calls. */
  static final class FakePuller implements ImageVolumePuller {
    final List<ImageVolumeRequest> requests = new ArrayList<>();
    int failures;

    FakePuller(int failures) {
      this.failures = failures;
    }

    @Override
    public void pull(ImageVolumeRequest request, Path target) throws ImagePullException {
      requests.add(request);
      try {
        Files.writeString(target.resolve("model.bin"), "weights of " + request.reference());
      } catch (IOException e) {
        throw ImagePullException.pullFailed(e.getMessage(), e);
      }
      if (failures > 0) {
        failures--;
        throw ImagePullException.pullFailed("failed to pull and unpack image \"" + request.reference()
            + "\": registry unreachable");
      }
      try {
        Files.createDirectories(target.resolve("bin"));
        Path run = Files.writeString(target.resolve("bin/run"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
      } catch (IOException e) {
        throw ImagePullException.pullFailed(e.getMessage(), e);
      }
    }
  }

  static NodeKit kit(Optional<ImageVolumePuller> puller) {
    UnaryOperator<io.volumekit.core.VolumeKit.Builder> b = k -> puller.map(k::imageVolumePuller).orElse(k);
    return new NodeKit(1, UnaryOperator.identity(), new RecordingDriver.CallLog(1, 0), Set.<NodeCapability>of(), 7, b);
  }

  static Volume image(String name, String reference, Optional<String> policy) {
    return VolumeBuilder.builder().name(name).image(Optional.of(ImageVolumeSourceBuilder.builder()
        .reference(Optional.of(reference)).pullPolicy(policy).build())).build();
  }

  static Pod podWithSecrets(Volume v) {
    Pod p = NodeKit.pod("web", "node-1", v);
    return p.withSpec(p.spec().withImagePullSecrets(ImmutableList.of(new LocalObjectReference("regcred"))));
  }

  static Path target(NodeKit k, String volume) {
    return k.root.resolve("pods").resolve(k.pod("web").metadata().uid().orElseThrow())
        .resolve("volumes").resolve("kubernetes.io~image").resolve(volume);
  }

  @Test
  void withoutAPullerThePodWaitsWithAFailedMountAndNothingIsWritten() {
    NodeKit k = kit(Optional.empty());
    k.apply(NodeKit.pod("web", "node-1", image("model", "quay.io/models/m:1", Optional.empty()))).settle();
    assertThat(k.phase("web")).isEqualTo("Pending");
    assertThat(k.events("web")).containsExactly("FailedMount: Unable to attach or mount volumes:"
        + " unmounted volumes=[model], unattached volumes=[model]: failed to get Plugin from volumeSpec for"
        + " volume \"model\" err=no volume plugin matched: image volumes need an image volume puller,"
        + " and none is configured");
    assertThat(target(k, "model")).doesNotExist();
  }

  @Test
  void aPulledImageIsMountedReadOnlyAndThePodRuns() throws IOException {
    FakePuller puller = new FakePuller(0);
    NodeKit k = kit(Optional.of(puller));
    k.apply(podWithSecrets(image("model", "quay.io/models/m:1", Optional.empty()))).settle();
    k.assertRunning("web");
    Path dir = target(k, "model");
    assertThat(Files.readString(dir.resolve("model.bin"))).isEqualTo("weights of quay.io/models/m:1");
    assertThat(mode(dir.resolve("model.bin"))).isEqualTo("r--r--r--");
    assertThat(mode(dir.resolve("bin/run"))).isEqualTo("r--r--r--"); // executable in the image; noexec
    assertThat(mode(dir.resolve("bin"))).isEqualTo("r-xr-xr-x");
    assertThat(mode(dir)).isEqualTo("r-xr-xr-x");
    Pod pod = k.pod("web");
    assertThat(puller.requests).containsExactly(new ImageVolumeRequest("quay.io/models/m:1",
        ImagePullPolicy.IF_NOT_PRESENT, NodeKit.NS, "web", pod.metadata().uid().orElseThrow(), "model",
        ImmutableList.of("regcred")));
    assertThat(k.kit.podVolumes(io.volumekit.core.key.ObjectKey.of(pod)).ready()).isTrue();
  }

  @Test
  void aFailedPullIsAFailedMountWithThePullersMessageRetriedUntilItSucceeds() throws IOException {
    FakePuller puller = new FakePuller(2);
    NodeKit k = kit(Optional.of(puller));
    k.apply(NodeKit.pod("web", "node-1", image("model", "quay.io/models/m", Optional.empty()))).settle();
    k.assertRunning("web");
    assertThat(puller.requests).hasSize(3).allMatch(r -> r.pullPolicy() == ImagePullPolicy.ALWAYS);
    assertThat(k.events("web")).containsExactly("FailedMount: MountVolume.SetUp failed for volume \"model\" :"
        + " ErrImagePull: failed to pull and unpack image \"quay.io/models/m\": registry unreachable");
    assertThat(k.kit.events(io.volumekit.core.key.ObjectKey.of(k.pod("web"))).get(0).count()).isEqualTo(2);
    assertThat(Files.exists(target(k, "model").resolve("bin/run"))).isTrue();
  }

  @Test
  void aPullThatNeverSucceedsLeavesThePodPendingAndNoFilesBehind() {
    FakePuller puller = new FakePuller(Integer.MAX_VALUE);
    NodeKit k = kit(Optional.of(puller));
    k.apply(NodeKit.pod("web", "node-1", image("model", "quay.io/models/m:2", Optional.empty()))).settle();
    assertThat(k.phase("web")).isEqualTo("Pending");
    assertThat(puller.requests.size()).isGreaterThan(1);
    assertThat(target(k, "model")).doesNotExist();
  }

  @Test
  void teardownRemovesTheReadOnlyTree() throws IOException {
    NodeKit k = kit(Optional.of(new FakePuller(0)));
    k.apply(NodeKit.pod("web", "node-1", image("model", "quay.io/models/m:1", Optional.empty()))).settle();
    Path dir = target(k, "model");
    assertThat(dir.resolve("bin/run")).exists();
    k.deletePod("web").settle();
    assertThat(k.hasPod("web")).isFalse();
    assertThat(Files.exists(dir, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @ParameterizedTest(name = "{0} with pullPolicy ''{1}'' -> {2}")
  @CsvSource({
      "quay.io/m, '', ALWAYS",
      "quay.io/m:latest, '', ALWAYS",
      "localhost:5000/m, '', ALWAYS",
      "localhost:5000/m:2, '', IF_NOT_PRESENT",
      "quay.io/m@sha256:0123, '', IF_NOT_PRESENT",
      "quay.io/m:latest, Never, NEVER",
      "quay.io/m:1, Always, ALWAYS",
  })
  void thePullPolicyIsDefaultedAsTheApiServerDoes(String reference, String given, ImagePullPolicy expected) {
    assertThat(ImagePullPolicy.of(Optional.of(given).filter(s -> !s.isEmpty()), reference)).isEqualTo(expected);
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }
}
