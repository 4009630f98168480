package io.volumekit.model.validation;

import io.volumekit.model.snapshot.*;
import java.util.List;

/**
 * snapshot.storage.k8s.io kinds. These are CRDs whose rules are CEL expressions; the messages
 * follow the CRD's wording ({@code <path>: Invalid value: "object": <message>}).
 */
final class SnapshotRules {
  private SnapshotRules() {}

  static final List<String> DELETION = List.of("Delete", "Retain");

  static void snapshot(Errs errs, VolumeSnapshot s) {
    VolumeSnapshotSource src = s.spec().source();
    if (src.persistentVolumeClaimName().isPresent() == src.volumeSnapshotContentName().isPresent()) {
      errs.invalid(FieldPath.of("spec", "source"), "object",
          "exactly one of volumeSnapshotContentName and persistentVolumeClaimName must be set");
    }
    if (s.spec().volumeSnapshotClassName().filter(String::isEmpty).isPresent()) {
      errs.invalid(FieldPath.of("spec", "volumeSnapshotClassName"), "string",
          "volumeSnapshotClassName must not be the empty string when set");
    }
  }

  static void snapshotUpdate(Errs errs, VolumeSnapshot o, VolumeSnapshot n) {
    var os = o.spec().source();
    var ns = n.spec().source();
    if (os.persistentVolumeClaimName().isPresent() && !os.persistentVolumeClaimName().equals(ns.persistentVolumeClaimName())) {
      errs.invalid(FieldPath.of("spec", "source", "persistentVolumeClaimName"), "string", "persistentVolumeClaimName is immutable");
    }
    if (os.volumeSnapshotContentName().isPresent() && !os.volumeSnapshotContentName().equals(ns.volumeSnapshotContentName())) {
      errs.invalid(FieldPath.of("spec", "source", "volumeSnapshotContentName"), "string", "volumeSnapshotContentName is immutable");
    }
  }

  static void content(Errs errs, VolumeSnapshotContent c) {
    var s = c.spec();
    if (s.volumeSnapshotRef().nameOrEmpty().isEmpty() || s.volumeSnapshotRef().namespaceOrEmpty().isEmpty()) {
      errs.invalid(FieldPath.root("spec"), "object",
          "both spec.volumeSnapshotRef.name and spec.volumeSnapshotRef.namespace must be set");
    }
    if (s.source().volumeHandle().isPresent() == s.source().snapshotHandle().isPresent()) {
      errs.invalid(FieldPath.of("spec", "source"), "object", "exactly one of volumeHandle and snapshotHandle must be set");
    }
    deletionPolicy(errs, s.deletionPolicy(), FieldPath.of("spec", "deletionPolicy"));
    if (s.driver().isEmpty()) {
      errs.required(FieldPath.of("spec", "driver"));
    }
    s.sourceVolumeMode().filter(m -> !ClaimRules.VOLUME_MODES.contains(m))
        .ifPresent(m -> errs.notSupported(FieldPath.of("spec", "sourceVolumeMode"), m, ClaimRules.VOLUME_MODES));
  }

  static void contentUpdate(Errs errs, VolumeSnapshotContent o, VolumeSnapshotContent n) {
    var os = o.spec().source();
    var ns = n.spec().source();
    if (os.volumeHandle().isPresent() && !os.volumeHandle().equals(ns.volumeHandle())) {
      errs.invalid(FieldPath.of("spec", "source", "volumeHandle"), "string", "volumeHandle is immutable");
    }
    if (os.snapshotHandle().isPresent() && !os.snapshotHandle().equals(ns.snapshotHandle())) {
      errs.invalid(FieldPath.of("spec", "source", "snapshotHandle"), "string", "snapshotHandle is immutable");
    }
    if (o.spec().sourceVolumeMode().isPresent() && !o.spec().sourceVolumeMode().equals(n.spec().sourceVolumeMode())) {
      errs.invalid(FieldPath.of("spec", "sourceVolumeMode"), "string", "sourceVolumeMode is immutable");
    }
  }

  static void snapshotClass(Errs errs, VolumeSnapshotClass c) {
    if (c.driver().isEmpty()) {
      errs.required(FieldPath.root("driver"));
    }
    deletionPolicy(errs, c.deletionPolicy(), FieldPath.root("deletionPolicy"));
  }

  static void deletionPolicy(Errs errs, String policy, FieldPath p) {
    if (policy.isEmpty()) {
      errs.required(p);
    } else if (!DELETION.contains(policy)) {
      errs.notSupported(p, policy, DELETION);
    }
  }
}
