package io.volumekit.core.workload;

import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.OwnerIndex;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.apps.StatefulSetSpec;
import io.volumekit.model.apps.StatefulSetStatus;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.OwnerReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The part of Kubernetes' StatefulSet controller that owns storage ({@code
 * pkg/controller/statefulset}, {@code updateStatefulSet}): for each ordinal {@code start ..
 * start+replicas-1} it creates the missing claims {@code <template>-<set>-<ordinal>} and then the pod
 * {@code <set>-<ordinal>}; an existing claim is reused, so a recreated pod or a scale back up finds
 * its data. Pods with an ordinal outside the range are condemned and deleted from the highest
 * ordinal down. With {@code podManagementPolicy: OrderedReady} each step waits for every earlier pod
 * to be Running and Ready (and for a terminating pod to be gone); with {@code Parallel} nothing
 * waits. Before deleting condemned pods, every claim's owner references are brought in line with
 * the retention policy ({@link ClaimRetention}); the garbage collector then deletes claims whose
 * owner is gone: with the set (whenDeleted Delete) or with their scaled-down pod (whenScaled
 * Delete). The status counts pods ({@code replicas}, {@code readyReplicas}, ...). A set being
 * deleted only gets its status. Events are Kubernetes' ({@code SuccessfulCreate},
 * {@code SuccessfulDelete}, {@code FailedCreate}, {@code ConflictingController}) on the set.
 *
 * <p>Not done (docs/kubernetes-differences.md rows 61-64): rolling updates of a changed template
 * (no ControllerRevisions), {@code minReadySeconds}, adopting or releasing pods by selector, pod
 * {@code hostname}/{@code subdomain}.
 */
public final class StatefulSetController implements Controller {

  /** The controller's name (the field manager of its writes and the source of its events). */
  public static final String NAME = "statefulset-controller";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WatchedKinds watches() {
    // Pods and claims of a set name it in their owner references; a deleted claim may also be the
    // one a pod of a set waits for, whoever owns it.
    return WatchedKinds.of(StatefulSet.KIND, Pod.KIND, PersistentVolumeClaim.KIND)
        .ownedOnly(Pod.KIND, Change.Type.ADDED, Change.Type.MODIFIED, Change.Type.DELETED)
        .ownedOnly(PersistentVolumeClaim.KIND, Change.Type.ADDED, Change.Type.MODIFIED);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    String kind = change.kind();
    if (kind.equals(StatefulSet.KIND)) {
      enqueue.accept(change.key());
    } else if (kind.equals(Pod.KIND)) {
      // A pod of a set: its controller reference names the set.
      change.after().or(change::before).ifPresent(o -> owningSets(o).forEach(n ->
          enqueue.accept(ObjectKey.namespaced(StatefulSet.KIND, change.key().namespace(), n))));
    } else if (kind.equals(PersistentVolumeClaim.KIND)) {
      ApiObject claim = change.object();
      owningSets(claim).forEach(n -> enqueue.accept(ObjectKey.namespaced(StatefulSet.KIND, change.key().namespace(), n)));
      if (change.type() == Change.Type.DELETED) {
        // A pod waiting for its claim to go (to create it anew) learns it here. Sets in the namespace
        // are a contiguous key range; a claim names its set as "<template>-<set>-<ordinal>".
        for (ApiObject s : state.list(StatefulSet.KIND, change.key().namespace())) {
          if (change.key().name().contains("-" + s.metadata().name() + "-")) {
            enqueue.accept(ObjectKey.of(s));
          }
        }
      }
    }
  }

  private static List<String> owningSets(ApiObject o) {
    if (o.metadata().ownerReferences().isEmpty()) {
      return List.of(); // most pods and claims: no stream for them
    }
    return o.metadata().ownerReferences().stream().filter(r -> r.kind().equals(StatefulSet.KIND))
        .map(OwnerReference::name).toList();
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    Optional<StatefulSet> found = state.get(key, StatefulSet.class);
    if (found.isEmpty() || found.get().metadata().uid().isEmpty()) {
      return Decision.none(); // OBSERVATION: the set is gone; the garbage collector handles its dependents
    }
    StatefulSet set = found.get();
    Members members = members(state, set);
    Decision.Builder b = Decision.builder();
    status(set, members).ifPresent(b::update);
    if (set.metadata().isDeleting()) {
      return b.build(); // OBSERVATION: being deleted: only the status
    }
    new Sync(state, set, members, b).run();
    return b.build();
  }

  /** The set's pods: those wanted (by ordinal) and those condemned (out of range, ascending ordinal). */
  record Members(TreeMap<Integer, Pod> replicas, List<Pod> condemned) {
    List<Pod> all() {
      List<Pod> l = new ArrayList<>(replicas.values());
      l.addAll(condemned);
      return l;
    }
  }

