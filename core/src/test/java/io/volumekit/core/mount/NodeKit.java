package io.volumekit.core.mount;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.Fixtures;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Container;
import io.volumekit.model.core.ContainerBuilder;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.NodeBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimVolumeSource;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodBuilder;
import io.volumekit.model.core.PodSpecBuilder;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.core.VolumeMount;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectMetaBuilder;
import io.volumekit.model.storage.VolumeAttachment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A deterministic engine with nodes, the in-memory driver seen from each node through a
 * {@link RecordingDriver}, and a kubelet root in a fresh temporary directory.
 */
public final class NodeKit {

  public static final String DRIVER = Fixtures.DRIVER;
  public static final String NS = Fixtures.NS;

  public final InMemoryCsiDriver memory;
  public final RecordingDriver.CallLog log;
  public final List<String> trace = new ArrayList<>();
  public final Path root;
  public final VolumeKit kit;

  /** node-1..node-n, default driver config, no faults. */
  public NodeKit(int nodes) {
    this(nodes, UnaryOperator.identity(), new RecordingDriver.CallLog(1, 0), Set.of(), 7);
  }

  public NodeKit(int nodes, UnaryOperator<InMemoryCsiDriver.Config> config, RecordingDriver.CallLog log,
      Set<NodeCapability> extraNodeCaps, long seed) {
    this(nodes, config, log, extraNodeCaps, seed, UnaryOperator.identity());
  }

  /** With a last say on the engine's builder (a token issuer, say). */
  public NodeKit(int nodes, UnaryOperator<InMemoryCsiDriver.Config> config, RecordingDriver.CallLog log,
      Set<NodeCapability> extraNodeCaps, long seed, UnaryOperator<VolumeKit.Builder> builder) {
    this.memory = new InMemoryCsiDriver(config.apply(InMemoryCsiDriver.Config.defaults()));
    this.log = log;
    try {
      this.root = Files.createTempDirectory("volumekit-kubelet-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    VolumeKit.Builder b = VolumeKit.builder().deterministic(seed).kubeletRoot(root)
        .driver(DRIVER, new RecordingDriver(memory, "", log, extraNodeCaps),
            node -> new RecordingDriver(memory.forNode(node), node, log, extraNodeCaps))
        .trace(trace::add);
    for (int i = 1; i <= nodes; i++) {
      b.node("node-" + i);
    }
    kit = builder.apply(b).build();
  }

  public NodeKit apply(ApiObject... objects) {
    for (ApiObject o : objects) {
      kit.apply(o);
    }
    return this;
  }

  public NodeKit settle() {
    kit.settle();
    return this;
  }

  public Pod pod(String name) {
    return kit.get(Pod.class, NS, name).orElseThrow(() -> new AssertionError("no pod " + name));
  }

  public boolean hasPod(String name) {
    return kit.get(Pod.class, NS, name).isPresent();
  }

  public String phase(String pod) {
    return pod(pod).status().phase().orElse("");
  }

  public PersistentVolumeClaim pvc(String name) {
    return kit.get(PersistentVolumeClaim.class, NS, name).orElseThrow(() -> new AssertionError("no claim " + name));
  }

  public String pvOf(String claim) {
    return pvc(claim).volumeName().orElseThrow(() -> new AssertionError("claim " + claim + " not bound"));
  }

  public String handleOf(String claim) {
    return kit.get(PersistentVolume.class, "", pvOf(claim)).orElseThrow().csi().orElseThrow().volumeHandle();
  }

  public List<VolumeAttachment> attachments() {
    return kit.list(VolumeAttachment.class);
  }

  public List<String> events(String pod) {
    return Fixtures.eventTexts(kit, ObjectKey.namespaced(Pod.KIND, NS, pod));
  }

  public List<String> traceLines(String contains) {
    return trace.stream().filter(l -> l.contains(contains)).toList();
  }

  public NodeKit deletePod(String name) {
    kit.delete(ObjectKey.namespaced(Pod.KIND, NS, name));
    return this;
  }

  public NodeKit deleteClaim(String name) {
    kit.delete(ObjectKey.namespaced(PersistentVolumeClaim.KIND, NS, name));
    return this;
  }

  public void assertRunning(String pod) {
    assertThat(phase(pod)).as("phase of pod " + pod + "; events " + events(pod)).isEqualTo("Running");
  }

  // ---------------------------------------------------------------- builders

  /** A pod with one container mounting every volume at /data/<volume>. */
  public static Pod pod(String name, String node, Volume... volumes) {
    List<VolumeMount> mounts = new ArrayList<>();
    for (Volume v : volumes) {
      mounts.add(VolumeMount.of(v.name(), "/data/" + v.name()));
    }
    Container c = ContainerBuilder.builder().name("app").image(Optional.of("busybox"))
        .volumeMounts(ImmutableList.copyOf(mounts)).build();
    return PodBuilder.builder()
        .metadata(ObjectMeta.named(NS, name))
        .spec(PodSpecBuilder.builder().volumes(ImmutableList.copyOf(volumes)).containers(ImmutableList.of(c))
            .nodeName(node.isEmpty() ? Optional.empty() : Optional.of(node)).build())
        .build();
  }

  /** A pod volume named {@code v-<claim>} using the claim. */
  public static Volume claim(String claim) {
    return claim(claim, false);
  }

  public static Volume claim(String claim, boolean readOnly) {
    return VolumeBuilder.builder().name("v-" + claim)
        .persistentVolumeClaim(Optional.of(new PersistentVolumeClaimVolumeSource(claim, Optional.of(readOnly)))).build();
  }

  /** A node with labels. */
  public static Node node(String name, String... labels) {
    ImmutableMap.Builder<String, String> l = ImmutableMap.builder();
    l.put("kubernetes.io/hostname", name);
    for (int i = 0; i + 1 < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    return NodeBuilder.builder().metadata(ObjectMetaBuilder.builder().name(name).labels(l.buildKeepingLast()).build()).build();
  }
}
