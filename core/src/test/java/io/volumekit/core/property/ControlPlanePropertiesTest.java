package io.volumekit.core.property;

import static io.volumekit.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.volumekit.core.FaultyDriver;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.runtime.SettleResult;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.store.StoreException;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Invariants of the control plane over random sequences of creating and deleting volumes, claims,
 * classes and pods, with random CSI failures (seeded; QuickTheories with a fixed seed).
 */
class ControlPlanePropertiesTest {

  private static final long SEED = 0x5EED_2026L;

  /** One run of a random sequence: the engine, the driver underneath and what the run saw. */
  static final class Run {
    final InMemoryCsiDriver memory = new InMemoryCsiDriver();
    final FaultyDriver faults;
    final VolumeKit kit;
    final List<String> trace = new ArrayList<>();
    final Set<String> retainedHandles = new HashSet<>();
    final Set<String> staticHandles = new HashSet<>();
    final List<SettleResult> settles = new ArrayList<>();

    Run(long faultSeed) {
      faults = new FaultyDriver(memory, faultSeed, 0.3, 3);
      kit = VolumeKit.builder().deterministic(faultSeed).driver(DRIVER, faults).node("node-1").node("node-2")
          .trace(trace::add).build();
      kit.watch(c -> c.afterAs(PersistentVolume.class)
          .filter(pv -> pv.reclaimPolicy().equals("Retain"))
          .flatMap(PersistentVolume::csi)
          .ifPresent(csi -> retainedHandles.add(csi.volumeHandle())));
    }

    void step(long op) {
      long x = Math.abs(op);
      int kind = (int) (x % 11);
      int a = (int) ((x / 11) % 4);
      int b = (int) ((x / 44) % 4);
      int c = (int) ((x / 176) % 3);
      String cls = c == 0 ? "" : "class-" + c;
      String size = (1 + b) + "Gi";
      try {
        switch (kind) {
          case 0, 1 -> {
            // PVs are created once (their reclaim policy never changes in these runs).
            String name = a % 2 == 0 ? "pv-" + a : "csi-" + a;
            if (kit.get(PersistentVolume.class, "", name).isEmpty()) {
              kit.apply(withClass(withPolicy(a % 2 == 0 ? pv(name, size) : csiPvWithBacking(a, size),
                  b % 2 == 0 ? "Retain" : "Delete"), cls));
            }
          }
          case 2, 3, 4 -> kit.apply(withClass(pvc("claim-" + a, size), cls));
          case 5 -> {
            StorageClass sc = sc("class-" + (1 + a % 2)).withReclaimPolicy(Optional.of(b % 2 == 0 ? "Delete" : "Retain"));
            kit.apply(b >= 2 ? wffc(sc) : sc);
          }
          case 6 -> {
            // A pod's spec (volumes, nodeName) is immutable: pods are created once.
            if (kit.get(Pod.class, NS, "pod-" + a).isEmpty()) {
              kit.apply(pod("pod-" + a, b % 3 == 0 ? "" : "node-" + (1 + b % 2), "claim-" + c, "claim-" + a));
            }
          }
          case 7 -> kit.delete(pvcKey("claim-" + a));
          case 8 -> kit.delete(pvKey(a % 2 == 0 ? "pv-" + a : "csi-" + a));
          case 9 -> kit.delete(ObjectKey.namespaced(Pod.KIND, NS, "pod-" + a));
          default -> settles.add(kit.settle());
        }
      } catch (StoreException | io.volumekit.model.validation.InvalidObjectException e) {
        // refused requests (not found, immutable...) change nothing; that is part of the contract
      }
    }

    private PersistentVolume csiPvWithBacking(int a, String size) {
      String id = memory.createVolume(io.volumekit.core.csi.CreateVolumeRequest.of("static-" + a + "-" + trace.size(),
          1L << 30, io.volumekit.core.csi.VolumeCapability.mount("",
              io.volumekit.core.csi.AccessMode.SINGLE_NODE_WRITER))).volume().volumeId();
      staticHandles.add(id);
      PersistentVolume p = csiPv("csi-" + a, size, id);
      return p;
    }
  }

  static Run run(List<Long> ops, long seed) {
    Run r = new Run(seed);
    for (long op : ops) {
      r.step(op);
    }
    r.settles.add(r.kit.settle());
    return r;
  }

