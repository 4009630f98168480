package io.volumekit.testkit;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeResponse;
import io.volumekit.core.csi.ControllerUnpublishVolumeRequest;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.DeleteVolumeRequest;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.csi.ListVolumesRequest;
import io.volumekit.core.csi.ListVolumesResponse;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.runtime.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A CSI driver decorator that injects the faults of a {@link FaultPlan} into the volume
 * operations (CreateVolume, DeleteVolume, Controller(Un)Publish, Node(Un)Stage, Node(Un)Publish),
 * and simulates driver restarts, while recording what the driver underneath really did.
 *
 * <p>What Kubernetes' CSI sidecars and kubelet must survive: transient and final gRPC errors,
 * {@code DEADLINE_EXCEEDED} after the driver did the work (the answer was lost) and before it did
 * (the work is still in progress, or lost), a restart that keeps or loses in-flight work and
 * refuses calls with {@code UNAVAILABLE} while it is down, and slow calls during which time
 * passes.
 *
 * <p>Deterministic: whether the n-th call for one volume misbehaves depends only on the seed, the
 * RPC, the volume (request name, volume id, node, path) and n, never on calls for other volumes.
 * So a seed replays exactly, and removing unrelated steps from a history (shrinking) does not
 * change the faults the remaining steps see. Work kept in progress is serialised per volume, as
 * real drivers lock per volume: it completes before the driver serves the next call for the same
 * volume.
 *
 * <p>Thread-safe (every call holds the decorator's shared lock); meant for one-thread simulations.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * FaultInjectingCsiDriver driver = new FaultInjectingCsiDriver(new InMemoryCsiDriver(), 42L,
 *     FaultPlan.defaults(), Optional.of(clock));
 * VolumeKit kit = VolumeKit.builder().clock(clock).driver("memory.csi.volumekit.io", driver).build();
 * ...
 * driver.quiet();   // no more faults: the engine must now converge
 * }</pre>
 */
public final class FaultInjectingCsiDriver extends ForwardingCsiDriver {

  /** One thing the driver underneath did or refused, in call order. */
  public record Record(Instant at, String rpc, String key, String outcome) {
    @Override
    public String toString() {
      return at + " " + rpc + " " + key + " -> " + outcome;
    }
  }

  private static final CsiCode[] TRANSIENT = {CsiCode.UNAVAILABLE, CsiCode.ABORTED, CsiCode.CANCELLED};
  private static final CsiCode[] FINAL = {CsiCode.INTERNAL, CsiCode.UNKNOWN};

  /** State shared by the views of one driver (see {@link #forNode(String)}). */
  private static final class Shared {
    final long seed;
    final Optional<ManualClock> clock;
    FaultPlan plan;
    boolean quiet;
    Instant downUntil = Instant.MIN;
    /** Nodes whose node plugin cannot be reached (the node is lost). */
    final TreeSet<String> unreachable = new TreeSet<>();
    /** Nodes whose machine is down (destroyed); unlike unreachability, {@code quiet()} keeps it. */
    final TreeSet<String> down = new TreeSet<>();
    final Map<String, Integer> callsPerKey = new HashMap<>();
    /** Work the driver keeps in progress, by volume key, in the order it was accepted. */
    final LinkedHashMap<String, Runnable> inProgress = new LinkedHashMap<>();
    /** Keys whose last outcome the caller may not know (work done, answer lost). */
    final TreeSet<String> uncertain = new TreeSet<>();
    final List<Record> records = new ArrayList<>();
    /** Volume id -> CreateVolume name, for every volume the driver created. */
    final TreeMap<String, String> created = new TreeMap<>();
    // Volume id -> the mutable parameters the driver underneath applied (CreateVolume, then every
    // ControllerModifyVolume that reached it), newest value of each key.
    final TreeMap<String, TreeMap<String, String>> mutableParameters = new TreeMap<>();
    /** Volume id -> its content source ({@code snapshot:<id>}, {@code volume:<id>}), for volumes created from one. */
    final TreeMap<String, String> contentSources = new TreeMap<>();
    /** Snapshot id -> CreateSnapshot name, for every snapshot the driver cut. */
    final TreeMap<String, String> createdSnapshots = new TreeMap<>();
    /** Volume ids deleted by DeleteVolume, in order. */
    final List<String> deleted = new ArrayList<>();
    /** Volume id -> nodes it is controller-published to. */
    final TreeMap<String, TreeSet<String>> controllerPublished = new TreeMap<>();
    /** Volume id -> (node NUL staging path) -> node, for every stage on a node. */
    final TreeMap<String, TreeMap<String, String>> nodeStaged = new TreeMap<>();
    /** Volume id -> (node NUL target path) -> node, for every publication on a node. */
    final TreeMap<String, TreeMap<String, String>> nodePublished = new TreeMap<>();
    long injected;
    final List<java.util.function.Consumer<Record>> listeners = new ArrayList<>();

