package io.volumekit.core.workload;

import static io.volumekit.core.workload.StatefulSets.parallel;
import static io.volumekit.core.workload.StatefulSets.replicas;
import static io.volumekit.core.workload.StatefulSets.retention;
import static io.volumekit.core.workload.StatefulSets.set;
import static io.volumekit.core.workload.StatefulSets.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.Fixtures;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.mount.NodeKit;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.meta.OwnerReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The StatefulSet controller on a whole deterministic engine (scheduler, provisioner, kubelet,
 * garbage collector): Kubernetes' cases for pod and claim identity, ordered and parallel creation,
 * claim reuse, and the claim retention policy on scale down, scale up and deletion
 * ({@code stateful_set_control_test.go}, KEP-1847).
 */
class StatefulSetTableTest {

  /** An engine with two nodes and class {@code fast}, and a log of what happened to pods and claims. */
  static final class Kit {
    final NodeKit k = new NodeKit(2);
    final List<String> log = new ArrayList<>();

    Kit() {
      k.apply(Fixtures.sc("fast"));
      k.kit.watch(this::record);
    }

    private void record(Change c) {
      if (c.kind().equals(Pod.KIND)) {
        String name = c.key().name();
        if (c.type() == Change.Type.ADDED) {
          log.add("create pod " + name);
        } else if (c.type() == Change.Type.DELETED) {
          log.add("gone pod " + name);
        } else if (running(c.before()) != running(c.after()) && running(c.after())) {
          log.add("running pod " + name);
        }
      } else if (c.kind().equals(PersistentVolumeClaim.KIND)) {
        if (c.type() == Change.Type.ADDED) {
          log.add("create claim " + c.key().name());
        } else if (c.type() == Change.Type.DELETED) {
          log.add("gone claim " + c.key().name());
        } else if (!c.before().orElseThrow().metadata().ownerReferences().equals(c.after().orElseThrow().metadata().ownerReferences())) {
          log.add("owners claim " + c.key().name() + " " + refs(c.after().orElseThrow().metadata().ownerReferences()));
        }
      }
    }

    private static boolean running(Optional<? extends io.volumekit.model.meta.ApiObject> o) {
      return o.map(p -> ((Pod) p).status().phase().filter(PodStatus.RUNNING::equals).isPresent()).orElse(false);
    }

    Kit apply(StatefulSet s) {
      k.kit.apply(s);
      k.settle();
      return this;
    }

    Kit deleteSet(String name) {
      k.kit.delete(ObjectKey.namespaced(StatefulSet.KIND, Fixtures.NS, name));
      k.settle();
      return this;
    }

    StatefulSet set(String name) {
      return k.kit.get(StatefulSet.class, Fixtures.NS, name).orElseThrow();
    }

    Optional<PersistentVolumeClaim> claim(String name) {
      return k.kit.get(PersistentVolumeClaim.class, Fixtures.NS, name);
    }

    List<String> pods() {
      return k.kit.list(Pod.class).stream().map(p -> p.metadata().name()).sorted().toList();
    }

    List<String> claims() {
      return k.kit.list(PersistentVolumeClaim.class).stream().map(p -> p.metadata().name()).sorted().toList();
    }

    String uid(String claim) {
      return claim(claim).orElseThrow().metadata().uid().orElseThrow();
    }

    int index(String line) {
      int i = log.indexOf(line);
      assertThat(i).as("log has \"%s\": %s", line, log).isNotNegative();
      return i;
    }

    List<String> events(String set) {
      return Fixtures.eventTexts(k.kit, ObjectKey.namespaced(StatefulSet.KIND, Fixtures.NS, set));
    }
  }

  static String refs(List<OwnerReference> refs) {
    return refs.stream().map(r -> r.kind() + "/" + r.name() + (r.isController() ? "(controller)" : ""))
        .collect(Collectors.joining(",", "[", "]"));
  }

  static String refs(Kit kit, String claim) {
    return refs(kit.claim(claim).orElseThrow().metadata().ownerReferences());
  }

  record Row(String name, Consumer<Kit> run) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Row row(String name, Consumer<Kit> run) {
    return new Row(name, run);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void statefulSet(Row row) {
    row.run().accept(new Kit());
  }

