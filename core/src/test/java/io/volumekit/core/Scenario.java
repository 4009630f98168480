package io.volumekit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.runtime.SettleResult;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One deterministic engine with the in-memory driver registered as {@link Fixtures#DRIVER}, plus
 * shorthands for the assertions the table tests make.
 */
public final class Scenario {

  public final InMemoryCsiDriver memory = new InMemoryCsiDriver();
  public final FaultyDriver faults = new FaultyDriver(memory);
  public final List<String> trace = new ArrayList<>();
  public final VolumeKit kit;
  private final Backdoor backdoor = new Backdoor();

  /**
   * Writes what a test hands it as a controller's write (admission, no validation), to build
   * states a client could not (the API server would refuse the request).
   */
  private static final class Backdoor implements io.volumekit.core.controller.Controller {
    static final String NAME = "test-backdoor";
    final java.util.Map<ObjectKey, ApiObject> pending = new java.util.LinkedHashMap<>();

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public void watch(io.volumekit.core.state.ClusterState state, io.volumekit.core.key.Change change,
        Consumer<ObjectKey> enqueue) {}

    @Override
    public io.volumekit.core.controller.Decision reconcile(io.volumekit.core.state.ClusterState state, ObjectKey key) {
      ApiObject o = pending.remove(key);
      if (o == null) {
        return io.volumekit.core.controller.Decision.none();
      }
      return state.contains(key) ? io.volumekit.core.controller.Decision.update(o)
          : io.volumekit.core.controller.Decision.builder().create(o).build();
    }
  }

  /** Writes the object at the next settle as a controller would: no defaulting or validation. */
  public Scenario writeAsController(ApiObject object) {
    backdoor.pending.put(ObjectKey.of(object), object);
    kit.runtime().enqueue(Backdoor.NAME, ObjectKey.of(object));
    return this;
  }

  public Scenario() {
    this(d -> d);
  }

  /** A scenario whose driver fails as {@link #faults} is told to. */
  public static Scenario withFaults() {
    return new Scenario(true);
  }

  private Scenario(boolean faulty) {
    this(faulty, b -> b);
  }

  private Scenario(boolean faulty, java.util.function.UnaryOperator<VolumeKit.Builder> configure) {
    kit = configure.apply(VolumeKit.builder().deterministic(7).driver(Fixtures.DRIVER, faults)
        .node("node-1").node("node-2").trace(trace::add).controller(backdoor)).build();
  }

  /** A scenario whose driver fails as {@link #faults} is told to, with more engine options (e.g. a feature gate). */
  public static Scenario configured(java.util.function.UnaryOperator<VolumeKit.Builder> configure) {
    return new Scenario(true, configure);
  }

  /** A scenario whose driver is wrapped (e.g. to inject faults). */
  public Scenario(Function<CsiDriver, CsiDriver> wrap) {
    kit = VolumeKit.builder().deterministic(7).driver(Fixtures.DRIVER, wrap.apply(memory))
        .node("node-1").node("node-2").trace(trace::add).controller(backdoor).build();
  }

  public Scenario apply(ApiObject... objects) {
    for (ApiObject o : objects) {
      kit.apply(o);
    }
    return this;
  }

  public SettleResult settle() {
    return kit.settle();
  }

  public Scenario delete(ObjectKey key) {
    kit.delete(key);
    return this;
  }

  public PersistentVolume pv(String name) {
    return kit.get(PersistentVolume.class, "", name).orElseThrow(() -> new AssertionError("no PV " + name));
  }

  public boolean hasPv(String name) {
    return kit.get(PersistentVolume.class, "", name).isPresent();
  }

  public PersistentVolumeClaim pvc(String name) {
    return kit.get(PersistentVolumeClaim.class, Fixtures.NS, name)
        .orElseThrow(() -> new AssertionError("no claim " + name));
  }

  public boolean hasPvc(String name) {
    return kit.get(PersistentVolumeClaim.class, Fixtures.NS, name).isPresent();
  }

  public String uid(String claim) {
    return pvc(claim).metadata().uid().orElseThrow();
  }

  public List<String> pvcReasons(String claim) {
    return Fixtures.reasons(kit, Fixtures.pvcKey(claim));
  }

  public List<String> pvReasons(String pv) {
    return Fixtures.reasons(kit, Fixtures.pvKey(pv));
  }

  public List<String> pvcEvents(String claim) {
    return Fixtures.eventTexts(kit, Fixtures.pvcKey(claim));
  }

  public List<String> pvEvents(String pv) {
    return Fixtures.eventTexts(kit, Fixtures.pvKey(pv));
  }

  public List<String> driverVolumes() {
    return Fixtures.driverVolumes(memory);
  }

  /** Asserts the claim is bound to the PV and the PV to the claim. */
  public void assertBound(String claim, String pv) {
    PersistentVolumeClaim c = pvc(claim);
    PersistentVolume v = pv(pv);
    assertThat(c.phase()).as("phase of claim " + claim).isEqualTo("Bound");
    assertThat(c.volumeName()).as("volumeName of " + claim).contains(pv);
    assertThat(v.phase()).as("phase of PV " + pv).isEqualTo("Bound");
    assertThat(v.spec().claimRef().map(r -> r.nameOrEmpty())).contains(claim);
    assertThat(v.spec().claimRef().flatMap(r -> r.uid())).isEqualTo(c.metadata().uid());
  }

  /** Asserts the claim is Pending without a volume. */
  public void assertPending(String claim) {
    PersistentVolumeClaim c = pvc(claim);
    assertThat(c.phase()).as("phase of claim " + claim).isEqualTo("Pending");
    assertThat(c.volumeName()).as("volumeName of " + claim).isEmpty();
  }

  public Scenario with(Consumer<Scenario> step) {
    step.accept(this);
    return this;
  }
}