  private static Members members(ClusterState state, StatefulSet set) {
    TreeMap<Integer, Pod> replicas = new TreeMap<>();
    List<Pod> condemned = new ArrayList<>();
    // The owner index gives the set's dependents without scanning every pod.
    for (ObjectKey k : state.index(OwnerIndex.class).dependentsOf(set.metadata().uid().orElseThrow())) {
      if (!k.kind().equals(Pod.KIND)) {
        continue;
      }
      Optional<Pod> pod = state.get(k, Pod.class).filter(p -> StatefulSetIdentity.isControlledBy(p, set));
      OptionalInt ord = pod.map(p -> StatefulSetIdentity.ordinal(p.metadata().name())).orElse(OptionalInt.empty());
      if (pod.isEmpty() || ord.isEmpty() || !pod.get().metadata().name().equals(StatefulSetIdentity.podName(set, ord.getAsInt()))) {
        continue; // not a member: Kubernetes ignores pods without the set's identity here
      }
      if (StatefulSetIdentity.inRange(set, ord.getAsInt())) {
        replicas.put(ord.getAsInt(), pod.get());
      } else {
        condemned.add(pod.get());
      }
    }
    condemned.sort(Comparator.comparingInt(p -> StatefulSetIdentity.ordinal(p.metadata().name()).getAsInt()));
    return new Members(replicas, condemned);
  }

  private static Optional<StatefulSet> status(StatefulSet set, Members members) {
    int replicas = 0;
    int ready = 0;
    int current = 0;
    for (Pod p : members.all()) {
      replicas++;
      if (runningAndReady(p)) {
        ready++;
      }
      if (!p.metadata().isDeleting()) {
        current++;
      }
    }
    StatefulSetStatus s = set.status()
        .withObservedGeneration(Optional.of(set.metadata().generation()))
        .withReplicas(Optional.of(replicas))
        .withReadyReplicas(Optional.of(ready))
        .withAvailableReplicas(Optional.of(ready))
        .withCurrentReplicas(Optional.of(current))
        .withUpdatedReplicas(Optional.of(current));
    return s.equals(set.status()) ? Optional.empty() : Optional.of(set.withStatus(s));
  }

  /** Running with condition Ready=True ({@code isRunningAndReady}). */
  static boolean runningAndReady(Pod p) {
    return p.status().phase().filter(PodStatus.RUNNING::equals).isPresent()
        && p.status().conditions().stream().anyMatch(c -> c.type().equals("Ready") && c.status().equals("True"));
  }

  static boolean healthy(Pod p) {
    return runningAndReady(p) && !p.metadata().isDeleting();
  }

  /** One sync of one set; {@link #run} adds to the decision and stops where OrderedReady must wait. */
  private static final class Sync {
    private final ClusterState state;
    private final StatefulSet set;
    private final Members members;
    private final Decision.Builder b;
    private final boolean monotonic;
    private final ObjectKey setKey;

    Sync(ClusterState state, StatefulSet set, Members members, Decision.Builder b) {
      this.state = state;
      this.set = set;
      this.members = members;
      this.b = b;
      this.monotonic = !set.spec().podManagementPolicyOrDefault().equals(StatefulSetSpec.PARALLEL);
      this.setKey = ObjectKey.of(set);
    }

    void run() {
      int start = set.spec().startOrdinal();
      for (int ord = start; ord < start + set.spec().replicasOrDefault(); ord++) {
        if (!replica(ord) && monotonic) {
          return; // OBSERVATION: OrderedReady waits for this ordinal
        }
      }
      // Claims of condemned pods get their owner references before any pod is deleted.
      for (Pod p : members.condemned()) {
        fixClaims(p);
      }
      Optional<Pod> firstUnhealthy = members.all().stream().filter(p -> !healthy(p)).findFirst();
      List<Pod> condemned = members.condemned();
      for (int i = condemned.size() - 1; i >= 0; i--) {
        Pod p = condemned.get(i);
        if (p.metadata().isDeleting()) {
          if (monotonic) {
            return; // OBSERVATION: wait until the terminating pod is gone
          }
          continue;
        }
        if (monotonic && !runningAndReady(p) && !firstUnhealthy.equals(Optional.of(p))) {
          return; // OBSERVATION: another pod is unhealthy; scale down waits
        }
        b.delete(ObjectKey.of(p), p.metadata().uid().orElseThrow())
            .event(EventRecord.normal(NAME, setKey, "SuccessfulDelete",
                "delete Pod " + p.metadata().name() + " in StatefulSet " + set.metadata().name() + " successful"));
        if (monotonic) {
          return;
        }
      }
    }