    void record(Record r) {
      records.add(r);
      for (var l : listeners) {
        l.accept(r);
      }
    }

    Shared(long seed, FaultPlan plan, Optional<ManualClock> clock) {
      this.seed = seed;
      this.plan = plan;
      this.clock = clock;
    }

    Instant now() {
      return clock.map(ManualClock::instant).orElse(Instant.EPOCH);
    }
  }

  private final Shared shared;
  private final String node;

  /**
   * A decorator over {@code delegate}.
   *
   * @param seed seeds every fault decision
   * @param plan the fault rates
   * @param clock the simulation's clock, advanced by slow calls and read for restarts; without
   *     it calls are never slow and a restart's downtime is only ended by {@link #quiet()}
   */
  public FaultInjectingCsiDriver(CsiDriver delegate, long seed, FaultPlan plan, Optional<ManualClock> clock) {
    this(delegate, new Shared(seed, Objects.requireNonNull(plan, "plan"), Objects.requireNonNull(clock, "clock")),
        delegate instanceof InMemoryCsiDriver m ? m.nodeId() : "");
  }

  private FaultInjectingCsiDriver(CsiDriver delegate, Shared shared, String node) {
    super(delegate);
    this.shared = shared;
    this.node = node;
  }

  /**
   * The same decorated driver seen from another node (node calls act on that node), sharing
   * faults and records, over the delegate's own view from that node ({@link CsiDriver#forNode}).
   */
  @Override
  public FaultInjectingCsiDriver forNode(String nodeId) {
    return new FaultInjectingCsiDriver(delegate().forNode(nodeId), shared, nodeId);
  }

  // ------------------------------------------------------------------ control

  /** Replaces the fault plan (for all views). */
  public void plan(FaultPlan plan) {
    synchronized (shared) {
      shared.plan = Objects.requireNonNull(plan, "plan");
    }
  }

  /** The current fault plan. */
  public FaultPlan plan() {
    synchronized (shared) {
      return shared.plan;
    }
  }

  /**
   * Stops injecting faults: from now on every call reaches the driver and answers truthfully; a
   * restart's downtime ends. Work kept in progress stays so until its volume is called again or
   * {@link #finishInProgressWork()}.
   */
  public void quiet() {
    synchronized (shared) {
      shared.quiet = true;
      shared.downUntil = Instant.MIN;
      shared.unreachable.clear();
    }
  }

  /**
   * Makes the node plugin on {@code node} unreachable (the node is lost: every node call made
   * through {@link #forNode(String) its view} fails with {@code UNAVAILABLE}) or reachable again.
   * Controller calls are not affected. {@link #quiet()} makes every node reachable again, except
   * nodes whose machine is down ({@link #destroyNode}); making a node reachable brings it up.
   */
  public void nodeReachable(String node, boolean reachable) {
    synchronized (shared) {
      if (reachable) {
        shared.unreachable.remove(node);
        shared.down.remove(node);
      } else {
        shared.unreachable.add(node);
      }
      shared.record(new Record(shared.now(), "node", node, reachable ? "reachable" : "unreachable"));
    }
  }

