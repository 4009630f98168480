package io.volumekit.testkit;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.AccessModes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Generates a random history from a seed: the same seed always gives the same list of steps.
 *
 * <p>The world is small on purpose (a few names per kind), so that actions collide: claims are
 * deleted while their volume is being provisioned, pods are deleted and recreated while their
 * claims are being deleted, PVs are deleted while bound, nodes are lost while pods run on them.
 * A history starts with classes ({@code fast}: Immediate/Delete and default, {@code keep}:
 * Immediate/Retain, {@code late}: WaitForFirstConsumer/Delete) and nodes, then draws weighted
 * actions.
 */
public final class HistoryGenerator {

  /** Class names a history uses ({@code none} is never created: claims naming it stay Pending). */
  public static final List<String> CLASSES = List.of("fast", "keep", "late", "none");

  private final int minSteps;
  private final int maxSteps;
  private final int claims;
  private final int volumes;
  private final int pods;
  private final int nodes;
  private final boolean attributesClasses;
  private final int statefulSets;
  private final boolean secrets;
  private final int resizePercent;
  private final boolean block;
  private final boolean snapshots;
  private final boolean groupSnapshots;

  /** A generator of histories of {@code minSteps..maxSteps} actions over the given name pools. */
  public HistoryGenerator(int minSteps, int maxSteps, int claims, int volumes, int pods, int nodes) {
    this(minSteps, maxSteps, claims, volumes, pods, nodes, 0);
  }

  /**
   * The same, where {@code resizePercent} percent of the actions change a claim's request
   * ({@link Step.ResizeClaim}); 0 gives exactly the histories of the constructor without it.
   */
  public HistoryGenerator(int minSteps, int maxSteps, int claims, int volumes, int pods, int nodes, int resizePercent) {
    this(minSteps, maxSteps, claims, volumes, pods, nodes, 0, false, false, resizePercent, false, false, false);
  }

  private HistoryGenerator(int minSteps, int maxSteps, int claims, int volumes, int pods, int nodes,
      int statefulSets, boolean secrets, boolean attributesClasses, int resizePercent, boolean block,
      boolean snapshots, boolean groupSnapshots) {
    if (minSteps < 0 || maxSteps < minSteps || claims < 1 || volumes < 1 || pods < 1 || nodes < 1) {
      throw new IllegalArgumentException("need 0 <= minSteps <= maxSteps and at least one name of each kind");
    }
    this.minSteps = minSteps;
    this.maxSteps = maxSteps;
    this.claims = claims;
    this.volumes = volumes;
    this.pods = pods;
    this.nodes = nodes;
    this.attributesClasses = attributesClasses;
    this.statefulSets = statefulSets;
    this.secrets = secrets;
    if (resizePercent < 0 || resizePercent > 100) {
      throw new IllegalArgumentException("resizePercent must be 0..100");
    }
    this.resizePercent = resizePercent;
    this.block = block;
    this.snapshots = snapshots;
    this.groupSnapshots = groupSnapshots;
  }

  /**
   * This generator with VolumeAttributesClasses: the history starts with {@code gold} ({@code
   * iops=100}), {@code silver} ({@code iops=200, throughput=50}) and {@code bad} (a parameter the
   * driver refuses: Infeasible), and about one action in eight sets a claim's class (to one of
   * those or {@code platinum}, which a later action may create) or creates {@code platinum}.
   * Histories without this option are unchanged (no extra random draws).
   */
  public HistoryGenerator withAttributesClasses() {
    return new HistoryGenerator(minSteps, maxSteps, claims, volumes, pods, nodes, statefulSets, secrets, true, resizePercent, block, snapshots, groupSnapshots);
  }