  @Test
  void boundClaimsAndVolumesPointAtEachOtherAndNothingLeaks() {
    qt().withFixedSeed(SEED).withExamples(150)
        .forAll(lists().of(longs().all()).ofSizeBetween(1, 40), longs().all())
        .checkAssert((ops, seed) -> {
          Run r = run(ops, seed);
          SettleResult last = r.settles.get(r.settles.size() - 1);
          assertThat(last.quiescent()).as("settle reaches quiescence").isTrue();
          var state = r.kit.state();
          List<PersistentVolumeClaim> claims = state.list(PersistentVolumeClaim.KIND, PersistentVolumeClaim.class);
          List<PersistentVolume> pvs = state.list(PersistentVolume.KIND, PersistentVolume.class);
          Map<String, String> claimOfVolume = new TreeMap<>();
          for (PersistentVolumeClaim c : claims) {
            if (c.isBound()) {
              String v = c.volumeName().orElseThrow(() -> new AssertionError("Bound claim without volumeName"));
              PersistentVolume pv = state.get(pvKey(v), PersistentVolume.class)
                  .orElseThrow(() -> new AssertionError("Bound claim " + c.metadata().name() + " names missing PV " + v));
              assertThat(pv.spec().claimRef().map(ref -> ref.nameOrEmpty())).contains(c.metadata().name());
              assertThat(pv.spec().claimRef().flatMap(ref -> ref.uid())).isEqualTo(c.metadata().uid());
              assertThat(pv.phase()).isEqualTo("Bound");
              String prev = claimOfVolume.put(v, c.metadata().name());
              assertThat(prev).as("PV " + v + " bound to two claims").isNull();
            }
          }
          for (PersistentVolume pv : pvs) {
            if (pv.isBound()) {
              String claim = pv.spec().claimRef().orElseThrow().nameOrEmpty();
              PersistentVolumeClaim c = state.get(pvcKey(claim), PersistentVolumeClaim.class)
                  .orElseThrow(() -> new AssertionError("Bound PV " + pv.metadata().name() + " without its claim"));
              assertThat(c.volumeName()).contains(pv.metadata().name());
            }
          }
          // No backing volume of a Retain PV was ever deleted.
          assertThat(r.faults.deletes).noneMatch(d -> r.retainedHandles.contains(d.volumeId()));
          // No leaked driver volume: each is used by a PV, or was kept on purpose (Retain), or was
          // made by the test for a static PV (an administrator's volume outlives a deleted PV).
          Set<String> referenced = new HashSet<>(r.retainedHandles);
          referenced.addAll(r.staticHandles);
          for (PersistentVolume pv : pvs) {
            pv.csi().ifPresent(csi -> referenced.add(csi.volumeHandle()));
          }
          assertThat(driverVolumes(r.memory)).allSatisfy(id -> assertThat(referenced).contains(id));
          assertThat(state.operations()).allSatisfy(op -> assertThat(op.inFlight()).isFalse());
        });
  }

  @Test
  void sameSeedGivesTheSameTrace() {
    qt().withFixedSeed(SEED).withExamples(40)
        .forAll(lists().of(longs().all()).ofSizeBetween(1, 30), longs().all())
        .checkAssert((ops, seed) -> {
          Run a = run(ops, seed);
          Run b = run(ops, seed);
          assertThat(String.join("\n", b.trace)).isEqualTo(String.join("\n", a.trace));
          assertThat(a.trace).isNotEmpty();
        });
  }

  @Test
  void indexedMatcherChoosesWhatTheLinearScanChooses() {
    qt().withFixedSeed(SEED).withExamples(200)
        .forAll(lists().of(integers().between(0, 10_000)).ofSizeBetween(0, 25), integers().between(0, 10_000))
        .checkAssert((volumes, claimSeed) -> {
          VolumeKit kit = VolumeKit.builder().deterministic(1).build();
          int i = 0;
          for (int v : volumes) {
            PersistentVolume p = pv("pv-" + (i++), (1 + v % 5) + "Gi");
            String[][] modes = {{RWO}, {RWO, ROX}, {RWX}, {ROX}, {RWO, RWX}};
            p = withModes(p, modes[(v / 5) % modes.length]);
            p = withClass(p, (v / 25) % 2 == 0 ? "" : "gold");
            if ((v / 50) % 4 == 0) {
              p = withLabels(p, "tier", "a");
            }
            if ((v / 200) % 7 == 0) {
              p = preBound(p, "c", "");
            }
            kit.apply(p);
          }
          kit.settle(); // volumes become Available
          PersistentVolumeClaim c = pvc("c", (1 + claimSeed % 4) + "Gi");
          String[][] cm = {{RWO}, {ROX}, {RWX}, {RWO, ROX}};
          c = withModes(c, cm[(claimSeed / 4) % cm.length]);
          c = withClass(c, (claimSeed / 16) % 2 == 0 ? "" : "gold");
          if ((claimSeed / 32) % 3 == 0) {
            c = c.withSpec(c.spec().withSelector(Optional.of(io.volumekit.model.meta.LabelSelector.of(Map.of("tier", "a")))));
          }
          PersistentVolumeClaim stored = kit.apply(c, PersistentVolumeClaim.class);
          var indexed = new io.volumekit.core.binding.IndexedVolumeMatcher().findBestMatch(kit.state(), stored, false);
          var linear = new io.volumekit.core.binding.LinearScanVolumeMatcher().findBestMatch(kit.state(), stored, false);
          assertThat(indexed.map(pv -> pv.metadata().name())).isEqualTo(linear.map(pv -> pv.metadata().name()));
        });
  }
}