  /**
   * The node's machine is destroyed: everything staged or published on it is gone from the
   * driver (as a cloud disk is detached from a deleted instance's mounts), without faults, and its
   * node plugin answers nothing (calls still in flight to it fail) until {@link
   * #nodeReachable(String, boolean) it is reachable} again: a node coming back starts empty.
   */
  public void destroyNode(String nodeId) {
    synchronized (shared) {
      if (!(delegate() instanceof InMemoryCsiDriver m)) {
        throw new IllegalStateException("destroyNode needs an InMemoryCsiDriver underneath");
      }
      InMemoryCsiDriver view = m.forNode(nodeId);
      for (var e : shared.nodePublished.entrySet()) {
        for (var p : List.copyOf(e.getValue().entrySet())) {
          if (p.getValue().equals(nodeId)) {
            view.nodeUnpublishVolume(new NodeUnpublishVolumeRequest(e.getKey(), pathOf(p.getKey())));
            e.getValue().remove(p.getKey());
          }
        }
      }
      for (var e : shared.nodeStaged.entrySet()) {
        for (var p : List.copyOf(e.getValue().entrySet())) {
          if (p.getValue().equals(nodeId)) {
            view.nodeUnstageVolume(new NodeUnstageVolumeRequest(e.getKey(), pathOf(p.getKey())));
            e.getValue().remove(p.getKey());
          }
        }
      }
      shared.down.add(nodeId);
      shared.inProgress.keySet().removeIf(k -> k.startsWith("stage:" + nodeId + ":") || k.startsWith("mount:" + nodeId + ":"));
      shared.record(new Record(shared.now(), "node", nodeId, "destroyed: its mounts are gone"));
    }
  }

  /** Whether {@link #quiet()} was called. */
  public boolean isQuiet() {
    synchronized (shared) {
      return shared.quiet;
    }
  }

  /**
   * The driver restarts: work in progress completes ({@code keepInFlight}) or is lost, and calls
   * fail with {@code UNAVAILABLE} until {@code downtime} has passed on the clock.
   */
  public void restart(boolean keepInFlight, Duration downtime) {
    synchronized (shared) {
      if (keepInFlight) {
        finishInProgressWork();
      } else {
        for (String key : shared.inProgress.keySet()) {
          shared.record(new Record(shared.now(), "restart", key, "in-progress work lost"));
        }
        shared.inProgress.clear();
      }
      if (!shared.quiet) {
        shared.downUntil = shared.now().plus(downtime);
      }
      shared.record(new Record(shared.now(), "restart", "", (keepInFlight ? "kept" : "lost")
          + " in-flight work, down for " + downtime));
    }
  }

  /** Completes all work kept in progress (as a driver that finally gets to it). */
  public void finishInProgressWork() {
    synchronized (shared) {
      List<String> keys = new ArrayList<>(shared.inProgress.keySet());
      for (String key : keys) {
        Runnable work = shared.inProgress.remove(key);
        work.run();
      }
    }
  }

  /** How many calls for volumes still have work in progress in the driver. */
  public int inProgressCount() {
    synchronized (shared) {
      return shared.inProgress.size();
    }
  }

  // ------------------------------------------------------------------ observation

  /** Calls the listener with every new record (on the calling thread, under the driver's lock). */
  public void listen(java.util.function.Consumer<Record> listener) {
    synchronized (shared) {
      shared.listeners.add(Objects.requireNonNull(listener, "listener"));
    }
  }

  /** What the driver underneath did, in order. */
  public ImmutableList<Record> records() {
    synchronized (shared) {
      return ImmutableList.copyOf(shared.records);
    }
  }