  /**
   * This generator with StatefulSets too: about one action in five creates, scales or deletes one of
   * {@code names} StatefulSets ({@code s0, s1, ...}; 0-3 replicas, OrderedReady or Parallel, every
   * retention policy). Histories without StatefulSets (the default) draw exactly as before.
   */
  public HistoryGenerator withStatefulSets(int names) {
    if (names < 1) {
      throw new IllegalArgumentException("need at least one StatefulSet name");
    }
    return new HistoryGenerator(minSteps, maxSteps, claims, volumes, pods, nodes, names, secrets, attributesClasses, resizePercent, block, snapshots, groupSnapshots);
  }

  /**
   * This generator with secrets: the history also creates the class {@value #SECURED} (its volumes
   * need the per-claim secret {@code <claim>-creds}, see {@link SimObjects#securedClass}) and every
   * claim's secret, some claims use that class, and secrets are deleted and created again at
   * random, in use or not. Without it, histories are those of the plain generator, step for step.
   */
  public HistoryGenerator withSecrets() {
    return new HistoryGenerator(minSteps, maxSteps, claims, volumes, pods, nodes, statefulSets, true, attributesClasses, resizePercent, block, snapshots, groupSnapshots);
  }

  /**
   * This generator with raw block volumes: about one action in five creates a Block claim or a
   * Block PV ({@link BlockSteps.AsBlock}) or a pod that maps claims
   * through {@code volumeDevices} and mounts others through {@code volumeMounts} ({@link
   * BlockSteps.CreatePod}). Such a pod maps the claims last created as Block and mounts the others,
   * except that one use in six is the wrong one (a mode mismatch the kubelet refuses). Histories
   * without this option draw exactly as before.
   */
  public HistoryGenerator withBlockVolumes() {
    return new HistoryGenerator(minSteps, maxSteps, claims, volumes, pods, nodes, statefulSets, secrets, attributesClasses,
        resizePercent, true, snapshots, groupSnapshots);
  }

  /**
   * This generator with snapshots: the history also creates the snapshot classes {@code snap}
   * (Delete, default) and {@code snap-keep} (Retain), and about one action in four takes a snapshot
   * ({@code snap0..snap2}) of a claim, restores or clones a claim ({@link SnapshotSteps}), or
   * deletes a snapshot or its content. Histories without this option draw exactly as before.
   */
  public HistoryGenerator withSnapshots() {
    return new HistoryGenerator(minSteps, maxSteps, claims, volumes, pods, nodes, statefulSets, secrets, attributesClasses,
        resizePercent, block, true, groupSnapshots);
  }

  /**
   * This generator with volume group snapshots: the history also creates the group snapshot
   * classes {@code group} (Delete, default) and {@code group-keep} (Retain), and about one action
   * in five labels a claim into group {@code a} or {@code b} (or removes its label), takes a group
   * snapshot ({@code g0, g1}) of a label, or deletes a group snapshot or its content ({@link
   * GroupSnapshotSteps}). Histories without this option draw exactly as before.
   */
  public HistoryGenerator withGroupSnapshots() {
    return new HistoryGenerator(minSteps, maxSteps, claims, volumes, pods, nodes, statefulSets, secrets, attributesClasses,
        resizePercent, block, snapshots, true);
  }

  /** The class of the histories {@link #withSecrets() with secrets}. */
  public static final String SECURED = "secured";

  /** The default: 20-60 actions over 6 claims, 4 PVs, 5 pods and 3 nodes. */
  public static HistoryGenerator defaults() {
    return new HistoryGenerator(20, 60, 6, 4, 5, 3);
  }

  /** This generator with {@code percent} percent of the actions resizing a claim (volume expansion). */
  public HistoryGenerator withResizes(int percent) {
    return new HistoryGenerator(minSteps, maxSteps, claims, volumes, pods, nodes, statefulSets, secrets, attributesClasses, percent, block, snapshots, groupSnapshots);
  }

