package io.volumekit.testkit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.node.ImagePullException;
import io.volumekit.core.node.ImagePullPolicy;
import io.volumekit.core.node.ImageVolumeRequest;
import io.volumekit.model.core.ContainerBuilder;
import io.volumekit.model.core.ImageVolumeSourceBuilder;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodBuilder;
import io.volumekit.model.core.PodSpecBuilder;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.core.VolumeMount;
import io.volumekit.model.meta.ObjectMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OciLayoutImagePuller} on real OCI layouts written to disk: layers applied in order with
 * whiteouts, digests verified, paths that leave the volume refused, pull policy Never honoured, and
 * an engine pod whose image volume is filled from a layout.
 */
class OciLayoutImagePullerTest {

  @TempDir Path layouts;
  @TempDir Path work;

  static final String LONG = "deep/" + "n".repeat(120) + ".txt";

  private void twoLayerImage() throws IOException {
    OciLayouts.Tar lower = new OciLayouts.Tar()
        .dir("etc").file("etc/a.txt", "a").file("etc/b.txt", "b")
        .dir("data").dir("data/old").file("data/old/x.txt", "x")
        .symlink("link", "etc/a.txt").symlink("abs", "/etc/passwd");
    OciLayouts.Tar upper = new OciLayouts.Tar()
        .file("etc/.wh.b.txt", "")
        .file("data/.wh..wh..opq", "").file("data/new.txt", "new")
        .file("etc/a.txt", "a2").file("bin/run", "#!/bin/sh\n", 0755)
        .file(LONG, "long");
    OciLayouts.write(layouts, "models/m", "1", List.of(OciLayouts.Layer.gzip(lower), OciLayouts.Layer.plain(upper)));
  }

  private static ImageVolumeRequest request(String ref, ImagePullPolicy policy) {
    return new ImageVolumeRequest(ref, policy, "default", "web", "uid-1", "model", ImmutableList.of("regcred"));
  }

