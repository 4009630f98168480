package io.volumekit.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.RemoveLocalVolume;
import io.volumekit.core.event.EventRecorder;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.node.LocalVolumeWriter;
import io.volumekit.core.node.NodePlugins;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.store.Ids;
import io.volumekit.core.store.InMemoryStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * How the runtime records operations: a finished effect is seen by its owner's next reconcile, an
 * effect still running shows in flight, a same decision's second start of an id is not made, and a
 * {@code forgottenOnSuccess} effect (a prune) is forgotten on success without a reconcile of its
 * owner, while its failure is recorded and reconciled.
 */
class OperationRecordsTest {

  private static final ObjectKey OWNER = new ObjectKey("test.volumekit.io/Thing", "", "t1");
  private static final EffectId ID = EffectId.of("remove/t1");

  /** Issues one removal for its key (twice in one decision if asked), then forgets it when finished. */
  private static class Remover implements Controller {
    final boolean prune;
    final boolean twice;
    final List<String> seen = new ArrayList<>();

    Remover(boolean prune, boolean twice) {
      this.prune = prune;
      this.twice = twice;
    }

    @Override
    public String name() {
      return "remover";
    }

    @Override
    public WatchedKinds watches() {
      return WatchedKinds.of("test.volumekit.io/Nothing");
    }

    @Override
    public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {}

    @Override
    public Decision reconcile(ClusterState state, ObjectKey key) {
      Optional<Operation> op = state.operation(ID);
      seen.add(op.map(o -> o.status() + "/" + o.attempts()).orElse("none"));
      if (op.isEmpty()) {
        if (seen.size() > 1) {
          return Decision.none(); // done
        }
        RemoveLocalVolume e = new RemoveLocalVolume(ID, OWNER, name(), "node-1", "uid", "", "/pods/uid", prune);
        Decision.Builder b = Decision.builder().effect(e);
        if (twice) {
          b.effect(e);
        }
        return b.build();
      }
      return op.get().inFlight() ? Decision.none() : Decision.builder().forget(ID).build();
    }
  }

  /** Counts the removals and prunes; fails the first {@code failures} calls. */
  private static final class Writer implements LocalVolumeWriter {
    int calls;
    int failures;

    @Override
    public void setUp(io.volumekit.core.node.LocalVolume volume) {}

    @Override
    public void tearDown(String path) throws IOException {
      call();
    }

    @Override
    public void pruneEmptyDirectories(String path) throws IOException {
      call();
    }

    private void call() throws IOException {
      calls++;
      if (failures > 0) {
        failures--;
        throw new IOException("busy");
      }
    }
  }

  private static Runtime runtime(Remover c, Writer w, Executor executor, List<EffectId> started) {
    ManualClock clock = new ManualClock();
    Runtime r = new Runtime(InMemoryStore.create(clock, Ids.seeded(1)), List.of(c), Map.of(), clock, executor,
        EventRecorder.discarding(), Duration.ofMinutes(10), Optional.empty(), new NodePlugins(), w);
    r.addEffectListener(new EffectListener() {
      @Override
      public void started(io.volumekit.core.effect.Effect effect, int attempt) {
        started.add(effect.id());
      }

      @Override
      public void finished(io.volumekit.core.effect.Effect effect, EffectOutcome outcome) {}
    });
    return r;
  }

  /** Reconciles the owner with a same-thread executor to quiescence, which leaves no operation. */
  private static void settled(Remover c, Writer w, List<EffectId> started) {
    Runtime r = runtime(c, w, Runnable::run, started);
    r.enqueue("remover", OWNER);
    assertThat(r.settle().quiescent()).isTrue();
    assertThat(r.state().operations()).isEmpty();
  }

  @Test
  void aSucceededTeardownIsSeenByItsOwnerThenForgotten() {
    Remover c = new Remover(false, false);
    Writer w = new Writer();
    settled(c, w, new ArrayList<>());
    assertThat(c.seen).containsExactly("none", "SUCCEEDED/1");
    assertThat(w.calls).isEqualTo(1);
  }

  @Test
  void anEffectStillRunningIsInFlightInTheState() {
    Remover c = new Remover(false, false);
    Writer w = new Writer();
    ArrayDeque<Runnable> pending = new ArrayDeque<>();
    Runtime r = runtime(c, w, pending::add, new ArrayList<>());
    r.enqueue("remover", OWNER);
    r.runUntilIdle();
    assertThat(r.state().operation(ID)).map(Operation::inFlight).contains(true);
    pending.poll().run();
    r.runUntilIdle();
    assertThat(c.seen).containsExactly("none", "SUCCEEDED/1");
    assertThat(r.state().operations()).isEmpty();
  }

  @Test
  void aDecisionStartsAnIdOnceEvenWhenItsFirstStartIsAlreadyOver() {
    Remover c = new Remover(false, true);
    Writer w = new Writer();
    List<EffectId> started = new ArrayList<>();
    settled(c, w, started);
    assertThat(started).containsExactly(ID);
    assertThat(w.calls).isEqualTo(1);
    assertThat(c.seen).containsExactly("none", "SUCCEEDED/1");
  }

  @Test
  void aSucceededPruneIsForgottenWithoutReconcilingItsOwner() {
    Remover c = new Remover(true, false);
    Writer w = new Writer();
    settled(c, w, new ArrayList<>());
    assertThat(c.seen).containsExactly("none");
    assertThat(w.calls).isEqualTo(1);
  }

  @Test
  void aFailedPruneIsRecordedAndReconciled() {
    Remover c = new Remover(true, false);
    Writer w = new Writer();
    w.failures = 1;
    settled(c, w, new ArrayList<>());
    // The failure is reconciled at once (forgotten), and the owner once more when its backoff ends.
    assertThat(c.seen).containsExactly("none", "FAILED/1", "none");
  }

  @Test
  void aPruneThatSucceedsOnItsSecondAttemptIsForgottenWithItsFailure() {
    // The owner leaves the failure in place; the retry's success removes it.
    Remover c = new Remover(true, false) {
      @Override
      public Decision reconcile(ClusterState state, ObjectKey key) {
        Optional<Operation> op = state.operation(ID);
        seen.add(op.map(o -> o.status() + "/" + o.attempts()).orElse("none"));
        return Decision.builder()
            .effect(new RemoveLocalVolume(ID, OWNER, name(), "node-1", "uid", "", "/pods/uid", true)).build();
      }
    };
    Writer w = new Writer();
    w.failures = 1;
    settled(c, w, new ArrayList<>());
    assertThat(w.calls).isEqualTo(2);
    assertThat(c.seen).containsExactly("none", "FAILED/1", "FAILED/1");
  }
}