  /** Every volume the driver underneath created (id -> CreateVolume name), deleted or not. */
  public ImmutableMap<String, String> createdVolumes() {
    synchronized (shared) {
      return ImmutableMap.copyOf(shared.created);
    }
  }

  /**
   * The mutable parameters the driver underneath applied to the volume (at CreateVolume and by
   * every ControllerModifyVolume that reached it, answered or not), newest value of each key.
   */
  public ImmutableMap<String, String> appliedMutableParameters(String volumeId) {
    synchronized (shared) {
      return ImmutableMap.copyOf(shared.mutableParameters.getOrDefault(volumeId, new TreeMap<>()));
    }
  }

  /**
   * The content source the driver underneath created the volume from: {@code snapshot:<snapshot id>}
   * (a restore), {@code volume:<volume id>} (a clone), or empty (an empty volume).
   */
  public Optional<String> contentSource(String volumeId) {
    synchronized (shared) {
      return Optional.ofNullable(shared.contentSources.get(volumeId));
    }
  }

  /**
   * Every snapshot the driver underneath cut (id -> CreateSnapshot name, or for the members of a
   * group snapshot the CreateVolumeGroupSnapshot name), deleted or not.
   */
  public ImmutableMap<String, String> createdSnapshots() {
    synchronized (shared) {
      return ImmutableMap.copyOf(shared.createdSnapshots);
    }
  }

  /** Snapshot id -> source volume id of the snapshots the driver underneath holds now (ListSnapshots, without faults). */
  public ImmutableMap<String, String> backingSnapshots() {
    synchronized (shared) {
      ImmutableMap.Builder<String, String> out = ImmutableMap.builder();
      String token = "";
      do {
        io.volumekit.core.csi.ListSnapshotsResponse r = delegate().listSnapshots(
            new io.volumekit.core.csi.ListSnapshotsRequest(0, token, "", "", io.volumekit.core.csi.Secrets.none()));
        r.entries().forEach(e -> out.put(e.snapshotId(), e.sourceVolumeId()));
        token = r.nextToken();
      } while (!token.isEmpty());
      return out.buildKeepingLast();
    }
  }

  /**
   * Group snapshot id -> CreateVolumeGroupSnapshot name of the group snapshots the driver underneath
   * holds now: the groups of the member snapshots ListSnapshots lists (without faults).
   */
  public ImmutableMap<String, String> backingGroupSnapshots() {
    synchronized (shared) {
      TreeMap<String, String> out = new TreeMap<>();
      String token = "";
      do {
        io.volumekit.core.csi.ListSnapshotsResponse r = delegate().listSnapshots(
            new io.volumekit.core.csi.ListSnapshotsRequest(0, token, "", "", io.volumekit.core.csi.Secrets.none()));
        r.entries().stream().filter(e -> !e.groupSnapshotId().isEmpty())
            .forEach(e -> out.put(e.groupSnapshotId(), shared.createdSnapshots.getOrDefault(e.snapshotId(), "")));
        token = r.nextToken();
      } while (!token.isEmpty());
      return ImmutableMap.copyOf(out);
    }
  }

  /** The ids of the volumes deleted by DeleteVolume, in order. */
  public ImmutableList<String> deletedVolumes() {
    synchronized (shared) {
      return ImmutableList.copyOf(shared.deleted);
    }
  }

  /** Volume id -> nodes the volume is controller-published (attached) to. */
  public ImmutableMap<String, ImmutableSet<String>> controllerPublications() {
    synchronized (shared) {
      ImmutableMap.Builder<String, ImmutableSet<String>> b = ImmutableMap.builder();
      shared.controllerPublished.forEach((k, v) -> {
        if (!v.isEmpty()) {
          b.put(k, ImmutableSet.copyOf(v));
        }
      });
      return b.build();
    }
  }