  /** The history of the seed. */
  public ImmutableList<Step> generate(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Step> out = new ArrayList<>();
    out.add(new Step.CreateClass("fast", "Delete", "Immediate", true));
    out.add(new Step.CreateClass("keep", "Retain", "Immediate", false));
    out.add(new Step.CreateClass("late", "Delete", "WaitForFirstConsumer", false));
    for (int i = 0; i < nodes; i++) {
      out.add(new Step.AddNode(node(i)));
    }
    if (attributesClasses) {
      out.add(new Step.CreateAttributesClass("gold", ImmutableMap.of("iops", "100")));
      out.add(new Step.CreateAttributesClass("silver", ImmutableMap.of("iops", "200", "throughput", "50")));
      out.add(new Step.CreateAttributesClass("bad", ImmutableMap.of("burst", "on")));
    }
    if (secrets) {
      out.add(new Step.CreateSecuredClass(SECURED));
      for (int i = 0; i < claims; i++) {
        out.add(new Step.CreateSecret(SimObjects.secretOf("c" + i)));
      }
    }
    if (snapshots) {
      out.add(new SnapshotSteps.CreateSnapshotClass("snap", "Delete", true));
      out.add(new SnapshotSteps.CreateSnapshotClass("snap-keep", "Retain", false));
    }
    if (groupSnapshots) {
      out.add(new GroupSnapshotSteps.CreateGroupClass("group", "Delete", true));
      out.add(new GroupSnapshotSteps.CreateGroupClass("group-keep", "Retain", false));
    }
    int n = minSteps + r.nextInt(maxSteps - minSteps + 1);
    java.util.Set<String> blockClaims = new java.util.HashSet<>();
    for (int i = 0; i < n; i++) {
      Step s = groupSnapshots && r.nextInt(5) == 0 ? groupSnapshotStep(r)
          : snapshots && r.nextInt(4) == 0 ? snapshotStep(r)
          : block && r.nextInt(5) == 0 ? blockStep(r, blockClaims)
          : attributesClasses && r.nextInt(8) == 0 ? attributesClassStep(r)
          : secrets ? nextWithSecrets(r) : next(r);
      if (s instanceof Step.CreateClaim c) {
        blockClaims.remove(c.name()); // the name's next claim is a Filesystem one
      }
      out.add(s);
    }
    return ImmutableList.copyOf(out);
  }

  private Step next(SplittableRandom r) {
    if (statefulSets > 0 && r.nextInt(5) == 0) {
      return statefulSetStep(r);
    }
    if (resizePercent > 0 && r.nextInt(100) < resizePercent) {
      long[] gi = {1, 2, 3, 5, 8, 200};
      return new Step.ResizeClaim(claim(r), gi[r.nextInt(gi.length)] << 30);
    }
    int w = r.nextInt(100);
    if (w < 16) {
      return createClaim(r);
    }
    if (w < 26) {
      return new Step.DeleteClaim(claim(r));
    }
    if (w < 33) {
      return createVolume(r);
    }
    if (w < 37) {
      return new Step.DeleteVolume(volume(r));
    }
    if (w < 39) {
      return new Step.SetReclaimPolicy(volume(r), r.nextBoolean() ? "Retain" : "Delete");
    }
    if (w < 51) {
      return createPod(r);
    }
    if (w < 55) {
      return new Step.BindPod(pod(r), node(r.nextInt(nodes)));
    }
    if (w < 63) {
      return new Step.DeletePod(pod(r));
    }
    if (w < 65) {
      return new Step.SetNodeReady(node(r.nextInt(nodes)), false);
    }
    if (w < 67) {
      return new Step.SetNodeReady(node(r.nextInt(nodes)), true);
    }
    if (w < 68) {
      return new Step.DeleteNode(node(r.nextInt(nodes)));
    }
    if (w < 69) {
      return new Step.AddNode(node(r.nextInt(nodes)));
    }
    if (w < 71) {
      if (r.nextBoolean()) {
        return new Step.ShutdownNode(node(r.nextInt(nodes)));
      }
      String[] effects = {"NoSchedule", "NoExecute", ""};
      return new Step.TaintNode(node(r.nextInt(nodes)), "example.com/maintenance", effects[r.nextInt(effects.length)]);
    }
    if (w < 72) {
      return r.nextBoolean() ? new Step.DeleteClass(CLASSES.get(r.nextInt(3)))
          : new Step.CreateClass("fast", "Delete", "Immediate", true);
    }
    if (w < 85) {
      long[] ms = {100, 500, 1_000, 5_000, 30_000, 130_000};
      return new Step.AdvanceTime(Duration.ofMillis(ms[r.nextInt(ms.length)]));
    }
    if (w < 93) {
      return new Step.Settle();
    }
    return new Step.RestartDriver(r.nextBoolean(), Duration.ofMillis(500L * (1 + r.nextInt(20))));
  }

