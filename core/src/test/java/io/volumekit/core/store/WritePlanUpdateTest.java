package io.volumekit.core.store;

import static io.volumekit.core.Fixtures.pv;
import static io.volumekit.core.Fixtures.pvc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.Admissions;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.runtime.ManualClock;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.ObjectMeta;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store's update path ({@link WritePlan#update} with the new version set in the
 * plan, and only the hooks that take part in updates) against the public two-step plan: the
 * plan of every default hook, then the object with its resourceVersion set.
 */
class WritePlanUpdateTest {

  @Test
  void theStoreWritesWhatThePublicPlanAndAVersionCopyWouldWrite() {
    qt().withFixedSeed(20261207L).withExamples(200)
        .forAll(lists().of(integers().between(0, 9_999)).ofSizeBetween(1, 60))
        .checkAssert(steps -> {
          ManualClock clock = new ManualClock();
          InMemoryStore store = new InMemoryStore(ClusterState.empty(), clock, Ids.seeded(1), Admissions.defaults());
          store.create(pv("pv1", "1Gi"));
          store.create(pvc("c1", "1Gi"));
          store.drainChanges();
          for (int step : steps) {
            ObjectKey key = step % 2 == 0 ? ObjectKey.cluster(PersistentVolume.KIND, "pv1")
                : ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "c1");
            ClusterState before = store.state();
            ApiObject old = before.get(key).orElseThrow();
            ApiObject object = edit(old, step / 2);
            Instant now = clock.instant();
            WritePlan model = WritePlan.update(object, old, before, now, Admissions.defaults());
            ApiObject out = store.update(object);
            List<Change> changes = store.drainChanges();
            // independent of the plan: a no-op is an object equal to the stored one once the
            // server-managed metadata is carried over; a spec change bumps the generation
            boolean noOp = carried(object, old).equals(old);
            assertThat(model.action() == WritePlan.Action.NONE).isEqualTo(noOp);
            if (!noOp) {
              assertThat(out.metadata().generation())
                  .isEqualTo(old.metadata().generation() + (spec(object).equals(spec(old)) ? 0 : 1));
              assertThat(out.metadata().resourceVersion()).contains(Long.toString(before.resourceVersion() + 1));
            }
            if (model.action() == WritePlan.Action.NONE) {
              assertThat(out).isSameAs(old);
              assertThat(changes).isEmpty();
              assertThat(store.state().resourceVersion()).isEqualTo(before.resourceVersion());
            } else {
              ApiObject expected = model.object().withMetadata(model.object().metadata()
                  .withResourceVersion(Optional.of(Long.toString(before.resourceVersion() + 1))));
              assertThat(out).isEqualTo(expected);
              assertThat(store.state().get(key)).contains(expected);
              assertThat(changes).containsExactly(new Change(key, Optional.of(old), Optional.of(out)));
            }
            if (step % 7 == 0) {
              clock.advance(Duration.ofSeconds(3));
            }
          }
        });
  }

  /** The object with the stored object's server-managed metadata. */
  private static ApiObject carried(ApiObject object, ApiObject old) {
    ObjectMeta m = object.metadata();
    ObjectMeta o = old.metadata();
    return object.withMetadata(new ObjectMeta(m.name(), o.generateName(), m.namespace(), o.uid(), o.resourceVersion(),
        o.generation(), o.creationTimestamp(), o.deletionTimestamp(), m.labels(), m.annotations(), m.finalizers(),
        m.ownerReferences()));
  }

  private static Object spec(ApiObject o) {
    return o instanceof PersistentVolume p ? p.spec() : ((PersistentVolumeClaim) o).spec();
  }

  /** One of several edits of the stored object: no-ops (also with equal copies), labels, spec, status. */
  private static ApiObject edit(ApiObject old, int which) {
    int label = which / 8 % 3;
    switch (which % 8) {
      case 0:
        return old; // the very same object: a no-op
      case 1: // an equal copy of the metadata and of the object: still a no-op
        return old.withMetadata(old.metadata().withLabels(ImmutableMap.copyOf(old.metadata().labels())));
      case 2:
        return old.withMetadata(old.metadata().withLabels(ImmutableMap.of("l", "v" + label)));
      case 3: // a stale resourceVersion is refused before anything: skipped here by sending none
        return old.withMetadata(old.metadata().withResourceVersion(Optional.empty())
            .withAnnotations(ImmutableMap.of("a", "v" + label)));
      case 4:
        if (old instanceof PersistentVolume p) {
          return p.withSpec(p.spec().withPersistentVolumeReclaimPolicy(Optional.of(label == 0 ? "Retain" : "Delete")));
        }
        PersistentVolumeClaim c = (PersistentVolumeClaim) old;
        return c.withSpec(c.spec().withVolumeName(label == 0 ? Optional.empty() : Optional.of("pv" + label)));
      case 5: // a spec copy equal to the stored one: no generation bump, a no-op
        if (old instanceof PersistentVolume p) {
          return p.withSpec(p.spec().withMountOptions(p.spec().mountOptions()));
        }
        PersistentVolumeClaim d = (PersistentVolumeClaim) old;
        return d.withSpec(d.spec().withAccessModes(d.spec().accessModes()));
      case 6:
        if (old instanceof PersistentVolume p) {
          return p.withStatus(p.status().withPhase(Optional.of(label == 0 ? "Available" : "Bound")));
        }
        PersistentVolumeClaim e = (PersistentVolumeClaim) old;
        return e.withStatus(e.status().withPhase(Optional.of(label == 0 ? "Pending" : "Bound")));
      default: // a writer that sends a different generation and no uid: server-managed fields kept
        return old.withMetadata(old.metadata().withGeneration(old.metadata().generation() + 5)
            .withUid(Optional.empty()).withLabels(ImmutableMap.of("g", "v" + label)));
    }
  }

  @Test
  void updateHooksKeepTheHooksThatTakePartInUpdatesInOrder() {
    Admission createOnly = new Admission() {
      @Override
      public ApiObject admitCreate(ApiObject object, ClusterState state, Instant now) {
        return object;
      }
    };
    Admission nothing = new Admission() {};
    Admission spec = new Admission() {
      @Override
      public boolean specChanged(ApiObject object, ApiObject old) {
        return true;
      }
    };
    Admission update = new Admission() {
      @Override
      public ApiObject admitUpdate(ApiObject object, ApiObject old, ClusterState state, Instant now) {
        return object;
      }
    };
    assertThat(WritePlan.updateHooks(List.of(createOnly, update, nothing, spec))).containsExactly(update, spec);
    VolumeStrategy strategy = new VolumeStrategy();
    assertThat(WritePlan.updateHooks(List.of(strategy, createOnly))).containsExactly(strategy);
  }
}
