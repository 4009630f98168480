package io.volumekit.core.expansion;

import com.google.common.collect.ImmutableSet;
import io.volumekit.core.Fixtures;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.ControllerExpandVolumeRequest;
import io.volumekit.core.csi.ControllerExpandVolumeResponse;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.GetPluginCapabilitiesResponse;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.csi.NodeExpandVolumeRequest;
import io.volumekit.core.csi.NodeExpandVolumeResponse;
import io.volumekit.core.csi.NodeGetCapabilitiesResponse;
import io.volumekit.core.csi.PluginCapability;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.quantity.Quantity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic engine with one node and the in-memory driver behind {@link Driver}, which
 * records the expansion calls, fails them as scripted, and can say it expands offline only or has
 * no node expansion.
 */
final class ExpansionKit {

  static final String NS = Fixtures.NS;

  final InMemoryCsiDriver memory = new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults());
  final List<String> calls = new ArrayList<>();
  final Map<String, Deque<CsiCode>> script = new HashMap<>();
  final VolumeKit kit;
  boolean offlineOnly;
  boolean noNodeExpansion;

  ExpansionKit() {
    this(false, false);
  }

  ExpansionKit(boolean offlineOnly, boolean noNodeExpansion) {
    this(offlineOnly, noNodeExpansion, 11, null);
  }

  /** Random faults from the seed, at the rate (0 for none); the listener hears every effect. */
  final java.util.Random random;
  double faultRate;

  ExpansionKit(boolean offlineOnly, boolean noNodeExpansion, long seed,
      io.volumekit.core.runtime.EffectListener listener) {
    this.offlineOnly = offlineOnly;
    this.noNodeExpansion = noNodeExpansion;
    this.random = new java.util.Random(seed);
    try {
      VolumeKit.Builder b = VolumeKit.builder().deterministic(seed)
          .kubeletRoot(Files.createTempDirectory("volumekit-expansion"))
          .driver(Fixtures.DRIVER, new Driver(memory), node -> new Driver(memory.forNode(node)))
          .node("node-1");
      if (listener != null) {
        b.effectListener(listener);
      }
      kit = b.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next calls of the RPC fail with these codes, in order. */
  ExpansionKit fail(String rpc, CsiCode... codes) {
    script.computeIfAbsent(rpc, k -> new ArrayDeque<>()).addAll(List.of(codes));
    return this;
  }

  ExpansionKit apply(ApiObject... objects) {
    for (ApiObject o : objects) {
      kit.apply(o);
    }
    return this;
  }

  ExpansionKit settle() {
    kit.settle();
    return this;
  }

  PersistentVolumeClaim pvc(String name) {
    return kit.get(PersistentVolumeClaim.class, NS, name).orElseThrow();
  }

  PersistentVolume pvOf(String claim) {
    return kit.get(PersistentVolume.class, "", pvc(claim).volumeName().orElseThrow()).orElseThrow();
  }

  /** Applies the claim again with another request. */
  ExpansionKit resize(String claim, String size) {
    PersistentVolumeClaim c = pvc(claim);
    var req = new java.util.LinkedHashMap<>(c.spec().resources().requests());
    req.put("storage", Quantity.parse(size));
    kit.apply(c.withSpec(c.spec().withResources(c.spec().resources().withRequests(
        com.google.common.collect.ImmutableMap.copyOf(req)))));
    return this;
  }

  List<String> claimEvents(String claim) {
    return Fixtures.eventTexts(kit, ObjectKey.namespaced(PersistentVolumeClaim.KIND, NS, claim));
  }

  List<String> podEvents(String pod) {
    return Fixtures.eventTexts(kit, ObjectKey.namespaced(io.volumekit.model.core.Pod.KIND, NS, pod));
  }

  final class Driver extends ForwardingCsiDriver {
    Driver(CsiDriver delegate) {
      super(delegate);
    }

    /** Scripted failures first, then random ones; a may-be-in-progress failure may do the work first. */
    private <T> T call(String rpc, java.util.function.Supplier<T> work, CsiCode... randomCodes) {
      Deque<CsiCode> d = script.get(rpc);
      CsiCode c = d != null && !d.isEmpty() ? d.poll() : null;
      if (c == null && faultRate > 0 && random.nextDouble() < faultRate) {
        c = randomCodes[random.nextInt(randomCodes.length)];
      }
      if (c == null) {
        return work.get();
      }
      if (c.mayBeInProgress() && random.nextBoolean()) {
        work.get(); // done, but the answer is lost
      }
      throw new CsiException(c, "injected " + c);
    }

    @Override
    public GetPluginCapabilitiesResponse getPluginCapabilities() {
      if (!offlineOnly) {
        return delegate().getPluginCapabilities();
      }
      return new GetPluginCapabilitiesResponse(ImmutableSet.of(PluginCapability.CONTROLLER_SERVICE,
          PluginCapability.OFFLINE_VOLUME_EXPANSION));
    }

    @Override
    public NodeGetCapabilitiesResponse nodeGetCapabilities() {
      var caps = delegate().nodeGetCapabilities().capabilities();
      if (!noNodeExpansion) {
        return delegate().nodeGetCapabilities();
      }
      return new NodeGetCapabilitiesResponse(caps.stream().filter(c -> c != NodeCapability.EXPAND_VOLUME)
          .collect(ImmutableSet.toImmutableSet()));
    }

    @Override
    public ControllerExpandVolumeResponse controllerExpandVolume(ControllerExpandVolumeRequest r) {
      calls.add("ControllerExpandVolume " + r.capacityRange().orElseThrow().requiredBytes());
      return call("ControllerExpandVolume", () -> delegate().controllerExpandVolume(r),
          CsiCode.UNAVAILABLE, CsiCode.DEADLINE_EXCEEDED, CsiCode.INTERNAL, CsiCode.OUT_OF_RANGE);
    }

    @Override
    public NodeExpandVolumeResponse nodeExpandVolume(NodeExpandVolumeRequest r) {
      calls.add("NodeExpandVolume " + r.capacityRange().orElseThrow().requiredBytes() + " " + r.volumePath());
      return call("NodeExpandVolume", () -> delegate().nodeExpandVolume(r), CsiCode.UNAVAILABLE, CsiCode.INTERNAL);
    }
  }
}