  /** Volume id -> (target path -> node) where the volume is node-published (mounted for a pod). */
  public ImmutableMap<String, ImmutableMap<String, String>> nodePublications() {
    synchronized (shared) {
      ImmutableMap.Builder<String, ImmutableMap<String, String>> b = ImmutableMap.builder();
      shared.nodePublished.forEach((k, v) -> {
        if (!v.isEmpty()) {
          Map<String, String> byPath = new TreeMap<>();
          v.forEach((nodeAndPath, n) -> byPath.put(pathOf(nodeAndPath), n));
          b.put(k, ImmutableMap.copyOf(byPath));
        }
      });
      return b.build();
    }
  }

  /** Volume id -> nodes the volume is node-staged on (NodeStageVolume without NodeUnstageVolume yet). */
  public ImmutableMap<String, ImmutableSet<String>> nodeStages() {
    synchronized (shared) {
      ImmutableMap.Builder<String, ImmutableSet<String>> b = ImmutableMap.builder();
      shared.nodeStaged.forEach((k, v) -> {
        if (!v.isEmpty()) {
          b.put(k, ImmutableSet.copyOf(new TreeSet<>(v.values())));
        }
      });
      return b.build();
    }
  }

  /** Volume id -> capacity in bytes of the volumes the driver underneath holds now (ListVolumes, without faults). */
  public ImmutableMap<String, Long> backingCapacities() {
    synchronized (shared) {
      ImmutableMap.Builder<String, Long> out = ImmutableMap.builder();
      String token = "";
      do {
        ListVolumesResponse r = delegate().listVolumes(new ListVolumesRequest(0, token));
        r.entries().forEach(e -> out.put(e.volume().volumeId(), e.volume().capacityBytes()));
        token = r.nextToken();
      } while (!token.isEmpty());
      return out.buildKeepingLast();
    }
  }

  /** The ids of the volumes the driver underneath holds now (ListVolumes, without faults). */
  public ImmutableSet<String> backingVolumes() {
    synchronized (shared) {
      ImmutableSet.Builder<String> out = ImmutableSet.builder();
      String token = "";
      do {
        ListVolumesResponse r = delegate().listVolumes(new ListVolumesRequest(0, token));
        r.entries().forEach(e -> out.add(e.volume().volumeId()));
        token = r.nextToken();
      } while (!token.isEmpty());
      return out.build();
    }
  }

  /** How many faults were injected so far. */
  public long injectedFaults() {
    synchronized (shared) {
      return shared.injected;
    }
  }

  // ------------------------------------------------------------------ faulty calls

  @Override
  public io.volumekit.core.csi.ControllerExpandVolumeResponse controllerExpandVolume(
      io.volumekit.core.csi.ControllerExpandVolumeRequest request) {
    return call("ControllerExpandVolume", "expand:" + request.volumeId(), () -> delegate().controllerExpandVolume(request));
  }

  @Override
  public io.volumekit.core.csi.NodeExpandVolumeResponse nodeExpandVolume(io.volumekit.core.csi.NodeExpandVolumeRequest request) {
    return nodeCall("NodeExpandVolume", "nodeexpand:" + node + ":" + request.volumeId(),
        () -> delegate().nodeExpandVolume(request));
  }

  @Override
  public CreateVolumeResponse createVolume(CreateVolumeRequest request) {
    return call("CreateVolume", "create:" + request.name(), () -> {
      CreateVolumeResponse r = delegate().createVolume(request);
      shared.created.put(r.volume().volumeId(), request.name());
      request.volumeContentSource().ifPresent(src -> shared.contentSources.put(r.volume().volumeId(),
          src instanceof io.volumekit.core.csi.VolumeContentSource.SnapshotSource snap ? "snapshot:" + snap.snapshotId()
              : "volume:" + ((io.volumekit.core.csi.VolumeContentSource.VolumeSource) src).volumeId()));
      shared.mutableParameters.computeIfAbsent(r.volume().volumeId(), k -> new TreeMap<>())
          .putAll(request.mutableParameters());
      return r;
    });
  }