  /** A step of the block option; {@code blockClaims} holds the claim names last created as Block. */
  private Step blockStep(SplittableRandom r, java.util.Set<String> blockClaims) {
    int w = r.nextInt(10);
    if (w < 4) {
      Step.CreateClaim c = (Step.CreateClaim) createClaim(r);
      blockClaims.add(c.name());
      return new BlockSteps.AsBlock(c);
    }
    if (w < 5) {
      return new BlockSteps.AsBlock(createVolume(r));
    }
    List<String> mounts = new ArrayList<>();
    List<String> devices = new ArrayList<>();
    int count = 1 + (r.nextInt(3) == 0 ? 1 : 0);
    for (int i = 0; i < count; i++) {
      String c = claim(r);
      if (mounts.contains(c) || devices.contains(c)) {
        continue;
      }
      boolean mapped = blockClaims.contains(c) != (r.nextInt(6) == 0);
      (mapped ? devices : mounts).add(c);
    }
    String node = r.nextInt(3) == 0 ? "" : node(r.nextInt(nodes));
    return new BlockSteps.CreatePod(pod(r), node, ImmutableList.copyOf(mounts), ImmutableList.copyOf(devices));
  }

  private Step snapshotStep(SplittableRandom r) {
    String snap = "snap" + r.nextInt(3);
    int w = r.nextInt(10);
    if (w < 3) {
      return new SnapshotSteps.TakeSnapshot(snap, claim(r), r.nextInt(4) == 0 ? "snap-keep" : "");
    }
    if (w < 5) {
      return new SnapshotSteps.RestoreClaim(claim(r), snap, size(r));
    }
    if (w < 6) {
      return new SnapshotSteps.CloneClaim(claim(r), claim(r), size(r));
    }
    if (w < 8) {
      return new SnapshotSteps.DeleteSnapshot(snap);
    }
    if (w < 9) {
      return new SnapshotSteps.DeleteContentOf(snap);
    }
    return new Step.Settle();
  }

  private Step groupSnapshotStep(SplittableRandom r) {
    String group = "g" + r.nextInt(2);
    int w = r.nextInt(10);
    if (w < 3) {
      String[] labels = {"a", "a", "b", ""};
      return new GroupSnapshotSteps.LabelClaim(claim(r), labels[r.nextInt(labels.length)]);
    }
    if (w < 5) {
      return new GroupSnapshotSteps.TakeGroupSnapshot(group, r.nextBoolean() ? "a" : "b",
          r.nextBoolean() ? "group-keep" : "");
    }
    if (w < 7) {
      return new GroupSnapshotSteps.DeleteGroupSnapshot(group);
    }
    if (w < 9) {
      return new GroupSnapshotSteps.DeleteGroupContentOf(group);
    }
    return new Step.Settle();
  }

  private Step attributesClassStep(SplittableRandom r) {
    if (r.nextInt(6) == 0) {
      return new Step.CreateAttributesClass("platinum", ImmutableMap.of("iops", "900"));
    }
    String[] classes = {"gold", "silver", "gold", "silver", "bad", "platinum"};
    return new Step.SetClaimAttributesClass(claim(r), classes[r.nextInt(classes.length)]);
  }

