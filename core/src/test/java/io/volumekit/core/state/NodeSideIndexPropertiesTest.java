package io.volumekit.core.state;

import io.volumekit.core.key.ObjectKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.Fixtures;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.RemoveLocalVolume;
import com.google.common.collect.ImmutableList;
import io.volumekit.model.core.ConfigMap;
import io.volumekit.model.core.ConfigMapVolumeSourceBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.SecretVolumeSourceBuilder;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.VolumeAttachment;
import io.volumekit.model.storage.VolumeAttachmentBuilder;
import io.volumekit.model.storage.VolumeAttachmentSourceBuilder;
import io.volumekit.model.storage.VolumeAttachmentSpecBuilder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The node-side indexes ({@link NodePodIndex}, {@link AttachmentIndex}, {@link DriverVolumeIndex},
 * {@link NodeOperationIndex}, {@link PodSourceIndex}) answer exactly what a scan of the whole state answers, after any
 * sequence of creates, updates (moves between nodes, volumes, drivers) and removals of pods,
 * attachments, PVs and operations.
 */
class NodeSideIndexPropertiesTest {

  private static final String[] NODES = {"", "node-1", "node-2", "node-3"};
  private static final String[] PVS = {"pv-a", "pv-b", "pv-c"};

  @Test
  void indexesAgreeWithScans() {
    qt().withExamples(200).forAll(lists().of(integers().between(0, 9_999)).ofSizeBetween(1, 60)).checkAssert(steps -> {
      ClusterState s = ClusterState.empty();
      for (int step : steps) {
        s = apply(s, step);
        assertAgree(s);
      }
    });
  }

  /** One random change, decoded from the integer. */
  private static ClusterState apply(ClusterState s, int step) {
    int kind = step % 4;
    int name = (step / 4) % 5;
    int a = (step / 20) % 4;
    int b = (step / 80) % 3;
    boolean remove = (step / 240) % 4 == 0;
    switch (kind) {
      case 0 -> {
        Pod p = Fixtures.pod("pod-" + name, NODES[a]);
        if (b > 0) { // a secret (b = 1) or configMap (b = 2) volume, named by the node index
          VolumeBuilder v = VolumeBuilder.builder().name("src");
          v = b == 1 ? v.secret(Optional.of(SecretVolumeSourceBuilder.builder().secretName(Optional.of("s" + a)).build()))
              : v.configMap(Optional.of(ConfigMapVolumeSourceBuilder.builder().name(Optional.of("s" + a)).build()));
          p = p.withSpec(p.spec().withVolumes(ImmutableList.of(v.build())));
        }
        return remove ? s.remove(ObjectKey.of(p)) : s.put(p);
      }
      case 1 -> {
        VolumeAttachment va = VolumeAttachmentBuilder.builder().metadata(ObjectMeta.named("va-" + name))
            .spec(VolumeAttachmentSpecBuilder.builder().attacher("d").nodeName(NODES[1 + a % 3])
                .source(VolumeAttachmentSourceBuilder.builder()
                    .persistentVolumeName(a == 3 ? Optional.empty() : Optional.of(PVS[b])).build())
                .build())
            .build();
        return remove ? s.remove(ObjectKey.of(va)) : s.put(va);
      }
      case 2 -> {
        PersistentVolume pv = a == 0 ? Fixtures.pv("pv-" + name, "1Gi") : Fixtures.csiPv("pv-" + name, "1Gi", "h" + name);
        if (a == 2) {
          pv = pv.withSpec(pv.spec().withCsi(pv.spec().csi().map(c -> c.withDriver("other.driver"))));
        }
        return remove ? s.remove(ObjectKey.of(pv)) : s.put(pv);
      }
      default -> {
        EffectId id = EffectId.of("op-" + name);
        if (remove) {
          return s.withoutOperation(id);
        }
        ObjectKey owner = ObjectKey.namespaced(Pod.KIND, Fixtures.NS, "pod-" + name);
        Effect e = b == 2
            ? new RemoveLocalVolume(id, owner, "kubelet", NODES[1 + a % 3], "uid", "v", "/x", false)
            : new NodePublish(id, owner, "kubelet", "d", NODES[1 + a % 3], "uid", "v", PVS[b],
                new NodePublishVolumeRequest("h", ImmutableMap.of(), "", "/t", Optional.empty(), false,
                    Secrets.none(), ImmutableMap.of()));
        Operation op = Operation.started(e, 1);
        return a == 3 ? s.withOperation(op).withOperation(op) : s.withOperation(op);
      }
    }
  }