  @Override
  public void deleteVolume(DeleteVolumeRequest request) {
    call("DeleteVolume", "volume:" + request.volumeId(), () -> {
      boolean existed = backingVolumes().contains(request.volumeId());
      delegate().deleteVolume(request);
      if (existed) {
        shared.deleted.add(request.volumeId());
      }
      return null;
    });
  }

  @Override
  public io.volumekit.core.csi.ControllerModifyVolumeResponse controllerModifyVolume(
      io.volumekit.core.csi.ControllerModifyVolumeRequest request) {
    return call("ControllerModifyVolume", "modify:" + request.volumeId(), () -> {
      io.volumekit.core.csi.ControllerModifyVolumeResponse r = delegate().controllerModifyVolume(request);
      shared.mutableParameters.computeIfAbsent(request.volumeId(), k -> new TreeMap<>()).putAll(request.mutableParameters());
      return r;
    });
  }

  @Override
  public io.volumekit.core.csi.CreateSnapshotResponse createSnapshot(io.volumekit.core.csi.CreateSnapshotRequest request) {
    return call("CreateSnapshot", "snapshot-create:" + request.name(), () -> {
      io.volumekit.core.csi.CreateSnapshotResponse r = delegate().createSnapshot(request);
      shared.createdSnapshots.put(r.snapshot().snapshotId(), request.name());
      return r;
    });
  }

  @Override
  public void deleteSnapshot(io.volumekit.core.csi.DeleteSnapshotRequest request) {
    call("DeleteSnapshot", "snapshot:" + request.snapshotId(), () -> {
      delegate().deleteSnapshot(request);
      return null;
    });
  }

  @Override
  public io.volumekit.core.csi.GetSnapshotResponse getSnapshot(io.volumekit.core.csi.GetSnapshotRequest request) {
    return call("GetSnapshot", "snapshot-get:" + request.snapshotId(), () -> delegate().getSnapshot(request));
  }

  @Override
  public io.volumekit.core.csi.ListSnapshotsResponse listSnapshots(io.volumekit.core.csi.ListSnapshotsRequest request) {
    return call("ListSnapshots", "snapshot-list:" + request.snapshotId(), () -> delegate().listSnapshots(request));
  }

  @Override
  public io.volumekit.core.csi.CreateVolumeGroupSnapshotResponse createVolumeGroupSnapshot(
      io.volumekit.core.csi.CreateVolumeGroupSnapshotRequest request) {
    return call("CreateVolumeGroupSnapshot", "group-create:" + request.name(), () -> {
      io.volumekit.core.csi.CreateVolumeGroupSnapshotResponse r = delegate().createVolumeGroupSnapshot(request);
      // The members are snapshots the driver cut too, under the group's CreateVolumeGroupSnapshot name.
      r.groupSnapshot().snapshotIds().forEach(id -> shared.createdSnapshots.put(id, request.name()));
      return r;
    });
  }

  @Override
  public void deleteVolumeGroupSnapshot(io.volumekit.core.csi.DeleteVolumeGroupSnapshotRequest request) {
    call("DeleteVolumeGroupSnapshot", "group:" + request.groupSnapshotId(), () -> {
      delegate().deleteVolumeGroupSnapshot(request);
      return null;
    });
  }

  @Override
  public io.volumekit.core.csi.GetVolumeGroupSnapshotResponse getVolumeGroupSnapshot(
      io.volumekit.core.csi.GetVolumeGroupSnapshotRequest request) {
    return call("GetVolumeGroupSnapshot", "group-get:" + request.groupSnapshotId(),
        () -> delegate().getVolumeGroupSnapshot(request));
  }

  @Override
  public ControllerPublishVolumeResponse controllerPublishVolume(ControllerPublishVolumeRequest request) {
    return call("ControllerPublishVolume", "attach:" + request.volumeId() + "@" + request.nodeId(), () -> {
      ControllerPublishVolumeResponse r = delegate().controllerPublishVolume(request);
      shared.controllerPublished.computeIfAbsent(request.volumeId(), k -> new TreeSet<>()).add(request.nodeId());
      return r;
    });
  }