  @Test
  void layersAreAppliedInOrderWithWhiteouts() throws IOException {
    twoLayerImage();
    Path target = Files.createDirectory(work.resolve("vol"));
    new OciLayoutImagePuller(layouts).pull(request("models/m:1", ImagePullPolicy.IF_NOT_PRESENT), target);
    assertThat(Files.readString(target.resolve("etc/a.txt"))).isEqualTo("a2");
    assertThat(target.resolve("etc/b.txt")).doesNotExist();            // .wh.b.txt
    assertThat(target.resolve("data/old")).doesNotExist();             // opaque directory
    assertThat(Files.readString(target.resolve("data/new.txt"))).isEqualTo("new");
    assertThat(Files.readString(target.resolve(LONG))).isEqualTo("long");  // pax long name
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("bin/run"))))
        .startsWith("rwx");
    assertThat(Files.readSymbolicLink(target.resolve("link"))).isEqualTo(Path.of("etc/a.txt"));
    assertThat(Files.readSymbolicLink(target.resolve("abs"))).isEqualTo(Path.of("/etc/passwd")); // kept, not followed
    try (var s = Files.list(target)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("etc", "data", "bin", "deep",
          "link", "abs");
    }
  }

  @Test
  void aTagOrDigestNotInTheLayoutIsAnErrImagePull() throws IOException {
    twoLayerImage();
    OciLayoutImagePuller puller = new OciLayoutImagePuller(layouts);
    Path target = Files.createDirectory(work.resolve("vol"));
    assertThatThrownBy(() -> puller.pull(request("models/m:2", ImagePullPolicy.IF_NOT_PRESENT), target))
        .isInstanceOf(ImagePullException.class)
        .hasMessage("ErrImagePull: failed to pull and unpack image \"models/m:2\": models/m:2: not found");
    assertThatThrownBy(() -> puller.pull(request("other/m:1", ImagePullPolicy.ALWAYS), target))
        .hasMessageStartingWith("ErrImagePull: failed to pull and unpack image \"other/m:1\": other/m: not found");
    assertThatThrownBy(() -> puller.pull(request("../m:1", ImagePullPolicy.ALWAYS), target))
        .hasMessageContaining("invalid repository \"../m\"");
  }

  @Test
  void aDigestReferenceNamesTheManifest() throws IOException {
    String digest = OciLayouts.write(layouts, "app", "v1",
        List.of(OciLayouts.Layer.gzip(new OciLayouts.Tar().file("hello", "hi"))));
    Path target = Files.createDirectory(work.resolve("vol"));
    new OciLayoutImagePuller(layouts).pull(request("app@" + digest, ImagePullPolicy.IF_NOT_PRESENT), target);
    assertThat(Files.readString(target.resolve("hello"))).isEqualTo("hi");
  }

  @Test
  void aBlobWhoseContentDoesNotMatchItsDigestIsRefused() throws IOException {
    byte[] layer = new OciLayouts.Tar().file("hello", "hi").gzipped();
    OciLayouts.write(layouts, "app", "v1", List.of(new OciLayouts.Layer(
        "application/vnd.oci.image.layer.v1.tar+gzip", layer)));
    Path blob = OciLayouts.blobPath(layouts, "app", OciLayouts.sha256(layer));
    Files.write(blob, new OciLayouts.Tar().file("hello", "tampered").gzipped());
    Path target = Files.createDirectory(work.resolve("vol"));
    assertThatThrownBy(() -> new OciLayoutImagePuller(layouts)
        .pull(request("app:v1", ImagePullPolicy.ALWAYS), target))
        .isInstanceOf(ImagePullException.class)
        .hasMessageStartingWith("ErrImagePull: failed to pull and unpack image \"app:v1\": blob "
            + OciLayouts.sha256(layer) + " has digest sha256:")
        .hasMessageEndingWith("content does not match its digest");
    assertThat(target.resolve("hello")).doesNotExist();
  }

  @Test
  void entriesLeavingTheVolumeAreRefused() throws IOException {
    Path outside = Files.createDirectory(work.resolve("outside"));
    OciLayouts.write(layouts, "dotdot", "1", List.of(OciLayouts.Layer.plain(
        new OciLayouts.Tar().file("ok", "ok").file("a/../../evil", "x"))));
    OciLayouts.write(layouts, "absolute", "1", List.of(OciLayouts.Layer.plain(
        new OciLayouts.Tar().file("/evil", "x"))));
    OciLayouts.write(layouts, "throughlink", "1", List.of(
        OciLayouts.Layer.plain(new OciLayouts.Tar().symlink("out", outside.toString())),
        OciLayouts.Layer.plain(new OciLayouts.Tar().file("out/evil", "x"))));
    OciLayouts.write(layouts, "whiteoutlink", "1", List.of(
        OciLayouts.Layer.plain(new OciLayouts.Tar().symlink("out", outside.toString())),
        OciLayouts.Layer.plain(new OciLayouts.Tar().file("out/.wh..wh..opq", ""))));
    Files.writeString(outside.resolve("keep"), "keep");
    OciLayoutImagePuller puller = new OciLayoutImagePuller(layouts);
    for (String[] c : new String[][] {
        {"dotdot:1", "entry \"a/../../evil\" escapes the volume"},
        {"absolute:1", "entry \"/evil\" is an absolute path outside the volume"},
        {"throughlink:1", "entry \"out/evil\" goes through the symbolic link \"out\""},
        {"whiteoutlink:1", "entry \"out/.wh..wh..opq\" goes through the symbolic link \"out\""}}) {
      Path target = Files.createDirectory(work.resolve("vol-" + c[0].replace(':', '-')));
      assertThatThrownBy(() -> puller.pull(request(c[0], ImagePullPolicy.ALWAYS), target))
          .as(c[0]).isInstanceOf(ImagePullException.class).hasMessageContaining(c[1]);
    }
    try (var s = Files.list(outside)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("keep");
    }
    assertThat(work.resolve("evil")).doesNotExist();
  }

  @Test
  void pullPolicyNeverUsesOnlyImagesAlreadyOnTheNode() throws IOException {
    twoLayerImage();
    OciLayoutImagePuller puller = new OciLayoutImagePuller(layouts);
    Path target = Files.createDirectory(work.resolve("vol"));
    assertThatThrownBy(() -> puller.pull(request("models/m:1", ImagePullPolicy.NEVER), target))
        .hasMessage("ErrImageNeverPull: Container image \"models/m:1\" is not present with pull policy of Never");
    assertThat(target.resolve("etc")).doesNotExist();
    puller.pull(request("models/m:1", ImagePullPolicy.IF_NOT_PRESENT), target);
    Path again = Files.createDirectory(work.resolve("again"));
    puller.pull(request("models/m:1", ImagePullPolicy.NEVER), again);
    assertThat(Files.readString(again.resolve("etc/a.txt"))).isEqualTo("a2");
    Path seeded = Files.createDirectory(work.resolve("seeded"));
    new OciLayoutImagePuller(layouts).withPresent("models/m:1").pull(request("models/m:1", ImagePullPolicy.NEVER), seeded);
    assertThat(seeded.resolve("data/new.txt")).exists();
  }

  @Test
  void anEnginePodRunsWithItsImageVolumeFilledReadOnlyAndTornDown() throws IOException {
    twoLayerImage();
    Path root = Files.createDirectory(work.resolve("kubelet"));
    VolumeKit kit = VolumeKit.builder().deterministic(3).kubeletRoot(root).node("node-1")
        .imageVolumePuller(new OciLayoutImagePuller(layouts)).build();
    Pod pod = PodBuilder.builder().metadata(ObjectMeta.named("default", "web"))
        .spec(PodSpecBuilder.builder().nodeName(Optional.of("node-1"))
            .volumes(ImmutableList.of(VolumeBuilder.builder().name("model").image(Optional.of(
                ImageVolumeSourceBuilder.builder().reference(Optional.of("models/m:1")).build())).build()))
            .containers(ImmutableList.of(ContainerBuilder.builder().name("app").image(Optional.of("busybox"))
                .volumeMounts(ImmutableList.of(VolumeMount.of("model", "/model"))).build()))
            .build())
        .build();
    kit.apply(pod);
    kit.settle();
    ObjectKey key = ObjectKey.namespaced(Pod.KIND, "default", "web");
    Pod running = kit.get(Pod.class, "default", "web").orElseThrow();
    assertThat(running.status().phase()).as("events %s", kit.events(key)).contains("Running");
    Path dir = root.resolve("pods").resolve(running.metadata().uid().orElseThrow())
        .resolve("volumes/kubernetes.io~image/model");
    assertThat(Files.readString(dir.resolve("data/new.txt"))).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("etc/a.txt"))))
        .isEqualTo("r--r--r--");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("r-xr-xr-x");
    kit.delete(key);
    kit.settle();
    assertThat(kit.get(Pod.class, "default", "web")).isEmpty();
    assertThat(Files.exists(dir, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }
}