  private static void assertAgree(ClusterState s) {
    NodePodIndex pods = s.index(NodePodIndex.class);
    for (String node : NODES) {
      Set<ObjectKey> scan = new TreeSet<>();
      for (Pod p : s.list(Pod.KIND, Pod.class)) {
        if (p.nodeName().orElse("").equals(node)) {
          scan.add(ObjectKey.of(p));
        }
      }
      assertThat(List.copyOf(node.isEmpty() ? pods.unscheduled() : pods.podsOn(node))).isEqualTo(List.copyOf(scan));
    }
    PodSourceIndex sources = s.index(PodSourceIndex.class);
    for (String kind : List.of(Secret.KIND, ConfigMap.KIND)) {
      for (int i = 0; i < NODES.length; i++) {
        ObjectKey source = ObjectKey.namespaced(kind, Fixtures.NS, "s" + i);
        assertThat(List.copyOf(sources.podsUsing(source))).isEqualTo(s.list(Pod.KIND, Pod.class).stream()
            .filter(p -> p.spec().volumes().stream().anyMatch(v -> kind.equals(Secret.KIND)
                ? v.secret().flatMap(x -> x.secretName()).equals(Optional.of(source.name()))
                : v.configMap().flatMap(x -> x.name()).equals(Optional.of(source.name()))))
            .map(ObjectKey::of).toList());
      }
    }
    AttachmentIndex vas = s.index(AttachmentIndex.class);
    for (String node : NODES) {
      assertThat(List.copyOf(vas.onNode(node))).isEqualTo(s.list(VolumeAttachment.KIND, VolumeAttachment.class).stream()
          .filter(v -> v.spec().nodeName().equals(node)).map(ObjectKey::of).toList());
    }
    for (String pv : PVS) {
      assertThat(List.copyOf(vas.ofVolume(pv))).isEqualTo(s.list(VolumeAttachment.KIND, VolumeAttachment.class).stream()
          .filter(v -> v.spec().source().persistentVolumeName().equals(Optional.of(pv))).map(ObjectKey::of).toList());
    }
    DriverVolumeIndex drivers = s.index(DriverVolumeIndex.class);
    for (String d : List.of(Fixtures.DRIVER, "other.driver")) {
      assertThat(List.copyOf(drivers.volumesOf(d))).isEqualTo(s.list(PersistentVolume.KIND, PersistentVolume.class).stream()
          .filter(p -> p.csi().filter(c -> c.driver().equals(d)).isPresent()).map(ObjectKey::of).toList());
    }
    NodeOperationIndex ops = s.index(NodeOperationIndex.class);
    for (String node : NODES) {
      assertThat(List.copyOf(ops.onNode(node))).isEqualTo(s.operations().stream()
          .filter(o -> node.equals(o.effect() instanceof NodePublish p ? p.node()
              : o.effect() instanceof RemoveLocalVolume r ? r.node() : null))
          .map(o -> o.effect().id()).toList());
      for (String pv : PVS) {
        assertThat(List.copyOf(ops.publishes(node, pv))).isEqualTo(s.operations().stream()
            .filter(o -> o.effect() instanceof NodePublish p && p.node().equals(node) && p.volumeName().equals(pv))
            .map(o -> o.effect().id()).toList());
      }
    }
  }
}