  static Stream<Row> rows() {
    return Stream.of(
        row("pods <set>-<ordinal> with the set's labels and controller reference, claims <template>-<set>-<ordinal>", k -> {
          k.apply(set("db", 3));
          assertThat(k.pods()).containsExactly("db-0", "db-1", "db-2");
          assertThat(k.claims()).containsExactly("data-db-0", "data-db-1", "data-db-2");
          Pod p = k.k.pod("db-1");
          assertThat(p.metadata().labels()).containsEntry("app", "db")
              .containsEntry("statefulset.kubernetes.io/pod-name", "db-1").containsEntry("apps.kubernetes.io/pod-index", "1");
          assertThat(p.metadata().generateName()).contains("db-");
          OwnerReference ref = p.metadata().ownerReferences().get(0);
          assertThat(ref).isEqualTo(new OwnerReference("apps/v1", "StatefulSet", "db",
              k.set("db").metadata().uid().orElseThrow(), Optional.of(true), Optional.of(true)));
          assertThat(p.claimNames()).containsExactly("data-db-1");
          PersistentVolumeClaim c = k.claim("data-db-1").orElseThrow();
          assertThat(c.metadata().labels()).isEqualTo(Map.of("tier", "storage", "app", "db"));
          assertThat(c.metadata().ownerReferences()).as("Retain/Retain: no owner").isEmpty();
          assertThat(c.volumeName()).isPresent();
          k.k.assertRunning("db-2");
          assertThat(k.set("db").status().readyReplicas()).contains(3);
          assertThat(k.set("db").status().replicas()).contains(3);
          assertThat(k.events("db")).contains("SuccessfulCreate: create Pod db-0 in StatefulSet db successful",
              "SuccessfulCreate: create Claim data-db-0 Pod db-0 in StatefulSet db success");
        }),
        row("OrderedReady creates each pod once the one before is Running", k -> {
          k.apply(set("db", 3));
          assertThat(k.index("create claim data-db-0")).isLessThan(k.index("create pod db-0"));
          assertThat(k.index("running pod db-0")).isLessThan(k.index("create pod db-1"));
          assertThat(k.index("running pod db-1")).isLessThan(k.index("create pod db-2"));
        }),
        row("Parallel creates every pod without waiting", k -> {
          k.apply(parallel(set("db", 3)));
          assertThat(k.index("create pod db-2")).isLessThan(k.index("running pod db-0"));
          assertThat(k.pods()).containsExactly("db-0", "db-1", "db-2");
        }),
        row("ordinals.start numbers pods and claims from start", k -> {
          k.apply(start(set("db", 2), 5));
          assertThat(k.pods()).containsExactly("db-5", "db-6");
          assertThat(k.claims()).containsExactly("data-db-5", "data-db-6");
          assertThat(k.k.pod("db-6").metadata().labels()).containsEntry("apps.kubernetes.io/pod-index", "6");
        }),
        row("a deleted pod is made anew with the same claim", k -> {
          k.apply(set("db", 2));
          String uid = k.uid("data-db-1");
          String pod = k.k.pod("db-1").metadata().uid().orElseThrow();
          k.k.deletePod("db-1").settle();
          assertThat(k.k.pod("db-1").metadata().uid()).isPresent().isNotEqualTo(Optional.of(pod));
          k.k.assertRunning("db-1");
          assertThat(k.uid("data-db-1")).isEqualTo(uid);
        }),
        row("Retain: scale down deletes pods from the highest ordinal, keeps claims; scale up reuses them", k -> {
          k.apply(set("db", 3));
          Map<String, String> volumes = Map.of("data-db-1", k.claim("data-db-1").orElseThrow().volumeName().orElseThrow(),
              "data-db-2", k.claim("data-db-2").orElseThrow().volumeName().orElseThrow());
          String uid2 = k.uid("data-db-2");
          k.apply(replicas(set("db", 3), 1));
          assertThat(k.pods()).containsExactly("db-0");
          assertThat(k.index("gone pod db-2")).isLessThan(k.index("gone pod db-1"));
          assertThat(k.claims()).containsExactly("data-db-0", "data-db-1", "data-db-2");
          assertThat(refs(k, "data-db-2")).isEqualTo("[]");
          k.apply(set("db", 3));
          assertThat(k.pods()).containsExactly("db-0", "db-1", "db-2");
          k.k.assertRunning("db-2");
          assertThat(k.uid("data-db-2")).isEqualTo(uid2);
          volumes.forEach((claim, pv) -> assertThat(k.claim(claim).orElseThrow().volumeName()).contains(pv));
        }),
        row("whenScaled Delete: a scaled-down ordinal's claim is owned by its pod, and goes once the pod is gone", k -> {
          k.apply(retention(set("db", 3), "Retain", "Delete"));
          assertThat(refs(k, "data-db-2")).as("in range: no owner").isEqualTo("[]");
          k.apply(retention(replicas(set("db", 3), 1), "Retain", "Delete"));
          assertThat(k.pods()).containsExactly("db-0");
          assertThat(k.claims()).containsExactly("data-db-0");
          assertThat(k.index("owners claim data-db-2 [Pod/db-2(controller)]")).isLessThan(k.index("gone pod db-2"));
          assertThat(k.index("gone pod db-2")).isLessThan(k.index("gone claim data-db-2"));
          assertThat(k.index("gone pod db-1")).isLessThan(k.index("gone claim data-db-1"));
          k.apply(retention(set("db", 2), "Retain", "Delete"));
          k.k.assertRunning("db-1");
          assertThat(k.claims()).as("a fresh claim for the ordinal").containsExactly("data-db-0", "data-db-1");
        }),
        row("whenDeleted Delete: claims are controlled by the set and deleted with it", k -> {
          k.apply(retention(set("db", 2), "Delete", "Retain"));
          String setUid = k.set("db").metadata().uid().orElseThrow();
          assertThat(k.claim("data-db-0").orElseThrow().metadata().ownerReferences()).containsExactly(
              new OwnerReference("apps/v1", "StatefulSet", "db", setUid, Optional.of(true), Optional.of(true)));
          k.apply(retention(replicas(set("db", 2), 1), "Delete", "Retain"));
          assertThat(k.claims()).as("whenScaled Retain keeps the claim").containsExactly("data-db-0", "data-db-1");
          k.deleteSet("db");
          assertThat(k.pods()).isEmpty();
          assertThat(k.claims()).isEmpty();
        }),
        row("Retain on delete: the set's pods go, its claims stay", k -> {
          k.apply(set("db", 2));
          k.deleteSet("db");
          assertThat(k.pods()).isEmpty();
          assertThat(k.claims()).containsExactly("data-db-0", "data-db-1");
          assertThat(refs(k, "data-db-0")).isEqualTo("[]");
        }),
        row("Delete/Delete: in range the set controls the claim, scaled down the pod does instead", k -> {
          k.apply(retention(set("db", 2), "Delete", "Delete"));
          assertThat(refs(k, "data-db-1")).isEqualTo("[StatefulSet/db(controller)]");
          k.apply(retention(replicas(set("db", 2), 1), "Delete", "Delete"));
          assertThat(k.index("owners claim data-db-1 [Pod/db-1(controller)]")).isLessThan(k.index("gone pod db-1"));
          assertThat(k.claims()).containsExactly("data-db-0");
          k.deleteSet("db");
          assertThat(k.claims()).isEmpty();
        }),
        row("changing the policy to Delete later gives existing claims their owner", k -> {
          k.apply(set("db", 2));
          k.apply(retention(set("db", 2), "Delete", "Retain"));
          assertThat(refs(k, "data-db-0")).isEqualTo("[StatefulSet/db(controller)]");
          k.apply(retention(set("db", 2), "Retain", "Retain"));
          assertThat(refs(k, "data-db-0")).isEqualTo("[]");
        }),
        row("a claim another controller controls is left to it, with a ConflictingController warning", k -> {
          PersistentVolumeClaim pre = StatefulSetIdentity.claims(set("db", 1), 0).get(0);
          k.k.kit.apply(Fixtures.sc("unused"));
          var other = io.volumekit.model.core.ConfigMapBuilder.builder()
              .metadata(io.volumekit.model.meta.ObjectMeta.named(Fixtures.NS, "owner")).build();
          k.k.kit.apply(other);
          String otherUid = k.k.kit.get(io.volumekit.model.core.ConfigMap.class, Fixtures.NS, "owner").orElseThrow()
              .metadata().uid().orElseThrow();
          OwnerReference foreign = new OwnerReference("v1", "ConfigMap", "owner", otherUid, Optional.of(true), Optional.empty());
          k.k.kit.apply(pre.withMetadata(pre.metadata().withOwnerReferences(ImmutableList.of(foreign))));
          k.apply(retention(set("db", 1), "Delete", "Retain"));
          assertThat(refs(k, "data-db-0")).isEqualTo("[ConfigMap/owner(controller)]");
          assertThat(k.events("db")).anyMatch(e -> e.startsWith("ConflictingController: PersistentVolumeClaim data-db-0 "
              + "has a conflicting OwnerReference"));
        }),
        row("a pod whose claim is being deleted waits, then gets a new claim", k -> {
          k.apply(set("db", 1));
          String uid = k.uid("data-db-0");
          k.k.deleteClaim("data-db-0").settle();
          assertThat(k.claim("data-db-0").orElseThrow().metadata().isDeleting()).as("protected while used").isTrue();
          k.k.deletePod("db-0").settle();
          k.k.assertRunning("db-0");
          assertThat(k.uid("data-db-0")).isNotEqualTo(uid);
        }));
  }
}
