package io.volumekit.core.runtime;

import static io.volumekit.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.CreateVolumeResponse;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import io.volumekit.core.csi.ForwardingCsiDriver;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.provisioning.ProvisioningController;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runtime's typed effect listener: starts and outcomes, in order, on the recording thread. */
class EffectListenerTest {

  /**
   * The in-memory driver whose first CreateVolume runs {@code failure} (which throws): a CSI status
   * such as UNAVAILABLE, or an Error (a bug in an adapter).
   */
  private static final class FailingOnce extends ForwardingCsiDriver {
    private final Runnable failure;
    private int calls;

    FailingOnce(Runnable failure) {
      super(new InMemoryCsiDriver());
      this.failure = failure;
    }

    @Override
    public CreateVolumeResponse createVolume(CreateVolumeRequest request) {
      if (calls++ == 0) {
        failure.run();
      }
      return super.createVolume(request);
    }
  }

  /** An engine whose effects wait in {@code pending} until the test runs them. */
  private static VolumeKit kit(ManualClock clock, List<Runnable> pending, Runnable failure, EffectListener listener) {
    return VolumeKit.builder().clock(clock).seed(5).executor(pending::add)
        .driver(DRIVER, new FailingOnce(failure)).effectListener(listener).build();
  }

  private static final class Recorder implements EffectListener {
    final List<String> seen = new ArrayList<>();
    final List<Effect> effects = new ArrayList<>();
    final List<EffectOutcome> outcomes = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();

    @Override
    public void started(Effect effect, int attempt) {
      threads.add(Thread.currentThread());
      effects.add(effect);
      seen.add("start " + effect.id() + " attempt=" + attempt);
    }

    @Override
    public void finished(Effect effect, EffectOutcome outcome) {
      threads.add(Thread.currentThread());
      effects.add(effect);
      outcomes.add(outcome);
      seen.add((outcome instanceof EffectOutcome.Failed f ? "failed " + f.failure().code() : "succeeded")
          + " " + effect.id());
    }
  }

  @Test
  void seesCreateVolumeFailThenSucceed() {
    Recorder rec = new Recorder();
    List<Runnable> pending = new ArrayList<>();
    ManualClock clock = new ManualClock();
    VolumeKit kit = kit(clock, pending, () -> {
      throw new CsiException(CsiCode.UNAVAILABLE, "driver restarting");
    }, rec);
    kit.apply(sc("fast"));
    kit.apply(withClass(pvc("c1", "1Gi"), "fast"));
    EffectId id = ProvisioningController.provisionId(pvcKey("c1"));

    kit.runtime().runUntilIdle();
    assertThat(rec.seen).containsExactly("start " + id + " attempt=1");
    // The call runs elsewhere; its outcome is heard when the runtime records it, not before.
    pending.remove(0).run();
    assertThat(rec.seen).hasSize(1);
    kit.runtime().runUntilIdle();
    assertThat(rec.seen).containsExactly("start " + id + " attempt=1", "failed UNAVAILABLE " + id);
    assertThat(kit.state().operation(id).orElseThrow().inFlight()).isFalse();

    // After the backoff the retry succeeds; the listener runs on the caller's thread, under the
    // runtime's monitor only.
    Thread caller = Thread.currentThread();
    List<Boolean> holdsMonitor = new ArrayList<>();
    kit.runtime().addEffectListener(new EffectListener() {
      @Override
      public void started(Effect effect, int attempt) {
        holdsMonitor.add(Thread.holdsLock(kit.runtime()));
      }

      @Override
      public void finished(Effect effect, EffectOutcome outcome) {
        holdsMonitor.add(Thread.holdsLock(kit.runtime()));
      }
    });
    clock.advance(Duration.ofSeconds(1)); // past the first backoff (500 ms)
    kit.runtime().runUntilIdle();
    assertThat(pending).hasSize(1);
    pending.remove(0).run();
    kit.runtime().runUntilIdle();
    assertThat(holdsMonitor).containsExactly(true, true);
    assertThat(rec.seen).containsExactly("start " + id + " attempt=1", "failed UNAVAILABLE " + id,
        "start " + id + " attempt=2", "succeeded " + id);
    assertThat(rec.effects).allMatch(e -> e.id().equals(id) && e.controller().equals(ProvisioningController.NAME));
    assertThat(rec.outcomes.get(1)).isInstanceOfSatisfying(EffectOutcome.Succeeded.class,
        s -> assertThat(s.result()).containsInstanceOf(CreateVolumeResponse.class));
    assertThat(rec.threads).containsOnly(caller);
    assertThat(kit.get(PersistentVolumeClaim.class, NS, "c1").orElseThrow().phase()).isEqualTo("Bound");
  }

  /**
   * An effect that throws an Error still gets an outcome: the Error reaches the executor's thread,
   * the operation is recorded as failed rather than left in flight (which made settle() wait
   * forever), and the retry after the backoff provisions the claim.
   */
  @Test
  void anErrorInAnEffectIsRecordedAsAFailureAndRethrown() {
    Recorder rec = new Recorder();
    List<Runnable> pending = new ArrayList<>();
    ManualClock clock = new ManualClock();
    VolumeKit kit = kit(clock, pending, () -> {
      throw new AssertionError("adapter bug");
    }, rec);
    kit.apply(sc("fast"));
    kit.apply(withClass(pvc("c1", "1Gi"), "fast"));
    EffectId id = ProvisioningController.provisionId(pvcKey("c1"));

    kit.runtime().runUntilIdle();
    assertThatThrownBy(pending.remove(0)::run).isInstanceOf(AssertionError.class).hasMessage("adapter bug");
    kit.runtime().runUntilIdle();
    assertThat(rec.seen).containsExactly("start " + id + " attempt=1", "failed UNAVAILABLE " + id);
    assertThat(kit.state().operation(id).orElseThrow().inFlight()).isFalse();

    clock.advance(Duration.ofSeconds(1)); // past the first backoff (500 ms)
    kit.runtime().runUntilIdle();
    pending.remove(0).run();
    kit.runtime().runUntilIdle();
    assertThat(kit.get(PersistentVolumeClaim.class, NS, "c1").orElseThrow().phase()).isEqualTo("Bound");
  }

  @Test
  void aListenerExceptionPropagatesAndTheEffectIsRetriedLater() {
    List<String> seen = new ArrayList<>();
    boolean[] fail = {true};
    VolumeKit kit = VolumeKit.builder().deterministic(7).driver(DRIVER, new InMemoryCsiDriver())
        .effectListener(new EffectListener() {
          @Override
          public void started(Effect effect, int attempt) {
            seen.add("start " + attempt);
            if (fail[0]) {
              fail[0] = false;
              throw new IllegalStateException("listener refuses");
            }
          }

          @Override
          public void finished(Effect effect, EffectOutcome outcome) {
            seen.add(outcome instanceof EffectOutcome.Failed f ? "failed " + f.failure().code() : "succeeded");
          }
        }).build();
    kit.apply(sc("fast"));
    kit.apply(withClass(pvc("c1", "1Gi"), "fast"));
    assertThatThrownBy(kit::settle).hasMessage("listener refuses");
    // Not performed, recorded as failed, retried after the backoff.
    kit.settle();
    assertThat(seen).containsExactly("start 1", "failed UNAVAILABLE", "start 2", "succeeded");
    assertThat(kit.get(PersistentVolumeClaim.class, NS, "c1").orElseThrow().phase()).isEqualTo("Bound");
  }
}