  @Override
  public void controllerUnpublishVolume(ControllerUnpublishVolumeRequest request) {
    call("ControllerUnpublishVolume", "attach:" + request.volumeId() + "@" + request.nodeId(), () -> {
      delegate().controllerUnpublishVolume(request);
      TreeSet<String> nodes = shared.controllerPublished.get(request.volumeId());
      if (nodes != null) {
        if (request.nodeId().isEmpty()) {
          nodes.clear();
        } else {
          nodes.remove(request.nodeId());
        }
      }
      return null;
    });
  }

  @Override
  public void nodeStageVolume(NodeStageVolumeRequest request) {
    nodeCall("NodeStageVolume", "stage:" + node + ":" + request.volumeId(), () -> {
      delegate().nodeStageVolume(request);
      shared.nodeStaged.computeIfAbsent(request.volumeId(), k -> new TreeMap<>())
          .put(node + "\u0000" + request.stagingTargetPath(), node);
      return null;
    });
  }

  @Override
  public void nodeUnstageVolume(NodeUnstageVolumeRequest request) {
    nodeCall("NodeUnstageVolume", "stage:" + node + ":" + request.volumeId(), () -> {
      delegate().nodeUnstageVolume(request);
      TreeMap<String, String> paths = shared.nodeStaged.get(request.volumeId());
      if (paths != null) {
        paths.remove(node + "\u0000" + request.stagingTargetPath());
      }
      return null;
    });
  }

  @Override
  public void nodePublishVolume(NodePublishVolumeRequest request) {
    nodeCall("NodePublishVolume", "mount:" + node + ":" + request.volumeId() + ":" + request.targetPath(), () -> {
      delegate().nodePublishVolume(request);
      shared.nodePublished.computeIfAbsent(request.volumeId(), k -> new TreeMap<>())
          .put(node + "\u0000" + request.targetPath(), node);
      return null;
    });
  }

  @Override
  public void nodeUnpublishVolume(NodeUnpublishVolumeRequest request) {
    nodeCall("NodeUnpublishVolume", "mount:" + node + ":" + request.volumeId() + ":" + request.targetPath(), () -> {
      delegate().nodeUnpublishVolume(request);
      TreeMap<String, String> paths = shared.nodePublished.get(request.volumeId());
      if (paths != null) {
        paths.remove(node + "\u0000" + request.targetPath());
      }
      return null;
    });
  }

  /** A node call: refused while this view's node is unreachable, else {@link #call}. */
  private <T> T nodeCall(String rpc, String key, Supplier<T> work) {
    synchronized (shared) {
      if (shared.unreachable.contains(node) || shared.down.contains(node)) {
        shared.injected++;
        shared.record(new Record(shared.now(), rpc, key, "refused: node " + node + " unreachable"));
        throw new CsiException(CsiCode.UNAVAILABLE, "injected: node " + node + " is unreachable");
      }
      return call(rpc, key, work);
    }
  }

