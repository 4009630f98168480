package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshot;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The simulation with volume group snapshots ({@link HistoryGenerator#withGroupSnapshots()}): claims
 * labelled into groups, group snapshots of a label, deletions of group snapshots and of their
 * contents, with the driver's faults. Every invariant holds, in particular {@link
 * GroupSnapshotInvariants} and the snapshot invariants, which count a group's member snapshots; a group
 * snapshotter that forgets DeleteVolumeGroupSnapshot breaks one.
 */
class GroupSnapshotSimulationTest {

  /** Seeds per CI run (a replay of one seed: {@code -Dvolumekit.sim.seed=N}). */
  static final int CI_SEEDS = 150;

  static Simulation simulation() {
    return SimulationTest.simulation(HistoryGenerator.defaults().withGroupSnapshots(), GroupSnapshotSimulationTest.class);
  }

  @Test
  void groupSnapshotSeedsKeepEveryInvariant() {
    SimulationTest.assertSeedsPass(simulation(), "volumekit.sim.groupSnapshotSeeds", CI_SEEDS);
  }

  @Test
  void theHistoriesCutAndDeleteGroupSnapshots() {
    // The generator must reach the cases the invariants are about.
    Set<String> seen = new TreeSet<>();
    Simulation sim = SimulationTest.observing(HistoryGenerator.defaults().withGroupSnapshots(),
        GroupSnapshotSimulationTest.class, change -> {
          change.afterAs(VolumeGroupSnapshot.class)
              .filter(g -> g.status().readyToUse().orElse(false))
              .ifPresent(g -> seen.add("ready group snapshot"));
          if (change.after().isEmpty()) {
            change.beforeAs(VolumeGroupSnapshotContent.class)
                .filter(c -> c.status().volumeGroupSnapshotHandle().isPresent())
                .ifPresent(c -> seen.add("removed " + c.spec().deletionPolicy() + " group content"));
          }
        });
    for (long seed = 1; seed <= 100; seed++) {
      assertThat(sim.run(seed).violation()).isEmpty();
    }
    assertThat(seen).contains("ready group snapshot", "removed Delete group content", "removed Retain group content");
  }

  @Test
  void aGroupSnapshotDeletedWhileTheDriverCutsItIsDeletedOnTheStorageToo() {
    // With seed 95's faults, this history deletes group snapshot g0 while its CreateVolumeGroupSnapshot
    // is held in flight; the snapshotter once released the content without the group's handle (it
    // was only in the create's result) and left the group on the storage.
    ImmutableList<String> rwo = ImmutableList.of(AccessModes.READ_WRITE_ONCE);
    ImmutableList<String> rwoRox = ImmutableList.of(AccessModes.READ_WRITE_ONCE, AccessModes.READ_ONLY_MANY);
    long gi = 1L << 30;
    List<Step> history = List.of(new Step.CreateClass("fast", "Delete", "Immediate", true),
        new Step.CreateClass("keep", "Retain", "Immediate", false), new Step.AddNode("n1"), new Step.AddNode("n2"),
        new GroupSnapshotSteps.CreateGroupClass("group", "Delete", true),
        new GroupSnapshotSteps.CreateGroupClass("group-keep", "Retain", false),
        new Step.CreateVolume("pv1", "keep", gi, rwoRox, "Retain"),
        new Step.CreateClaim("c3", Optional.of("late"), 2 * gi, ImmutableList.of(AccessModes.READ_WRITE_ONCE_POD), ""),
        new Step.CreateClaim("c4", Optional.of("fast"), 2 * gi, rwo, ""),
        new Step.CreateClaim("c0", Optional.of("keep"), 5 * gi, rwo, ""),
        new GroupSnapshotSteps.TakeGroupSnapshot("g0", "b", ""),
        new Step.CreateVolume("pv3", "late", gi, rwo, "Delete"),
        new GroupSnapshotSteps.LabelClaim("c4", "b"),
        new Step.CreateVolume("pv2", "late", gi, rwoRox, "Retain"),
        new Step.CreatePod("p4", "n2", ImmutableList.of("c1"), "fast"),
        new Step.DeleteClaim("c3"), new GroupSnapshotSteps.DeleteGroupSnapshot("g0"), new Step.Settle(),
        new GroupSnapshotSteps.TakeGroupSnapshot("g0", "b", ""), new GroupSnapshotSteps.DeleteGroupSnapshot("g0"),
        new Step.CreateClaim("c3", Optional.of("fast"), gi, rwoRox, ""),
        new Step.CreatePod("p0", "n0", ImmutableList.of("c4"), "keep"), new Step.BindPod("p0", "n1"),
        new Step.CreatePod("p2", "n2", ImmutableList.of("c0", "c2"), "keep"));
    Simulation sim = Simulation.builder().generator(HistoryGenerator.defaults().withGroupSnapshots())
        .invariants(SimulationTest.invariants()).traceTailLines(1_000_000).build();
    SimulationResult r = sim.run(95, history);
    assertThat(r.violation()).isEmpty();
    List<String> trace = r.traceTail();
    int held = indexOf(trace, "effect held in flight: group-snapshot-create-", 0);
    int deleted = indexOf(trace, "delete VolumeGroupSnapshot/default/g0", held);
    int answered = indexOf(trace, "driver: CreateVolumeGroupSnapshot", deleted);
    assertThat(indexOf(trace, "driver: DeleteVolumeGroupSnapshot", answered)).isPositive();
  }

  private static int indexOf(List<String> trace, String text, int from) {
    for (int i = from; i < trace.size(); i++) {
      if (trace.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no line with '" + text + "' after line " + from);
  }

  @Test
  void aGroupSnapshotterForgettingDeleteVolumeGroupSnapshotIsCaught() {
    SimulationTest.assertCaught(HistoryGenerator.defaults().withGroupSnapshots(), GroupSnapshotSimulationTest.class,
        BrokenEngines.groupSnapshotterSkippingDelete(), Invariants.NO_GROUP_SNAPSHOT_LEAKS);
  }
}