  private Step statefulSetStep(SplittableRandom r) {
    String name = "s" + r.nextInt(statefulSets);
    int w = r.nextInt(10);
    if (w < 3) {
      String[] policies = {"Retain", "Delete"};
      return new Step.CreateStatefulSet(name, r.nextInt(4), r.nextBoolean(), policies[r.nextInt(2)],
          policies[r.nextInt(2)]);
    }
    if (w < 8) {
      return new Step.ScaleStatefulSet(name, r.nextInt(4));
    }
    return new Step.DeleteStatefulSet(name);
  }

  /** A step of a history with secrets: a secret action (one in five), or a plain step. */
  private Step nextWithSecrets(SplittableRandom r) {
    int w = r.nextInt(20);
    if (w < 2) {
      return new Step.DeleteSecret(SimObjects.secretOf(claim(r)));
    }
    if (w < 3) {
      return new Step.CreateSecret(SimObjects.secretOf(claim(r)));
    }
    if (w < 4) {
      return r.nextInt(4) == 0 ? new Step.DeleteClass(SECURED) : new Step.CreateSecuredClass(SECURED);
    }
    Step s = next(r);
    if (s instanceof Step.CreateClaim c && r.nextBoolean()) {
      return new Step.CreateClaim(c.name(), Optional.of(SECURED), c.bytes(), c.accessModes(), c.volumeName());
    }
    return s;
  }

  private Step createClaim(SplittableRandom r) {
    int c = r.nextInt(10);
    Optional<String> cls = c < 4 ? Optional.of("fast") : c < 6 ? Optional.of("keep") : c < 8 ? Optional.of("late")
        : c < 9 ? Optional.empty() : Optional.of(r.nextBoolean() ? "" : "none");
    String volumeName = r.nextInt(8) == 0 ? volume(r) : "";
    return new Step.CreateClaim(claim(r), cls, size(r), modes(r), volumeName);
  }

  private Step createVolume(SplittableRandom r) {
    String[] classes = {"", "fast", "keep", "late"};
    return new Step.CreateVolume(volume(r), classes[r.nextInt(classes.length)], size(r), modes(r),
        r.nextBoolean() ? "Retain" : "Delete");
  }

  private Step createPod(SplittableRandom r) {
    List<String> cs = new ArrayList<>();
    cs.add(claim(r));
    if (r.nextInt(4) == 0) {
      String other = claim(r);
      if (!cs.contains(other)) {
        cs.add(other);
      }
    }
    String node = r.nextInt(3) == 0 ? "" : node(r.nextInt(nodes));
    String[] ephemeral = {"", "", "", "fast", "late", "keep"};
    return new Step.CreatePod(pod(r), node, ImmutableList.copyOf(cs), ephemeral[r.nextInt(ephemeral.length)]);
  }

  private static long size(SplittableRandom r) {
    long[] gi = {1, 1, 2, 5};
    return gi[r.nextInt(gi.length)] << 30;
  }

  private static ImmutableList<String> modes(SplittableRandom r) {
    int m = r.nextInt(10);
    if (m < 5) {
      return ImmutableList.of(AccessModes.READ_WRITE_ONCE);
    }
    if (m < 7) {
      return ImmutableList.of(AccessModes.READ_WRITE_MANY);
    }
    if (m < 8) {
      return ImmutableList.of(AccessModes.READ_ONLY_MANY);
    }
    if (m < 9) {
      return ImmutableList.of(AccessModes.READ_WRITE_ONCE_POD);
    }
    return ImmutableList.of(AccessModes.READ_WRITE_ONCE, AccessModes.READ_ONLY_MANY);
  }

  private String claim(SplittableRandom r) {
    return "c" + r.nextInt(claims);
  }

  private String volume(SplittableRandom r) {
    return "pv" + r.nextInt(volumes);
  }

  private String pod(SplittableRandom r) {
    return "p" + r.nextInt(pods);
  }

  private static String node(int i) {
    return "n" + i;
  }
}