  /**
   * Performs one call with the plan's faults: finishes work kept in progress for the key first,
   * then draws the fault for the (rpc, key, n) triple.
   */
  private <T> T call(String rpc, String key, Supplier<T> work) {
    synchronized (shared) {
      boolean finishedPending = false;
      Runnable pending = shared.inProgress.remove(key);
      if (pending != null) {
        pending.run();
        finishedPending = true;
      }
      int n = shared.callsPerKey.merge(rpc + "|" + key, 1, Integer::sum);
      if (shared.quiet) {
        return perform(rpc, key, work, "ok");
      }
      if (shared.now().isBefore(shared.downUntil)) {
        shared.injected++;
        shared.record(new Record(shared.now(), rpc, key, "refused: driver restarting"));
        throw new CsiException(CsiCode.UNAVAILABLE, "injected: the driver is restarting");
      }
      SplittableRandom r = new SplittableRandom(mix(shared.seed, rpc, key, n));
      FaultPlan p = shared.plan;
      if (p.slowCallRate() > 0 && r.nextDouble() < p.slowCallRate() && shared.clock.isPresent()
          && !p.slowCallMax().isZero()) {
        Duration d = Duration.ofMillis(1 + r.nextLong(Math.max(1, p.slowCallMax().toMillis())));
        shared.clock.get().advance(d);
        shared.record(new Record(shared.now(), rpc, key, "slow: took " + d));
      }
      double x = r.nextDouble();
      double t = p.transientErrorRate();
      if (x < t) {
        return fail(rpc, key, TRANSIENT[r.nextInt(TRANSIENT.length)], "before the work");
      }
      t += p.finalErrorRate();
      if (x < t) {
        // A driver answers a repeat of work it did truthfully: no final error for uncertain keys.
        if (!finishedPending && !shared.uncertain.contains(key)) {
          return fail(rpc, key, FINAL[r.nextInt(FINAL.length)], "before the work");
        }
        return perform(rpc, key, work, "ok");
      }
      t += p.timeoutAfterWorkRate();
      if (x < t) {
        try {
          perform(rpc, key, work, "done, answer lost");
        } catch (CsiException e) {
          // The driver's own answer (e.g. FAILED_PRECONDITION) is lost with the timeout: it did
          // nothing, which the caller learns by repeating the call.
          shared.record(new Record(shared.now(), rpc, key, "driver said " + e.code() + ", answer lost"));
        }
        shared.uncertain.add(key);
        return fail(rpc, key, CsiCode.DEADLINE_EXCEEDED, "after the work");
      }
      t += p.timeoutBeforeWorkRate();
      if (x < t) {
        if (r.nextBoolean()) {
          shared.inProgress.put(key, () -> {
            try {
              perform(rpc, key, work, "in-progress work finished");
            } catch (CsiException e) {
              shared.record(new Record(shared.now(), rpc, key, "in-progress work failed: " + e.code()));
            }
            // Nobody hears how the work ended: the caller must still find out by repeating.
            shared.uncertain.add(key);
          });
          shared.uncertain.add(key);
          return fail(rpc, key, CsiCode.DEADLINE_EXCEEDED, "work still in progress");
        }
        return fail(rpc, key, CsiCode.DEADLINE_EXCEEDED, "work lost");
      }
      return perform(rpc, key, work, "ok");
    }
  }

  private <T> T perform(String rpc, String key, Supplier<T> work, String outcome) {
    try {
      T out = work.get();
      shared.uncertain.remove(key);
      shared.record(new Record(shared.now(), rpc, key, outcome));
      return out;
    } catch (CsiException e) {
      shared.uncertain.remove(key);
      shared.record(new Record(shared.now(), rpc, key, "driver said " + e.code() + ": " + e.description()));
      throw e;
    }
  }

  private <T> T fail(String rpc, String key, CsiCode code, String when) {
    shared.injected++;
    shared.record(new Record(shared.now(), rpc, key, "injected " + code + " " + when));
    throw new CsiException(code, "injected fault (" + when + ")");
  }

  private static String pathOf(String nodeAndPath) {
    return nodeAndPath.substring(nodeAndPath.indexOf('\u0000') + 1);
  }

  /** A well-mixed 64-bit seed from the parts (SplitMix64 finaliser over a polynomial hash). */
  static long mix(long seed, String rpc, String key, int n) {
    long h = seed;
    h = h * 0x9E3779B97F4A7C15L + rpc.hashCode();
    h = h * 0x9E3779B97F4A7C15L + key.hashCode();
    h = h * 0x9E3779B97F4A7C15L + n;
    h ^= h >>> 30;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 27;
    h *= 0x94D049BB133111EBL;
    h ^= h >>> 31;
    return h;
  }
}
