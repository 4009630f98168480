package io.volumekit.core.modify;

import io.volumekit.core.Fixtures;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.csi.ControllerGetCapabilitiesResponse;
import io.volumekit.core.csi.ControllerModifyVolumeRequest;
import io.volumekit.core.csi.ControllerModifyVolumeResponse;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.VolumeAttributesClass;
import io.volumekit.model.storage.VolumeAttributesClassBuilder;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A deterministic engine with the in-memory driver accepting the mutable parameters {@code iops}
 * and {@code throughput}, behind a wrapper that fails ControllerModifyVolume on demand (a code
 * that may leave the call in progress is thrown after the driver applied it, as a timeout is).
 */
final class ModifyScenario {

  static final Set<String> KEYS = Set.of("iops", "throughput");

  final InMemoryCsiDriver memory = new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults()
      .withMutableParameterKeys(KEYS));
  final Deque<CsiCode> modifyFailures = new ArrayDeque<>();
  /** Random faults of ControllerModifyVolume: a seeded source and the rate (0: none). */
  java.util.Random random = new java.util.Random(0);
  double faultRate;
  private static final CsiCode[] RANDOM_CODES = {
    CsiCode.UNAVAILABLE, CsiCode.DEADLINE_EXCEEDED, CsiCode.INTERNAL, CsiCode.ABORTED
  };
  final List<ControllerModifyVolumeRequest> modifies = new ArrayList<>();
  final List<CreateVolumeRequest> creates = new ArrayList<>();
  final VolumeKit kit;

  ModifyScenario() {
    this(true);
  }

  /** With or without the MODIFY_VOLUME capability advertised. */
  ModifyScenario(boolean modifyCapability) {
    kit = VolumeKit.builder().deterministic(7).driver(Fixtures.DRIVER, new ForwardingCsiDriver(memory) {
      @Override
      public ControllerGetCapabilitiesResponse controllerGetCapabilities() {
        var caps = new java.util.HashSet<>(delegate().controllerGetCapabilities().capabilities());
        if (!modifyCapability) {
          caps.remove(ControllerCapability.MODIFY_VOLUME);
        }
        return new ControllerGetCapabilitiesResponse(com.google.common.collect.ImmutableSet.copyOf(caps));
      }

      @Override
      public CreateVolumeResponse createVolume(CreateVolumeRequest request) {
        creates.add(request);
        return delegate().createVolume(request);
      }

      @Override
      public ControllerModifyVolumeResponse controllerModifyVolume(ControllerModifyVolumeRequest request) {
        modifies.add(request);
        CsiCode code = modifyFailures.poll();
        if (code == null && faultRate > 0 && random.nextDouble() < faultRate) {
          code = RANDOM_CODES[random.nextInt(RANDOM_CODES.length)];
        }
        if (code == null) {
          return delegate().controllerModifyVolume(request);
        }
        if (code.mayBeInProgress()) {
          delegate().controllerModifyVolume(request);
        }
        throw new CsiException(code, "injected " + code);
      }
    }).node("node-1").build();
  }

  static VolumeAttributesClass vac(String name, String... kv) {
    ImmutableMap.Builder<String, String> p = ImmutableMap.builder();
    for (int i = 0; i < kv.length; i += 2) {
      p.put(kv[i], kv[i + 1]);
    }
    return vac(name, Fixtures.DRIVER, p.build());
  }

  static VolumeAttributesClass vac(String name, String driver, Map<String, String> params) {
    return VolumeAttributesClassBuilder.builder().metadata(ObjectMeta.named(name)).driverName(driver)
        .parameters(ImmutableMap.copyOf(params)).build();
  }

  /** A claim of class "fast" asking for the VolumeAttributesClass (none when empty). */
  static PersistentVolumeClaim claim(String name, String vac) {
    PersistentVolumeClaim c = Fixtures.withClass(Fixtures.pvc(name, "1Gi"), "fast");
    return vac.isEmpty() ? c : c.withSpec(c.spec().withVolumeAttributesClassName(Optional.of(vac)));
  }

  ModifyScenario apply(ApiObject... objects) {
    for (ApiObject o : objects) {
      kit.apply(o);
    }
    return this;
  }

  ModifyScenario settle() {
    kit.settle();
    return this;
  }

  /** Sets the claim's volumeAttributesClassName, as {@code kubectl patch} would. */
  ModifyScenario switchTo(String claim, String vac) {
    PersistentVolumeClaim c = pvc(claim);
    kit.apply(c.withSpec(c.spec().withVolumeAttributesClassName(Optional.of(vac))));
    return this;
  }

  PersistentVolumeClaim pvc(String name) {
    return kit.get(PersistentVolumeClaim.class, Fixtures.NS, name).orElseThrow();
  }

  PersistentVolume pvOf(String claim) {
    return kit.get(PersistentVolume.class, "", pvc(claim).volumeName().orElseThrow()).orElseThrow();
  }

  /** The mutable parameters the driver holds for the claim's volume. */
  Map<String, String> driverParams(String claim) {
    return memory.mutableParameters(pvOf(claim).spec().csi().orElseThrow().volumeHandle()).orElseThrow();
  }

  List<String> events(String claim) {
    return Fixtures.eventTexts(kit, Fixtures.pvcKey(claim));
  }

  List<String> reasons(String claim) {
    return Fixtures.reasons(kit, Fixtures.pvcKey(claim));
  }
}
