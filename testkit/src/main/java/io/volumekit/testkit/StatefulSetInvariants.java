package io.volumekit.testkit;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.OwnerReference;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The invariant of StatefulSet storage: a claim retention policy of {@code Retain} never loses a
 * claim.
 */
final class StatefulSetInvariants {
  private StatefulSetInvariants() {}

  private static final Pattern ORDINAL = Pattern.compile("(.*)-([0-9]+)$");

  /**
   * Retain keeps claims. Checked on every claim change: an owner reference to a StatefulSet appears
   * only when its whenDeleted is Delete; one to a set's pod only when its whenScaled is Delete and
   * the pod's ordinal is scaled down; and a claim {@code <template>-<set>-<ordinal>} of an existing
   * set starts being deleted only when one of its owners is gone (the garbage collector's reason),
   * so never under Retain, which gives it no owner.
   */
  static final Invariant RETAIN_KEEPS_STATEFULSET_CLAIMS = new Invariant() {
    @Override
    public String name() {
      return "statefulset-retain-keeps-claims";
    }

    @Override
    public String description() {
      return "A StatefulSet's claim gets an owner reference only as its retention policy says (the set's for"
          + " whenDeleted Delete, its scaled-down pod's for whenScaled Delete), and a claim of an existing set is"
          + " deleted only through its scaled-down pod under whenScaled Delete: Retain never loses a claim.";
    }

    @Override
    public Optional<String> onChange(Change change, SimView view) {
      if (!change.kind().equals(PersistentVolumeClaim.KIND)) {
        return Optional.empty();
      }
      String ns = change.key().namespace();
      Optional<PersistentVolumeClaim> before = change.beforeAs(PersistentVolumeClaim.class);
      Optional<PersistentVolumeClaim> after = change.afterAs(PersistentVolumeClaim.class);
      if (after.isPresent()) {
        List<OwnerReference> old = before.map(c -> (List<OwnerReference>) c.metadata().ownerReferences()).orElse(List.of());
        for (OwnerReference r : after.get().metadata().ownerReferences()) {
          if (old.contains(r)) {
            continue;
          }
          Optional<String> bad = refAllowed(view, ns, change.key().name(), r);
          if (bad.isPresent()) {
            return bad;
          }
        }
      }
      boolean startsDeleting = before.filter(c -> !c.metadata().isDeleting()).isPresent()
          && after.map(c -> c.metadata().isDeleting()).orElse(true);
      if (!startsDeleting) {
        return Optional.empty();
      }
      PersistentVolumeClaim claim = before.get();
      for (StatefulSet set : view.state().list(StatefulSet.KIND, StatefulSet.class)) {
        if (!set.metadata().namespaceOrEmpty().equals(ns)) {
          continue;
        }
        Optional<Integer> ordinal = claimOrdinal(set, claim.metadata().name());
        if (ordinal.isEmpty()) {
          continue;
        }
        // The garbage collector's reason: an owner that is gone (part A checked it was allowed).
        boolean ownerGone = claim.metadata().ownerReferences().stream().anyMatch(r -> view.state()
            .get(ObjectKey.namespaced(r.kind(), ns, r.name()))
            .flatMap(o -> o.metadata().uid()).filter(r.uid()::equals).isEmpty());
        if (!ownerGone) {
          return Optional.of("claim " + ns + "/" + claim.metadata().name() + " of StatefulSet " + set.metadata().name()
              + " (replicas " + set.spec().replicasOrDefault() + ", whenScaled "
              + set.spec().retentionPolicy().whenScaled().orElseThrow() + ") is being deleted with owner references "
              + refs(claim) + ", none of them gone");
        }
      }
      return Optional.empty();
    }
  };

  private static Optional<String> refAllowed(SimView view, String ns, String claim, OwnerReference r) {
    if (r.kind().equals(StatefulSet.KIND)) {
      Optional<StatefulSet> set = view.state().get(ObjectKey.namespaced(StatefulSet.KIND, ns, r.name()), StatefulSet.class);
      if (set.isPresent() && !set.get().spec().retentionPolicy().deleteWhenDeleted()) {
        return Optional.of("claim " + ns + "/" + claim + " got an owner reference to StatefulSet " + r.name()
            + " whose whenDeleted is Retain");
      }
    } else if (r.kind().equals(Pod.KIND)) {
      Optional<Pod> pod = view.state().get(ObjectKey.namespaced(Pod.KIND, ns, r.name()), Pod.class);
      Optional<OwnerReference> controller = pod.flatMap(p -> p.metadata().ownerReferences().stream()
          .filter(o -> o.isController() && o.kind().equals(StatefulSet.KIND)).findFirst());
      Optional<StatefulSet> set = controller.flatMap(c ->
          view.state().get(ObjectKey.namespaced(StatefulSet.KIND, ns, c.name()), StatefulSet.class));
      if (set.isPresent()) {
        Matcher m = ORDINAL.matcher(r.name());
        boolean scaledDown = m.matches() && !inRange(set.get(), Integer.parseInt(m.group(2)));
        if (!set.get().spec().retentionPolicy().deleteWhenScaled() || !scaledDown) {
          return Optional.of("claim " + ns + "/" + claim + " got an owner reference to pod " + r.name()
              + " of StatefulSet " + set.get().metadata().name() + " (replicas " + set.get().spec().replicasOrDefault()
              + ", whenScaled " + set.get().spec().retentionPolicy().whenScaled().orElseThrow() + ")");
        }
      }
    }
    return Optional.empty();
  }

  /** The ordinal of a claim {@code <template>-<set>-<ordinal>} of the set, if the name is one. */
  private static Optional<Integer> claimOrdinal(StatefulSet set, String claim) {
    for (PersistentVolumeClaim t : set.spec().volumeClaimTemplates()) {
      String prefix = t.metadata().name() + "-" + set.metadata().name() + "-";
      if (claim.startsWith(prefix) && claim.substring(prefix.length()).matches("[0-9]{1,9}")) {
        return Optional.of(Integer.parseInt(claim.substring(prefix.length())));
      }
    }
    return Optional.empty();
  }

  private static boolean inRange(StatefulSet set, int ordinal) {
    int start = set.spec().startOrdinal();
    return ordinal >= start && ordinal < start + set.spec().replicasOrDefault();
  }

  private static String refs(PersistentVolumeClaim c) {
    return c.metadata().ownerReferences().stream().map(r -> r.kind() + "/" + r.name()).toList().toString();
  }
}
