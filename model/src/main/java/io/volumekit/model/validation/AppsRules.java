package io.volumekit.model.validation;

import io.volumekit.model.apps.RollingUpdateStatefulSetStrategy;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.volumekit.model.apps.StatefulSetSpec;
import io.volumekit.model.apps.StatefulSetUpdateStrategy;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.meta.LabelSelector;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * apps/v1 StatefulSet, with the API server's rules and words ({@code pkg/apis/apps/validation}):
 * podManagementPolicy, updateStrategy, the claim retention policy, non-negative replicas,
 * minReadySeconds and ordinals.start, a non-empty selector that matches the template's labels, a
 * template with restartPolicy Always; on update, only replicas, ordinals, template,
 * updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds may change. volumekit
 * also checks each volumeClaimTemplate (a name, unique, and a valid claim spec), which the API
 * server leaves to the claims' creation (docs/kubernetes-differences.md row 60).
 */
final class AppsRules {
  private AppsRules() {}

  static final List<String> RETENTION = List.of(StatefulSetPersistentVolumeClaimRetentionPolicy.RETAIN,
      StatefulSetPersistentVolumeClaimRetentionPolicy.DELETE);
  static final String SPEC_UPDATE_FORBIDDEN = "updates to statefulset spec for fields other than 'replicas', "
      + "'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' "
      + "are forbidden";

  static void statefulSet(Errs errs, StatefulSet set) {
    StatefulSetSpec s = set.spec();
    FieldPath spec = FieldPath.root("spec");
    s.podManagementPolicy().ifPresent(p -> {
      if (p.isEmpty()) {
        errs.required(spec.child("podManagementPolicy"));
      } else if (!p.equals(StatefulSetSpec.ORDERED_READY) && !p.equals(StatefulSetSpec.PARALLEL)) {
        errs.invalid(spec.child("podManagementPolicy"), p, "must be 'OrderedReady' or 'Parallel'");
      }
    });
    s.updateStrategy().ifPresent(u -> updateStrategy(errs, u, spec.child("updateStrategy")));
    s.persistentVolumeClaimRetentionPolicy().ifPresent(r -> {
      FieldPath p = spec.child("persistentVolumeClaimRetentionPolicy");
      retention(errs, r.whenDeleted(), p.child("whenDeleted"));
      retention(errs, r.whenScaled(), p.child("whenScaled"));
    });
    nonNegative(errs, s.replicas(), spec.child("replicas"));
    nonNegative(errs, s.minReadySeconds(), spec.child("minReadySeconds"));
    s.ordinals().ifPresent(o -> nonNegative(errs, o.start(), spec.child("ordinals.start")));
    if (s.selector().isEmpty()) {
      errs.required(spec.child("selector"));
    } else {
      LabelSelector sel = s.selector().get();
      MetaRules.labelSelector(errs, sel, spec.child("selector"));
      if (sel.isEmpty()) {
        errs.invalid(spec.child("selector"), sel, "empty selector is invalid for statefulset");
      } else if (!sel.matches(s.template().metadata().labels())) {
        errs.invalid(spec.child("template", "metadata", "labels"), s.template().metadata().labels(),
            "`selector` does not match template `labels`");
      }
    }
    // The API server checks the template's labels and annotations at these (short) paths.
    MetaRules.labels(errs, s.template().metadata().labels(), spec.child("template", "labels"));
    MetaRules.annotations(errs, s.template().metadata().annotations(), spec.child("template", "annotations"));
    s.template().spec().restartPolicy().filter(p -> !p.equals("Always")).ifPresent(p ->
        errs.notSupported(spec.child("template", "spec", "restartPolicy"), p, List.of("Always")));
    claimTemplates(errs, s.volumeClaimTemplates(), spec.child("volumeClaimTemplates"));
  }

  static void statefulSetUpdate(Errs errs, StatefulSet o, StatefulSet n) {
    StatefulSetSpec os = o.spec();
    StatefulSetSpec unchangeable = n.spec().withReplicas(os.replicas()).withTemplate(os.template())
        .withUpdateStrategy(os.updateStrategy()).withMinReadySeconds(os.minReadySeconds())
        .withOrdinals(os.ordinals())
        .withPersistentVolumeClaimRetentionPolicy(os.persistentVolumeClaimRetentionPolicy());
    if (!unchangeable.equals(os)) {
      errs.forbidden(FieldPath.root("spec"), SPEC_UPDATE_FORBIDDEN);
    }
  }

  private static void updateStrategy(Errs errs, StatefulSetUpdateStrategy u, FieldPath p) {
    String type = u.type().orElse("");
    if (type.isEmpty()) {
      errs.required(p);
    } else if (type.equals(StatefulSetUpdateStrategy.ON_DELETE)) {
      u.rollingUpdate().ifPresent(r ->
          errs.invalid(p.child("rollingUpdate"), r, "only allowed for updateStrategy 'RollingUpdate'"));
    } else if (type.equals(StatefulSetUpdateStrategy.ROLLING_UPDATE)) {
      u.rollingUpdate().map(RollingUpdateStatefulSetStrategy::partition)
          .ifPresent(partition -> nonNegative(errs, partition, p.child("rollingUpdate", "partition")));
    } else {
      errs.invalid(p, u, "must be 'RollingUpdate' or 'OnDelete'");
    }
  }

  private static void retention(Errs errs, Optional<String> value, FieldPath p) {
    // An absent field is defaulted to Retain before validation; an empty one is not supported.
    value.filter(v -> !RETENTION.contains(v)).ifPresent(v -> errs.notSupported(p, v, RETENTION));
  }

  private static void nonNegative(Errs errs, Optional<Integer> value, FieldPath p) {
    value.filter(v -> v < 0).ifPresent(v -> errs.invalid(p, v, "must be greater than or equal to 0"));
  }

  private static void claimTemplates(Errs errs, List<PersistentVolumeClaim> templates, FieldPath p) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < templates.size(); i++) {
      PersistentVolumeClaim t = templates.get(i);
      FieldPath name = p.index(i).child("metadata", "name");
      String n = t.metadata().name();
      if (n.isEmpty()) {
        errs.required(name, "name or generateName is required");
      } else {
        errs.each(name, n, Names.dns1123Subdomain(n));
        if (!seen.add(n)) {
          errs.duplicate(name, n);
        }
      }
      ClaimRules.claimSpec(errs, t.spec(), p.index(i).child("spec"));
    }
  }
}
