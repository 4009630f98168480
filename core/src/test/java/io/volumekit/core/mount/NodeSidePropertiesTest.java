package io.volumekit.core.mount;

import io.volumekit.core.podvolume.PodVolumeSupport;
import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.wffc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.Fixtures.withModes;
import static io.volumekit.core.mount.NodeKit.claim;
import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.Fixtures;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.store.StoreException;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Taint;
import io.volumekit.model.storage.VolumeAttachment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Invariants of the node side over random sequences of pods (placed by the caller or by the
 * scheduler), claims of every access mode, out-of-service taints and node removal, with random
 * CSI failures on the attach and node RPCs (seeded).
 */
class NodeSidePropertiesTest {

  private static final long SEED = 0x0DE5_1DE4L;
  private static final String[] MODES = {
    AccessModes.READ_WRITE_ONCE, AccessModes.READ_WRITE_ONCE_POD, AccessModes.READ_WRITE_MANY, AccessModes.READ_WRITE_ONCE
  };
  private static final Taint OUT_OF_SERVICE =
      Taint.of(PodVolumeSupport.OUT_OF_SERVICE_TAINT, "nodeshutdown", Taint.NO_EXECUTE);

  static final class Run {
    final RecordingDriver.CallLog log;
    final NodeKit k;
    final List<String> failures = new ArrayList<>();

    Run(long seed) {
      this(seed, java.util.function.UnaryOperator.identity());
    }

    /** With a last say on the engine's builder (e.g. controllers wrapped to check them). */
    Run(long seed, java.util.function.UnaryOperator<io.volumekit.core.VolumeKit.Builder> builder) {
      log = new RecordingDriver.CallLog(seed, 0.15);
      k = new NodeKit(3, c -> c, log, Set.of(), seed, builder);
      log.downNodes = () -> downNodes(k.kit.state());
      log.afterPublish = (volume, l) -> checkPublication(volume);
      k.apply(sc("fast"), wffc(sc("late")));
    }

    static Set<String> downNodes(ClusterState s) {
      Set<String> down = new TreeSet<>();
      for (int i = 1; i <= 3; i++) {
        if (PodVolumeSupport.nodeIsDown(s, "node-" + i)) {
          down.add("node-" + i);
        }
      }
      return down;
    }

    void checkPublication(String volume) {
      for (PersistentVolume pv : k.kit.state().list(PersistentVolume.KIND, PersistentVolume.class)) {
        if (pv.csi().filter(c -> c.volumeHandle().equals(volume)).isEmpty()) {
          continue;
        }
        List<String> modes = pv.spec().accessModes();
        if (!PodVolumeSupport.multiAttachAllowed(pv) && log.livePublishedNodes(volume).size() > 1) {
          failures.add("RWO volume " + volume + " published on " + log.livePublishedNodes(volume));
        }
        if (modes.equals(List.of(AccessModes.READ_WRITE_ONCE_POD)) && log.livePublications(volume) > 1) {
          failures.add("RWOP volume " + volume + " published for " + log.livePublications(volume) + " pods");
        }
      }
    }

    void step(long op) {
      long x = Math.abs(op);
      int kind = (int) (x % 10);
      int a = (int) ((x / 10) % 4);
      int b = (int) ((x / 40) % 4);
      String node = "node-" + (1 + b % 3);
      try {
        switch (kind) {
          case 0, 1 -> {
            if (k.kit.get(PersistentVolumeClaim.class, NodeKit.NS, "claim-" + a).isEmpty()) {
              k.apply(withModes(withClass(pvc("claim-" + a, "1Gi"), b % 2 == 0 ? "fast" : "late"), MODES[a]));
            }
          }
          case 2, 3 -> {
            if (k.kit.get(Pod.class, NodeKit.NS, "pod-" + a + b).isEmpty()) {
              if (b == 1) {
                // with node-local volumes too
                k.apply(io.volumekit.model.core.SecretBuilder.builder()
                    .metadata(io.volumekit.model.meta.ObjectMeta.named(NodeKit.NS, "s"))
                    .stringData(com.google.common.collect.ImmutableMap.of("k", "v" + a)).build());
                k.apply(pod("pod-" + a + b, node, claim("claim-" + a),
                    io.volumekit.model.core.VolumeBuilder.builder().name("scratch").emptyDir(java.util.Optional.of(
                        io.volumekit.model.core.EmptyDirVolumeSourceBuilder.builder().build())).build(),
                    io.volumekit.model.core.VolumeBuilder.builder().name("creds").secret(java.util.Optional.of(
                        io.volumekit.model.core.SecretVolumeSourceBuilder.builder().secretName(java.util.Optional.of("s"))
                            .build())).build()));
              } else {
                k.apply(pod("pod-" + a + b, b == 3 ? "" : node, claim("claim-" + a)));
              }
            }
          }
          case 4 -> k.deletePod("pod-" + a + b);
          case 5 -> k.deleteClaim("claim-" + a);
          case 6 -> taint(node, b % 2 == 0);
          case 7 -> {
            if (b == 0) {
              k.kit.delete(ObjectKey.cluster(Node.KIND, node));
            } else if (k.kit.get(Node.class, "", node).isEmpty()) {
              k.apply(NodeKit.node(node));
            }
          }
          case 8 -> k.kit.settle(Duration.ZERO);
          default -> k.settle();
        }
      } catch (StoreException e) {
        // refused requests change nothing
      }
    }