    /** Processes the wanted ordinal; false when OrderedReady cannot go past it yet. */
    private boolean replica(int ord) {
      Pod pod = members.replicas().get(ord);
      if (pod == null) {
        create(ord);
        return false; // OBSERVATION: just created (or waiting to); OrderedReady waits for it to be Running and Ready
      }
      String phase = pod.status().phase().orElse("");
      if (phase.equals(PodStatus.FAILED) || phase.equals(PodStatus.SUCCEEDED)) {
        if (!pod.metadata().isDeleting()) {
          // OBSERVATION: the pod finished; it is deleted and made anew on a later sync
          b.delete(ObjectKey.of(pod), pod.metadata().uid().orElseThrow())
              .event(EventRecord.normal(NAME, setKey, "SuccessfulDelete",
                  "delete Pod " + pod.metadata().name() + " in StatefulSet " + set.metadata().name() + " successful"));
        }
        return false;
      }
      if (phase.equals(PodStatus.PENDING) || phase.isEmpty()) {
        createMissingClaims(ord, pod); // a pending pod whose claim was deleted gets it back
      }
      if (monotonic && (pod.metadata().isDeleting() || !runningAndReady(pod))) {
        return false; // OBSERVATION: terminating, or not Running and Ready yet
      }
      fixClaims(pod);
      return true;
    }

    /** Creates the missing claims, then the pod; nothing while one of its claims is still being deleted. */
    private void create(int ord) {
      Pod pod = StatefulSetIdentity.newPod(set, ord);
      for (PersistentVolumeClaim c : StatefulSetIdentity.claims(set, ord)) {
        Optional<PersistentVolumeClaim> existing = state.get(ObjectKey.of(c), PersistentVolumeClaim.class);
        if (existing.filter(e -> e.metadata().isDeleting()).isPresent()) {
          b.event(EventRecord.warning(NAME, setKey, "FailedCreate", "create Pod " + pod.metadata().name()
              + " in StatefulSet " + set.metadata().name() + " failed error: pvc " + c.metadata().name()
              + " is being deleted"));
          return;
        }
      }
      createMissingClaims(ord, pod);
      b.create(pod).event(EventRecord.normal(NAME, setKey, "SuccessfulCreate",
          "create Pod " + pod.metadata().name() + " in StatefulSet " + set.metadata().name() + " successful"));
    }

    private void createMissingClaims(int ord, Pod pod) {
      for (PersistentVolumeClaim c : StatefulSetIdentity.claims(set, ord)) {
        if (state.contains(ObjectKey.of(c))) {
          continue; // reused: a recreated pod or a scale back up finds its claim
        }
        // The set's reference is part of the claim from the start when whenDeleted is Delete (a
        // claim of an ordinal in range never has its pod's); Kubernetes adds it right after.
        PersistentVolumeClaim claim = set.spec().retentionPolicy().deleteWhenDeleted()
            ? c.withMetadata(c.metadata().withOwnerReferences(
                com.google.common.collect.ImmutableList.of(StatefulSetIdentity.controllerRef(set))))
            : c;
        b.create(claim).event(EventRecord.normal(NAME, setKey, "SuccessfulCreate", "create Claim "
            + c.metadata().name() + " Pod " + pod.metadata().name() + " in StatefulSet " + set.metadata().name()
            + " success"));
      }
    }

    /** Brings the pod's claims' owner references in line with the retention policy. */
    private void fixClaims(Pod pod) {
      if (pod.metadata().uid().isEmpty()) {
        return;
      }
      int ord = StatefulSetIdentity.ordinal(pod.metadata().name()).getAsInt();
      for (PersistentVolumeClaim c : StatefulSetIdentity.claims(set, ord)) {
        Optional<PersistentVolumeClaim> found = state.get(ObjectKey.of(c), PersistentVolumeClaim.class);
        if (found.isEmpty()) {
          continue;
        }
        PersistentVolumeClaim claim = found.get();
        if (ClaimRetention.hasUnexpectedController(claim, set, pod)) {
          // Kubernetes' words, its spelling included.
          b.event(EventRecord.warning(NAME, setKey, "ConflictingController", "PersistentVolumeClaim "
              + claim.metadata().name() + " has a conflicting OwnerReference that acts as a manging controller, "
              + "the retention policy is ignored for this claim"));
        }
        if (!ClaimRetention.upToDate(claim, set, pod)) {
          b.update(claim.withMetadata(claim.metadata().withOwnerReferences(ClaimRetention.wantedRefs(claim, set, pod))));
        }
      }
    }
  }
}
