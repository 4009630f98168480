package io.volumekit.core.docs;

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
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A view of the in-memory driver (controller plugin, or the node plugin of one node) that tracks
 * the CSI lifecycle of every volume on every node from the calls that actually reach it, and fails
 * scripted calls.
 *
 * <p>The per-node state of a volume is the one of the CSI spec's lifecycle figure (section
 * "Volume Lifecycle"): {@code CREATED} (exists), {@code NODE_READY} (ControllerPublished to the
 * node), {@code VOL_READY} (staged on the node), {@code PUBLISHED} (published to at least one
 * target path). A transition is recorded only when the delegate answered without error.
 */
final class ObservingDriver extends ForwardingCsiDriver {

  /** Where the CSI lifecycle of all views of one driver is kept. */
  static final class Lifecycle {
    private final Set<String> created = new HashSet<>();
    private final Set<String> controllerPublished = new HashSet<>();
    private final Set<String> staged = new HashSet<>();
    private final Map<String, Set<String>> targets = new HashMap<>();
    /** Scripted failures: RPC name -> codes applied to its next calls. */
    final Map<String, Deque<CsiCode>> failures = new HashMap<>();
    private final Transitions transitions;
    private final Supplier<String> scenario;

    Lifecycle(Transitions transitions, Supplier<String> scenario) {
      this.transitions = transitions;
      this.scenario = scenario;
    }

    /** Makes the next {@code times} calls of the RPC fail with the code. */
    void fail(String rpc, CsiCode code, int times) {
      Deque<CsiCode> q = failures.computeIfAbsent(rpc, k -> new ArrayDeque<>());
      for (int i = 0; i < times; i++) {
        q.add(code);
      }
    }

    private String state(String volume, String node) {
      String k = volume + "@" + node;
      if (!targets.getOrDefault(k, Set.of()).isEmpty()) {
        return "PUBLISHED";
      }
      if (staged.contains(k)) {
        return "VOL_READY";
      }
      if (controllerPublished.contains(k)) {
        return "NODE_READY";
      }
      return "CREATED";
    }

    /** Runs the call on the delegate, failing it if scripted, and records the state change. */
    private <T> T observe(String rpc, String volume, String node, Supplier<T> call, Runnable change) {
      String before = created.contains(volume) ? state(volume, node) : "[*]";
      Deque<CsiCode> q = failures.get(rpc);
      if (q != null && !q.isEmpty()) {
        CsiCode code = q.poll();
        transitions.record(Transitions.CSI, before, before, rpc + " error", scenario.get());
        throw new CsiException(code, "injected by LifecycleDiagramTest");
      }
      T out = call.get();
      change.run();
      String after = created.contains(volume) ? state(volume, node) : "[*]";
      if (!before.equals(after)) {
        transitions.record(Transitions.CSI, before, after, rpc, scenario.get());
      }
      return out;
    }
  }

  private final Lifecycle lifecycle;
  private final String node;

  /** A view for the node ({@code ""}: the controller plugin). */
  ObservingDriver(CsiDriver delegate, String node, Lifecycle lifecycle) {
    super(delegate);
    this.node = node;
    this.lifecycle = lifecycle;
  }

  @Override
  public CreateVolumeResponse createVolume(CreateVolumeRequest r) {
    Lifecycle l = lifecycle;
    // The volume id is only known from the answer: record [*] -> CREATED after it.
    Deque<CsiCode> q = l.failures.get("CreateVolume");
    if (q != null && !q.isEmpty()) {
      CsiCode code = q.poll();
      // Nothing exists before or after: no state to draw (the claim's events show the error).
      throw new CsiException(code, "injected by LifecycleDiagramTest");
    }
    CreateVolumeResponse out = delegate().createVolume(r);
    if (l.created.add(out.volume().volumeId())) {
      l.transitions.record(Transitions.CSI, "[*]", "CREATED", "CreateVolume", l.scenario.get());
    }
    return out;
  }

  @Override
  public void deleteVolume(DeleteVolumeRequest r) {
    lifecycle.observe("DeleteVolume", r.volumeId(), "", () -> {
      delegate().deleteVolume(r);
      return null;
    }, () -> lifecycle.created.remove(r.volumeId()));
  }

  @Override
  public ControllerPublishVolumeResponse controllerPublishVolume(ControllerPublishVolumeRequest r) {
    return lifecycle.observe("ControllerPublishVolume", r.volumeId(), r.nodeId(),
        () -> delegate().controllerPublishVolume(r),
        () -> lifecycle.controllerPublished.add(r.volumeId() + "@" + r.nodeId()));
  }

  @Override
  public void controllerUnpublishVolume(ControllerUnpublishVolumeRequest r) {
    lifecycle.observe("ControllerUnpublishVolume", r.volumeId(), r.nodeId(), () -> {
      delegate().controllerUnpublishVolume(r);
      return null;
    }, () -> lifecycle.controllerPublished.remove(r.volumeId() + "@" + r.nodeId()));
  }

  @Override
  public void nodeStageVolume(NodeStageVolumeRequest r) {
    lifecycle.observe("NodeStageVolume", r.volumeId(), node, () -> {
      delegate().nodeStageVolume(r);
      return null;
    }, () -> lifecycle.staged.add(r.volumeId() + "@" + node));
  }

  @Override
  public void nodeUnstageVolume(NodeUnstageVolumeRequest r) {
    lifecycle.observe("NodeUnstageVolume", r.volumeId(), node, () -> {
      delegate().nodeUnstageVolume(r);
      return null;
    }, () -> lifecycle.staged.remove(r.volumeId() + "@" + node));
  }

  @Override
  public void nodePublishVolume(NodePublishVolumeRequest r) {
    lifecycle.observe("NodePublishVolume", r.volumeId(), node, () -> {
      delegate().nodePublishVolume(r);
      return null;
    }, () -> lifecycle.targets.computeIfAbsent(r.volumeId() + "@" + node, k -> new HashSet<>()).add(r.targetPath()));
  }

  @Override
  public void nodeUnpublishVolume(NodeUnpublishVolumeRequest r) {
    lifecycle.observe("NodeUnpublishVolume", r.volumeId(), node, () -> {
      delegate().nodeUnpublishVolume(r);
      return null;
    }, () -> lifecycle.targets.getOrDefault(r.volumeId() + "@" + node, new HashSet<>()).remove(r.targetPath()));
  }
}