    void taint(String node, boolean on) {
      k.kit.get(Node.class, "", node).ifPresent(n -> k.apply(
          n.withSpec(n.spec().withTaints(on ? ImmutableList.of(OUT_OF_SERVICE) : ImmutableList.of()))));
    }

    /** Brings every node back, deletes every pod and claim, settles. */
    void cleanUp() {
      for (int i = 1; i <= 3; i++) {
        String n = "node-" + i;
        if (k.kit.get(Node.class, "", n).isEmpty()) {
          k.apply(NodeKit.node(n));
        }
        taint(n, false);
      }
      assertThat(k.kit.settle().quiescent()).as("quiescent once every node is back").isTrue();
      for (Pod p : k.kit.list(Pod.class)) {
        k.deletePod(p.metadata().name());
      }
      for (PersistentVolumeClaim c : k.kit.list(PersistentVolumeClaim.class)) {
        k.deleteClaim(c.metadata().name());
      }
      k.settle();
    }
  }

  @Test
  void sameSeedAndStepsGiveTheSameTrace() {
    qt().withFixedSeed(SEED).withExamples(25)
        .forAll(lists().of(longs().all()).ofSizeBetween(1, 25), longs().between(0, 1_000_000))
        .checkAssert((ops, seed) -> {
          Run a = new Run(seed);
          Run b = new Run(seed);
          for (long op : ops) {
            a.step(op);
            b.step(op);
          }
          a.k.kit.settle();
          b.k.kit.settle();
          String ta = String.join("\n", a.k.trace).replace(a.k.root.toString(), "<root>");
          String tb = String.join("\n", b.k.trace).replace(b.k.root.toString(), "<root>");
          assertThat(tb).isEqualTo(ta);
          assertThat(String.join("\n", b.log.calls).replace(b.k.root.toString(), "<root>"))
              .isEqualTo(String.join("\n", a.log.calls).replace(a.k.root.toString(), "<root>"));
        });
  }

  @Test
  void volumesAreNeverSharedAgainstTheirAccessModeAndNothingLeaks() {
    qt().withFixedSeed(SEED).withExamples(150)
        .forAll(lists().of(longs().all()).ofSizeBetween(1, 30), longs().between(0, 1_000_000))
        .checkAssert((ops, seed) -> {
          Run r = new Run(seed);
          for (long op : ops) {
            r.step(op);
          }
          var result = r.k.kit.settle();
          if (Run.downNodes(r.k.kit.state()).isEmpty()) {
            // (with a node down, a forced detach is retried until the driver lets the volume go)
            assertThat(result.quiescent()).as("settle reaches quiescence").isTrue();
          }
          assertThat(r.failures).as("access-mode violations").isEmpty();
          assertThat(r.log.violations).as("ordering violations").isEmpty();
          // Every placed, live pod on a live node is Running or says why not.
          Set<String> down = Run.downNodes(r.k.kit.state());
          for (Pod p : r.k.kit.list(Pod.class)) {
            if (p.nodeName().isEmpty() || down.contains(p.nodeName().get()) || PodVolumeSupport.isTerminating(p)) {
              continue;
            }
            if (!p.status().phase().orElse("").equals("Running")) {
              List<io.volumekit.model.core.Event> events = r.k.kit.events(ObjectKey.of(p));
              assertThat(events).as("pod " + p.metadata().name() + " is " + p.status().phase() + " without a Warning")
                  .anyMatch(e -> e.type().orElse("").equals("Warning"));
            }
          }
          r.cleanUp();
          assertThat(r.failures).isEmpty();
          assertThat(r.log.violations).isEmpty();
          assertThat(r.log.clean()).as("no publications and no stages left: " + r.log.published + " " + r.log.staged)
              .isTrue();
          assertThat(r.k.kit.list(VolumeAttachment.class)).isEmpty();
          assertThat(r.k.kit.state().operations()).as("no operation left behind").isEmpty();
          try (var files = java.nio.file.Files.walk(r.k.root)) {
            assertThat(files.filter(f -> !java.nio.file.Files.isDirectory(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)))
                .as("no node-local volume files left").isEmpty();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          assertThat(r.k.kit.list(Pod.class)).isEmpty();
          assertThat(Fixtures.driverVolumes(r.k.memory)).isEmpty();
        });
  }
}
