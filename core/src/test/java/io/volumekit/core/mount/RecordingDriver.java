package io.volumekit.core.mount;

import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.ControllerPublishVolumeRequest;
import io.volumekit.core.csi.ControllerPublishVolumeResponse;
import io.volumekit.core.csi.ControllerUnpublishVolumeRequest;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.csi.NodeGetCapabilitiesResponse;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import com.google.common.collect.ImmutableSet;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A driver (controller or one node's plugin) that records the publish/stage calls into a shared
 * {@link CallLog} and fails them on demand: scripted codes per RPC name or random faults from a seed.
 */
public final class RecordingDriver extends ForwardingCsiDriver {

  private final String node;
  private final CallLog log;
  private final Set<NodeCapability> extraNodeCaps;

  public RecordingDriver(CsiDriver delegate, String node, CallLog log, Set<NodeCapability> extraNodeCaps) {
    super(delegate);
    this.node = node;
    this.log = log;
    this.extraNodeCaps = extraNodeCaps;
  }

  @Override
  public NodeGetCapabilitiesResponse nodeGetCapabilities() {
    var base = delegate().nodeGetCapabilities().capabilities();
    return new NodeGetCapabilitiesResponse(ImmutableSet.<NodeCapability>builder().addAll(base).addAll(extraNodeCaps).build());
  }

  private void maybeFail(String rpc, Runnable doIt) {
    CsiCode code = log.next(rpc);
    if (code == null) {
      doIt.run();
      return;
    }
    if (code.mayBeInProgress() && log.random.nextBoolean()) {
      doIt.run(); // the work was done, the answer lost
    }
    throw new CsiException(code, "injected " + code);
  }

  @Override
  public io.volumekit.core.csi.CreateVolumeResponse createVolume(io.volumekit.core.csi.CreateVolumeRequest r) {
    java.util.Deque<CsiCode> d = log.script.get("CreateVolume");
    if (d != null && !d.isEmpty()) {
      CsiCode code = d.poll();
      throw new CsiException(code, "injected " + code);
    }
    return delegate().createVolume(r);
  }

  @Override
  public ControllerPublishVolumeResponse controllerPublishVolume(ControllerPublishVolumeRequest r) {
    log.call("ControllerPublishVolume", r.volumeId(), r.nodeId(), "");
    CsiCode code = log.next("ControllerPublishVolume");
    if (code != null) {
      throw new CsiException(code, "injected " + code);
    }
    ControllerPublishVolumeResponse out = delegate().controllerPublishVolume(r);
    log.controllerPublished(r.volumeId(), r.nodeId(), r);
    return out;
  }

  @Override
  public void controllerUnpublishVolume(ControllerUnpublishVolumeRequest r) {
    log.call("ControllerUnpublishVolume", r.volumeId(), r.nodeId(), "");
    log.checkControllerUnpublish(r.volumeId(), r.nodeId());
    maybeFail("ControllerUnpublishVolume", () -> {
      delegate().controllerUnpublishVolume(r);
      log.controllerUnpublished(r.volumeId(), r.nodeId());
    });
  }

  @Override
  public void nodeStageVolume(NodeStageVolumeRequest r) {
    log.call("NodeStageVolume", r.volumeId(), node, r.stagingTargetPath());
    log.stages.add(r);
    maybeFail("NodeStageVolume", () -> {
      delegate().nodeStageVolume(r);
      log.staged(r.volumeId(), node);
    });
  }

  @Override
  public void nodeUnstageVolume(NodeUnstageVolumeRequest r) {
    log.call("NodeUnstageVolume", r.volumeId(), node, r.stagingTargetPath());
    log.checkUnstage(r.volumeId(), node);
    maybeFail("NodeUnstageVolume", () -> {
      delegate().nodeUnstageVolume(r);
      log.unstaged(r.volumeId(), node);
    });
  }

  @Override
  public void nodePublishVolume(NodePublishVolumeRequest r) {
    log.call("NodePublishVolume", r.volumeId(), node, r.targetPath());
    log.publishes.add(r);
    maybeFail("NodePublishVolume", () -> {
      delegate().nodePublishVolume(r);
      log.published(r.volumeId(), node, r.targetPath());
    });
  }

  @Override
  public void nodeUnpublishVolume(NodeUnpublishVolumeRequest r) {
    log.call("NodeUnpublishVolume", r.volumeId(), node, r.targetPath());
    maybeFail("NodeUnpublishVolume", () -> {
      delegate().nodeUnpublishVolume(r);
      log.unpublished(r.volumeId(), node, r.targetPath());
    });
  }

  /** Scripted and random faults, plus what each call did to the driver's state. */
  public static final class CallLog {
    public final java.util.Map<String, Deque<CsiCode>> script = new java.util.HashMap<>();
    public final List<String> calls = new java.util.ArrayList<>();
    public final List<NodeStageVolumeRequest> stages = new java.util.ArrayList<>();
    public final List<NodePublishVolumeRequest> publishes = new java.util.ArrayList<>();
    public final List<ControllerPublishVolumeRequest> controllerPublishes = new java.util.ArrayList<>();
    /** volume -> node -> target paths published. */
    public final java.util.Map<String, java.util.Map<String, Set<String>>> published = new java.util.TreeMap<>();
    /** volume -> nodes staged. */
    public final java.util.Map<String, Set<String>> staged = new java.util.TreeMap<>();
    /** volume -> nodes controller-published. */
    public final java.util.Map<String, Set<String>> attached = new java.util.TreeMap<>();
    public final List<String> violations = new java.util.ArrayList<>();
    /** Nodes whose kubelet is down right now (set by the test before each call batch). */
    public java.util.function.Supplier<Set<String>> downNodes = Set::of;
    final Random random;
    private final double rate;

    public CallLog(long seed, double rate) {
      this.random = new Random(seed);
      this.rate = rate;
    }

    public CallLog fail(String rpc, CsiCode... codes) {
      script.computeIfAbsent(rpc, k -> new ArrayDeque<>()).addAll(List.of(codes));
      return this;
    }

    CsiCode next(String rpc) {
      Deque<CsiCode> d = script.get(rpc);
      if (d != null && !d.isEmpty()) {
        return d.poll();
      }
      if (rate > 0 && random.nextDouble() < rate) {
        CsiCode[] codes = {CsiCode.UNAVAILABLE, CsiCode.DEADLINE_EXCEEDED, CsiCode.INTERNAL, CsiCode.ABORTED};
        return codes[random.nextInt(codes.length)];
      }
      return null;
    }

    void call(String rpc, String volume, String node, String path) {
      calls.add(rpc + " " + volume + " " + node + (path.isEmpty() ? "" : " " + path));
    }

    void controllerPublished(String v, String node, ControllerPublishVolumeRequest r) {
      controllerPublishes.add(r);
      attached.computeIfAbsent(v, k -> new java.util.TreeSet<>()).add(node);
    }

    void controllerUnpublished(String v, String node) {
      attached.getOrDefault(v, new java.util.TreeSet<>()).remove(node);
    }

    void checkControllerUnpublish(String v, String node) {
      if (staged.getOrDefault(v, Set.of()).contains(node) && !downNodes.get().contains(node)) {
        violations.add("ControllerUnpublish of " + v + " while staged on " + node);
      }
    }

    void staged(String v, String node) {
      staged.computeIfAbsent(v, k -> new java.util.TreeSet<>()).add(node);
    }

    void checkUnstage(String v, String node) {
      if (!published.getOrDefault(v, java.util.Map.of()).getOrDefault(node, Set.of()).isEmpty()) {
        violations.add("NodeUnstage of " + v + " on " + node + " while published there");
      }
    }

    void unstaged(String v, String node) {
      staged.getOrDefault(v, new java.util.TreeSet<>()).remove(node);
    }

    /** Called after each successful NodePublish with the volume id (for invariants). */
    public java.util.function.BiConsumer<String, CallLog> afterPublish = (v, l) -> { };

    void published(String v, String node, String target) {
      published.computeIfAbsent(v, k -> new java.util.TreeMap<>()).computeIfAbsent(node, k -> new java.util.TreeSet<>()).add(target);
      afterPublish.accept(v, this);
    }

    /** Target paths of the volume on nodes that are up. */
    public int livePublications(String v) {
      Set<String> down = downNodes.get();
      int n = 0;
      for (var e : published.getOrDefault(v, java.util.Map.of()).entrySet()) {
        if (!down.contains(e.getKey())) {
          n += e.getValue().size();
        }
      }
      return n;
    }

    /** Nodes that are up where the volume is published. */
    public Set<String> livePublishedNodes(String v) {
      Set<String> out = publishedNodes(v);
      out.removeAll(downNodes.get());
      return out;
    }

    void unpublished(String v, String node, String target) {
      published.getOrDefault(v, java.util.Map.of()).getOrDefault(node, new java.util.TreeSet<>()).remove(target);
    }

    /** Nodes (up) where the volume is published now. */
    public Set<String> publishedNodes(String v) {
      Set<String> out = new java.util.TreeSet<>();
      published.getOrDefault(v, java.util.Map.of()).forEach((n, t) -> {
        if (!t.isEmpty()) {
          out.add(n);
        }
      });
      return out;
    }

    /** Number of target paths the volume is published to now. */
    public int publicationCount(String v) {
      return published.getOrDefault(v, java.util.Map.of()).values().stream().mapToInt(Set::size).sum();
    }

    /** Whether nothing is published or staged anywhere. */
    public boolean clean() {
      return published.values().stream().allMatch(m -> m.values().stream().allMatch(Set::isEmpty))
          && staged.values().stream().allMatch(Set::isEmpty);
    }
  }
}
