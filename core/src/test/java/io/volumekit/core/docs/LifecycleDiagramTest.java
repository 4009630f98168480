package io.volumekit.core.docs;

import static io.volumekit.core.Fixtures.DRIVER;
import static io.volumekit.core.Fixtures.pod;
import static io.volumekit.core.Fixtures.pv;
import static io.volumekit.core.Fixtures.pvKey;
import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.pvcKey;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.Fixtures.withPolicy;
import static io.volumekit.core.Fixtures.wffc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.Fixtures;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.event.Event;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.VolumeAttachment;
import io.volumekit.model.storage.VolumeAttachmentStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generates the state diagrams of docs/lifecycle.md from the real engine, so the pictures cannot
 * drift from the code.
 *
 * <p>Runs representative scenarios (static and dynamic binding, both binding modes, every reclaim
 * policy, deletion in every order, a lost claim, pods mounting and unmounting, attach and detach,
 * failing CSI calls) in deterministic mode on the {@link InMemoryCsiDriver}, observes every phase
 * change of PersistentVolumes, claims, pods and VolumeAttachments through {@link VolumeKit#watch},
 * and every CSI lifecycle step of a volume on a node through the driver ({@link ObservingDriver}).
 * The rendered Mermaid replaces the generated sections of docs/lifecycle.md with {@code
 * -Dvolumekit.docs.write=true}; without it, the test fails when the committed file differs.
 */
class LifecycleDiagramTest {

  static final List<String> DIAGRAMS = List.of(
      Transitions.PV, Transitions.PVC, Transitions.POD, Transitions.ATTACHMENT, Transitions.CSI);

  @TempDir
  Path tmp;

  private final Transitions transitions = new Transitions();
  private String scenario = "";

  /** One fresh deterministic engine with two nodes and the observed in-memory driver. */
  private final class Run {
    final ObservingDriver.Lifecycle csi = new ObservingDriver.Lifecycle(transitions, () -> scenario);
    final VolumeKit kit;

    Run(String name) {
      scenario = name;
      InMemoryCsiDriver memory = new InMemoryCsiDriver();
      kit = VolumeKit.builder().deterministic(42).kubeletRoot(tmp.resolve(name))
          .driver(DRIVER, new ObservingDriver(memory, "", csi),
              node -> new ObservingDriver(memory.forNode(node), node, csi))
          .node("node-1").node("node-2")
          .build();
      kit.watch(this::observe);
    }

    Run apply(ApiObject... objects) {
      for (ApiObject o : objects) {
        kit.apply(o);
      }
      kit.settle();
      return this;
    }

    Run delete(ObjectKey key) {
      kit.delete(key);
      kit.settle();
      return this;
    }

    Run deletePod(String name) {
      return delete(ObjectKey.namespaced(Pod.KIND, Fixtures.NS, name));
    }

    PersistentVolumeClaim claim(String name) {
      return kit.get(PersistentVolumeClaim.class, Fixtures.NS, name).orElseThrow();
    }

    String pvOf(String claim) {
      return claim(claim).spec().volumeName().orElseThrow(() -> new AssertionError(claim + " is not bound"));
    }

    Run assertRunning(String pod) {
      Pod p = kit.get(Pod.class, Fixtures.NS, pod).orElseThrow();
      assertThat(p.status().phase()).as("pod %s in scenario %s", pod, scenario).contains("Running");
      return this;
    }

    Run check(Consumer<Run> assertion) {
      assertion.accept(this);
      return this;
    }

    private void observe(Change c) {
      String diagram = switch (c.kind()) {
        case PersistentVolume.KIND -> Transitions.PV;
        case PersistentVolumeClaim.KIND -> Transitions.PVC;
        case Pod.KIND -> Transitions.POD;
        case VolumeAttachment.KIND -> Transitions.ATTACHMENT;
        default -> "";
      };
      if (diagram.isEmpty()) {
        return;
      }
      String from = c.before().map(LifecycleDiagramTest::stateOf).orElse("[*]");
      String to = c.after().map(LifecycleDiagramTest::stateOf).orElse("[*]");
      if (!from.equals(to)) {
        transitions.record(diagram, from, to, "", scenario);
      }
    }
  }

  /** The state an object shows in its diagram: its phase, "(terminating)" once deletion was requested. */
  static String stateOf(ApiObject o) {
    String base;
    if (o instanceof PersistentVolume v) {
      base = v.phase();
    } else if (o instanceof PersistentVolumeClaim c) {
      base = c.phase();
    } else if (o instanceof Pod p) {
      base = p.status().phase().orElse("Pending");
    } else if (o instanceof VolumeAttachment a) {
      VolumeAttachmentStatus s = a.status();
      if (o.metadata().isDeleting()) {
        return s.detachError().isPresent() ? "DetachError" : "Detaching";
      }
      base = s.attached() ? "Attached" : s.attachError().isPresent() ? "AttachError" : "Attaching";
    } else {
      throw new IllegalArgumentException(o.kind());
    }
    return o.metadata().isDeleting() ? base + " (terminating)" : base;
  }

  private static StorageClass immediate(String name, String policy) {
    return sc(name).withReclaimPolicy(Optional.of(policy));
  }

  private void runScenarios() {
    // A static PV (Retain) bound to a claim; the claim deleted, then the volume.
    new Run("static-retain")
        .apply(pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), ""))
        .check(r -> assertThat(r.pvOf("c1")).isEqualTo("pv1"))
        .delete(pvcKey("c1"))
        .check(r -> assertThat(r.kit.get(PersistentVolume.class, "", "pv1").orElseThrow().phase()).isEqualTo("Released"))
        .delete(pvKey("pv1"));

    // Recycle is refused: the released volume fails.
    new Run("static-recycle")
        .apply(withPolicy(pv("pv1", "1Gi"), "Recycle"), withClass(pvc("c1", "1Gi"), ""))
        .delete(pvcKey("c1"))
        .check(r -> assertThat(r.kit.get(PersistentVolume.class, "", "pv1").orElseThrow().phase()).isEqualTo("Failed"))
        .delete(pvKey("pv1"));

    // Objects deleted before anyone used them: an Available PV, a claim still waiting for a consumer,
    // a pod whose claim does not exist.
    new Run("deleted-unused")
        .apply(pv("pv1", "1Gi"), wffc(sc("late")), withClass(pvc("c1", "1Gi"), "late"), pod("p0", "node-1", "missing"))
        .check(r -> assertThat(r.kit.get(Pod.class, Fixtures.NS, "p0").orElseThrow().status().phase()).contains("Pending"))
        .deletePod("p0")
        .check(r -> assertThat(r.kit.get(Pod.class, Fixtures.NS, "p0")).isEmpty())
        .delete(pvKey("pv1"))
        .delete(pvcKey("c1"))
        .check(r -> assertThat(r.kit.list(PersistentVolumeClaim.class)).isEmpty());

    // A PV deleted while bound waits (pv-protection) for its claim to go.
    new Run("pv-deleted-first")
        .apply(pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), ""))
        .delete(pvKey("pv1"))
        .check(r -> assertThat(r.kit.get(PersistentVolume.class, "", "pv1")).isPresent())
        .delete(pvcKey("c1"));

    // The bound volume vanishes (its finalizer removed behind the engine's back): the claim is Lost.
    Run lost = new Run("lost-claim").apply(pv("pv1", "1Gi"), withClass(pvc("c1", "1Gi"), ""));
    PersistentVolume p = lost.kit.get(PersistentVolume.class, "", "pv1").orElseThrow();
    lost.kit.runtime().submit(new Event.Applied(p.withMetadata(p.metadata().withFinalizers(ImmutableList.of()))));
    lost.delete(pvKey("pv1"))
        .check(r -> assertThat(r.claim("c1").phase()).isEqualTo("Lost"))
        .delete(pvcKey("c1"));

    // Immediate binding, Delete policy, a pod mounting the volume on node-1, then teardown.
    new Run("dynamic-immediate-delete")
        .apply(immediate("fast", "Delete"), withClass(pvc("c1", "1Gi"), "fast"))
        .apply(pod("p1", "node-1", "c1"))
        .assertRunning("p1")
        .deletePod("p1")
        .delete(pvcKey("c1"))
        .check(r -> assertThat(r.kit.list(PersistentVolume.class)).isEmpty());

    // Retain policy on a provisioned volume: the claim goes, the PV stays Released until deleted.
    new Run("dynamic-retain")
        .apply(immediate("keep", "Retain"), withClass(pvc("c1", "1Gi"), "keep"))
        .delete(pvcKey("c1"))
        .check(r -> assertThat(r.kit.list(PersistentVolume.class)).hasSize(1))
        .check(r -> r.delete(ObjectKey.of(r.kit.list(PersistentVolume.class).get(0))));

    // WaitForFirstConsumer: the claim waits for a pod; the scheduler picks the node.
    new Run("dynamic-wffc")
        .apply(wffc(sc("late")), withClass(pvc("c1", "1Gi"), "late"))
        .check(r -> assertThat(r.claim("c1").phase()).isEqualTo("Pending"))
        .apply(pod("p1", "", "c1"))
        .assertRunning("p1")
        .deletePod("p1")
        .delete(pvcKey("c1"));

    // The claim is deleted while a pod uses it: it stays (pvc-protection) until the pod is gone.
    new Run("claim-deleted-while-in-use")
        .apply(immediate("fast", "Delete"), withClass(pvc("c1", "1Gi"), "fast"), pod("p1", "node-1", "c1"))
        .assertRunning("p1")
        .delete(pvcKey("c1"))
        .check(r -> assertThat(r.claim("c1").metadata().isDeleting()).isTrue())
        .deletePod("p1");

    // The volume moves: detached from node-1 after the first pod, attached to node-2 for the next.
    new Run("pod-moves-node")
        .apply(immediate("fast", "Delete"), withClass(pvc("c1", "1Gi"), "fast"), pod("p1", "node-1", "c1"))
        .assertRunning("p1")
        .deletePod("p1")
        .apply(pod("p2", "node-2", "c1"))
        .assertRunning("p2")
        .deletePod("p2")
        .delete(pvcKey("c1"));

    // Every CSI call fails once (retried with backoff), then succeeds.
    Run failing = new Run("csi-failures");
    for (String rpc : List.of("CreateVolume", "ControllerPublishVolume", "NodeStageVolume", "NodePublishVolume",
        "NodeUnpublishVolume", "NodeUnstageVolume", "ControllerUnpublishVolume", "DeleteVolume")) {
      failing.csi.fail(rpc, CsiCode.INTERNAL, 1);
    }
    failing.apply(immediate("fast", "Delete"), withClass(pvc("c1", "1Gi"), "fast"), pod("p1", "node-1", "c1"))
        .assertRunning("p1")
        .deletePod("p1")
        .delete(pvcKey("c1"))
        .check(r -> assertThat(r.kit.list(PersistentVolume.class)).isEmpty())
        .check(r -> assertThat(r.csi.failures.values()).allMatch(q -> q.isEmpty()));
  }

  @Test
  void lifecycleDiagramsMatchTheEngine() throws IOException {
    runScenarios();

    // The pictures must show what the docs explain; these hold whatever the file says.
    assertThat(transitions.scenarios()).hasSize(11);
    assertThat(transitions.edges(Transitions.PVC)).contains(
        new Transitions.Edge("Pending", "Bound", ""), new Transitions.Edge("Bound", "Lost", ""));
    assertThat(transitions.edges(Transitions.PV)).contains(
        new Transitions.Edge("Available", "Bound", ""), new Transitions.Edge("Bound", "Released", ""),
        new Transitions.Edge("Released", "Failed", ""));
    assertThat(transitions.edges(Transitions.POD)).contains(new Transitions.Edge("Pending", "Running", ""));
    assertThat(transitions.edges(Transitions.ATTACHMENT)).contains(new Transitions.Edge("Attaching", "Attached", ""));
    assertThat(transitions.edges(Transitions.CSI)).contains(
        new Transitions.Edge("NODE_READY", "VOL_READY", "NodeStageVolume"),
        new Transitions.Edge("VOL_READY", "PUBLISHED", "NodePublishVolume"),
        new Transitions.Edge("PUBLISHED", "VOL_READY", "NodeUnpublishVolume"),
        new Transitions.Edge("VOL_READY", "NODE_READY", "NodeUnstageVolume"));

    Path doc = repoRoot().resolve("docs/lifecycle.md");
    String committed = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
    String regenerated = regenerate(committed);
    if (Boolean.getBoolean("volumekit.docs.write")) {
      Files.writeString(doc, regenerated, StandardCharsets.UTF_8);
      return;
    }
    assertThat(committed)
        .as("docs/lifecycle.md is out of date with the engine; regenerate it with "
            + "mvn -pl core test -Dtest=LifecycleDiagramTest -Dvolumekit.docs.write=true")
        .isEqualTo(regenerated);
  }

  /** The document with every generated section replaced by the freshly rendered one. */
  String regenerate(String doc) {
    String out = doc;
    for (String d : DIAGRAMS) {
      String begin = "<!-- BEGIN GENERATED: " + d + " (LifecycleDiagramTest) -->\n";
      String end = "<!-- END GENERATED: " + d + " -->";
      int b = out.indexOf(begin);
      int e = out.indexOf(end);
      if (b < 0 || e < b) {
        fail("docs/lifecycle.md has no section \"" + begin.trim() + "\" ... \"" + end + "\"");
      }
      out = out.substring(0, b + begin.length()) + transitions.render(d) + out.substring(e);
    }
    return out;
  }

  /** The repository root: the first directory upwards from the working directory holding core/pom.xml. */
  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.exists(p.resolve("core/pom.xml")) && Files.isDirectory(p.resolve("docs"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }
}
