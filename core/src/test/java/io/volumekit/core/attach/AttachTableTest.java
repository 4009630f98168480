package io.volumekit.core.attach;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.Fixtures.withModes;
import static io.volumekit.core.mount.NodeKit.claim;
import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.mount.NodeKit;
import io.volumekit.core.mount.RecordingDriver;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.Taint;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.CSIDriverBuilder;
import io.volumekit.model.storage.CSIDriverSpecBuilder;
import io.volumekit.model.storage.VolumeAttachment;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Attach/detach: VolumeAttachments, the external-attacher, multi-attach, forced detach. */
class AttachTableTest {

  record Row(String name, Supplier<NodeKit> kit, Consumer<NodeKit> setup, Consumer<NodeKit> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Row row(String name, Consumer<NodeKit> setup, Consumer<NodeKit> check) {
    return new Row(name, () -> new NodeKit(2), setup, check);
  }

  static Row row(String name, Supplier<NodeKit> kit, Consumer<NodeKit> setup, Consumer<NodeKit> check) {
    return new Row(name, kit, setup, check);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void attach(Row row) {
    NodeKit k = row.kit().get();
    row.setup().accept(k);
    k.settle();
    row.check().accept(k);
  }

  static void claimOn(NodeKit k, String claim, String... modes) {
    k.apply(sc("fast"), withModes(withClass(pvc(claim, "1Gi"), "fast"), modes));
    k.settle();
  }

  static Node tainted(NodeKit k, String node, Taint t) {
    Node n = k.kit.get(Node.class, "", node).orElseThrow();
    return n.withSpec(n.spec().withTaints(ImmutableList.of(t)));
  }

  static Stream<Row> rows() {
    return Stream.of(
        row("ReadWriteOnce on a second node: Multi-Attach error until the first pod is gone",
            k -> {
              claimOn(k, "shared", "ReadWriteOnce");
              k.apply(pod("first", "node-1", claim("shared")));
              k.settle();
              k.apply(pod("second", "node-2", claim("shared")));
            },
            k -> {
              String pv = k.pvOf("shared");
              k.assertRunning("first");
              assertThat(k.phase("second")).isEqualTo("Pending");
              assertThat(k.events("second")).contains("FailedAttachVolume: Multi-Attach error for volume \"" + pv
                  + "\" Volume is already used by pod(s) first");
              assertThat(k.attachments()).extracting(a -> a.spec().nodeName()).containsExactly("node-1");
              k.deletePod("first").settle();
              k.assertRunning("second");
              assertThat(k.attachments()).extracting(a -> a.spec().nodeName()).containsExactly("node-2");
              assertThat(k.log.violations).isEmpty();
            }),
        row("ReadWriteMany: attached to both nodes",
            k -> {
              claimOn(k, "shared", "ReadWriteMany");
              k.apply(pod("a", "node-1", claim("shared")), pod("b", "node-2", claim("shared")));
            },
            k -> {
              k.assertRunning("a");
              k.assertRunning("b");
              assertThat(k.attachments()).extracting(a -> a.spec().nodeName()).containsExactlyInAnyOrder("node-1", "node-2");
              assertThat(k.log.publishedNodes(k.handleOf("shared"))).containsExactly("node-1", "node-2");
            }),
        row("CSIDriver attachRequired=false: no VolumeAttachment, no ControllerPublish, empty publish_context",
            () -> new NodeKit(2, c -> c.withPublishUnpublish(false), new RecordingDriver.CallLog(1, 0), Set.of(), 7),
            k -> {
              k.apply(CSIDriverBuilder.builder().metadata(ObjectMeta.named(NodeKit.DRIVER))
                  .spec(CSIDriverSpecBuilder.builder().attachRequired(Optional.of(false)).build()).build());
              claimOn(k, "data", "ReadWriteOnce");
              k.apply(pod("web", "node-1", claim("data")));
            },
            k -> {
              k.assertRunning("web");
              assertThat(k.attachments()).isEmpty();
              assertThat(k.log.calls).noneMatch(c -> c.startsWith("ControllerPublishVolume"));
              assertThat(k.log.stages).singleElement().satisfies(s -> assertThat(s.publishContext()).isEmpty());
            }),
        row("driver without PUBLISH_UNPUBLISH_VOLUME: attached by the trivial handler, no finalizer",
            () -> new NodeKit(2, c -> c.withPublishUnpublish(false), new RecordingDriver.CallLog(1, 0), Set.of(), 7),
            k -> {
              claimOn(k, "data", "ReadWriteOnce");
              k.apply(pod("web", "node-1", claim("data")));
            },
            k -> {
              k.assertRunning("web");
              assertThat(k.attachments()).singleElement().satisfies(a -> {
                assertThat(a.status().attached()).isTrue();
                assertThat(a.metadata().finalizers()).isEmpty();
              });
              assertThat(k.log.calls).noneMatch(c -> c.startsWith("ControllerPublishVolume"));
              k.deletePod("web").settle();
              assertThat(k.attachments()).isEmpty();
            }),
        row("ControllerPublish fails, is reported as FailedAttachVolume with the gRPC error, and is retried",
            () -> new NodeKit(2, c -> c, new RecordingDriver.CallLog(1, 0).fail("ControllerPublishVolume", CsiCode.INTERNAL),
                Set.of(), 7),
            k -> {
              claimOn(k, "data", "ReadWriteOnce");
              k.apply(pod("web", "node-1", claim("data")));
            },
            k -> {
              String pv = k.pvOf("data");
              assertThat(k.events("web")).contains(
                  "FailedAttachVolume: AttachVolume.Attach failed for volume \"" + pv
                      + "\" : rpc error: code = Internal desc = injected INTERNAL",
                  "SuccessfulAttachVolume: AttachVolume.Attach succeeded for volume \"" + pv + "\"");
              assertThat(k.log.calls.stream().filter(c -> c.startsWith("ControllerPublishVolume"))).hasSize(2);
              assertThat(k.attachments()).singleElement().satisfies(a -> {
                assertThat(a.status().attached()).isTrue();
                assertThat(a.status().attachError()).isEmpty();
                assertThat(a.metadata().annotation(Annotations.VA_NODE_ID)).contains("node-1");
              });
              k.assertRunning("web");
            }),
        row("a PV marked for deletion is not attached: attachError on the attachment, FailedAttachVolume once on each pod",
            k -> {
              claimOn(k, "data", "ReadWriteOnce");
              k.kit.delete(ObjectKey.cluster(io.volumekit.model.core.PersistentVolume.KIND, k.pvOf("data")));
              k.settle(); // kept by pv-protection while the claim is bound
              k.apply(pod("web", "node-1", claim("data")));
              k.settle();
              k.apply(pod("api", "node-1", claim("data"))); // arrives while the error stays
            },
            k -> {
              String pv = k.pvOf("data");
              String why = "PersistentVolume \"" + pv + "\" is marked for deletion";
              for (String p : new String[] {"web", "api"}) {
                assertThat(k.phase(p)).isEqualTo("Pending");
                assertThat(k.events(p)).containsExactly(
                    "FailedAttachVolume: AttachVolume.Attach failed for volume \"" + pv + "\" : " + why);
              }
              assertThat(k.kit.list(io.volumekit.model.core.Event.class))
                  .filteredOn(e -> e.reason().equals(Optional.of(AttachDetachController.FAILED_ATTACH_VOLUME)))
                  .hasSize(2).allSatisfy(e -> assertThat(e.count()).isEqualTo(1));
              assertThat(k.attachments()).singleElement().satisfies(a -> {
                assertThat(a.status().attached()).isFalse();
                assertThat(a.status().attachError().flatMap(e -> e.message())).contains(why);
              });
              assertThat(k.log.calls.stream().filter(c -> c.startsWith("ControllerPublishVolume"))).isEmpty();
            }),
        row("detach waits for the device to be unmounted on the node",
            () -> new NodeKit(2, c -> c, new RecordingDriver.CallLog(1, 0).fail("NodeUnstageVolume", CsiCode.INTERNAL),
                Set.of(), 7),
            k -> {
              claimOn(k, "data", "ReadWriteOnce");
              k.apply(pod("web", "node-1", claim("data")));
            },
            k -> {
              String pv = k.pvOf("data");
              k.deletePod("web");
              k.kit.settle(Duration.ZERO);
              assertThat(k.hasPod("web")).as("the pod is gone once unpublished").isFalse();
              assertThat(k.attachments()).as("still attached while staged").hasSize(1);
              assertThat(k.kit.get(Node.class, "", "node-1").orElseThrow().metadata().annotation(Annotations.VOLUMES_IN_USE))
                  .contains(pv);
              assertThat(k.log.calls).noneMatch(c -> c.startsWith("ControllerUnpublishVolume"));
              k.settle();
              assertThat(k.attachments()).isEmpty();
              assertThat(k.log.calls.get(k.log.calls.size() - 1)).startsWith("ControllerUnpublishVolume");
              assertThat(k.log.violations).isEmpty();
              assertThat(k.log.clean()).isTrue();
            }),
        row("out-of-service taint: pods force-deleted, forced detach; the volume moves once the driver lets it go",
            k -> {
              claimOn(k, "data", "ReadWriteOnce");
              k.apply(pod("web", "node-1", claim("data")));
              k.settle();
              k.apply(tainted(k, "node-1", Taint.of("node.kubernetes.io/out-of-service", "nodeshutdown", Taint.NO_EXECUTE)));
            },
            k -> {
              String handle = k.handleOf("data");
              assertThat(k.hasPod("web")).as("force-deleted").isFalse();
              assertThat(k.log.calls).contains("ControllerUnpublishVolume " + handle + " node-1");
              assertThat(k.trace).anyMatch(l -> l.contains("ControllerUnpublishVolume") && l.endsWith("forced"));
              // The in-memory driver refuses to unpublish a volume its dead node still has staged.
              assertThat(k.attachments()).singleElement().satisfies(a -> {
                assertThat(a.metadata().isDeleting()).isTrue();
                assertThat(a.status().detachError()).isPresent();
              });
              assertThat(k.log.staged.get(handle)).as("the dead node still has it staged").contains("node-1");
              k.apply(pod("web2", "", claim("data")));
              k.settle();
              assertThat(k.pod("web2").nodeName()).contains("node-2");
              assertThat(k.events("web2")).anyMatch(e -> e.startsWith("FailedAttachVolume: Multi-Attach error"));
              // The node comes back: its kubelet unmounts what the force-deleted pod left; the volume moves.
              Node n = k.kit.get(Node.class, "", "node-1").orElseThrow();
              k.apply(n.withSpec(n.spec().withTaints(ImmutableList.of())));
              k.settle();
              k.assertRunning("web2");
              assertThat(k.log.publishedNodes(handle)).containsExactly("node-2");
              assertThat(k.log.staged.get(handle)).containsExactly("node-2");
              assertThat(k.attachments()).extracting(a -> a.spec().nodeName()).containsExactly("node-2");
            }),
        row("a deleted node: its pods are removed, detach is forced; a node of that name coming back cleans up",
            k -> {
              claimOn(k, "data", "ReadWriteOnce");
              k.apply(pod("web", "node-2", claim("data")));
              k.settle();
              k.kit.delete(ObjectKey.cluster(Node.KIND, "node-2"));
            },
            k -> {
              assertThat(k.hasPod("web")).isFalse();
              assertThat(k.kit.list(io.volumekit.model.storage.CSINode.class))
                  .extracting(c -> c.metadata().name()).containsExactly("node-1");
              assertThat(k.attachments()).singleElement().satisfies(a -> assertThat(a.metadata().isDeleting()).isTrue());
              k.apply(NodeKit.node("node-2"));
              k.settle();
              assertThat(k.attachments()).isEmpty();
              assertThat(k.log.clean()).isTrue();
            }),
        row("attachment names follow Kubernetes: csi-<sha256(handle + driver + node)>",
            k -> { },
            k -> assertThat(Attachments.name("vol-123", "ebs.csi.aws.com", "node-1")).isEqualTo(
                "csi-" + com.google.common.hash.Hashing.sha256().hashString("vol-123ebs.csi.aws.comnode-1",
                    java.nio.charset.StandardCharsets.UTF_8)) ),
        row("the attacher finalizer sanitizes the driver name",
            k -> { },
            k -> {
              assertThat(Attachments.finalizer("ebs.csi.aws.com")).isEqualTo("external-attacher/ebs-csi-aws-com");
              assertThat(Attachments.finalizer("weird.driver_")).isEqualTo("external-attacher/weird-driver-X");
            }));
  }
}
