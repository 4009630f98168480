package io.volumekit.model.validation;

import io.volumekit.model.groupsnapshot.GroupSnapshotHandles;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshot;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotClass;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContent;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotContentSource;
import io.volumekit.model.groupsnapshot.VolumeGroupSnapshotSource;
import java.util.Objects;

/**
 * groupsnapshot.storage.k8s.io kinds. Like the snapshot kinds these are CRDs whose rules are CEL
 * expressions; the messages follow the CRD's wording.
 */
final class GroupSnapshotRules {
  private GroupSnapshotRules() {}

  static void groupSnapshot(Errs errs, VolumeGroupSnapshot g) {
    VolumeGroupSnapshotSource src = g.spec().source();
    FieldPath source = FieldPath.of("spec", "source");
    if (src.selector().isPresent() == src.volumeGroupSnapshotContentName().isPresent()) {
      errs.invalid(source, "object", "exactly one of selector and volumeGroupSnapshotContentName must be set");
    }
    src.selector().ifPresent(s -> MetaRules.labelSelector(errs, s, source.child("selector")));
    if (g.spec().volumeGroupSnapshotClassName().filter(String::isEmpty).isPresent()) {
      errs.invalid(FieldPath.of("spec", "volumeGroupSnapshotClassName"), "string",
          "volumeGroupSnapshotClassName must not be the empty string when set");
    }
  }

  static void groupSnapshotUpdate(Errs errs, VolumeGroupSnapshot o, VolumeGroupSnapshot n) {
    VolumeGroupSnapshotSource os = o.spec().source();
    VolumeGroupSnapshotSource ns = n.spec().source();
    FieldPath source = FieldPath.of("spec", "source");
    if (os.selector().isPresent() && !os.selector().equals(ns.selector())) {
      errs.invalid(source.child("selector"), "object",
          ns.selector().isPresent() ? "selector is immutable" : "selector is required once set");
    }
    if (os.volumeGroupSnapshotContentName().isPresent()
        && !os.volumeGroupSnapshotContentName().equals(ns.volumeGroupSnapshotContentName())) {
      errs.invalid(source.child("volumeGroupSnapshotContentName"), "string",
          ns.volumeGroupSnapshotContentName().isPresent() ? "volumeGroupSnapshotContentName is immutable"
              : "volumeGroupSnapshotContentName is required once set");
    }
  }

  static void content(Errs errs, VolumeGroupSnapshotContent c) {
    var s = c.spec();
    if (s.volumeGroupSnapshotRef().nameOrEmpty().isEmpty() || s.volumeGroupSnapshotRef().namespaceOrEmpty().isEmpty()) {
      errs.invalid(FieldPath.of("spec", "volumeGroupSnapshotRef"), "object",
          "both volumeGroupSnapshotRef.name and volumeGroupSnapshotRef.namespace must be set");
    }
    VolumeGroupSnapshotContentSource src = s.source();
    FieldPath source = FieldPath.of("spec", "source");
    if (!src.volumeHandles().isEmpty() == src.groupSnapshotHandles().isPresent()) {
      errs.invalid(source, "object", "exactly one of volumeHandles and groupSnapshotHandles must be set");
    }
    for (int i = 0; i < src.volumeHandles().size(); i++) {
      if (src.volumeHandles().get(i).isEmpty()) {
        errs.required(source.child("volumeHandles").index(i));
      }
    }
    src.groupSnapshotHandles().ifPresent(h -> handles(errs, h, source.child("groupSnapshotHandles")));
    SnapshotRules.deletionPolicy(errs, s.deletionPolicy(), FieldPath.of("spec", "deletionPolicy"));
    if (s.driver().isEmpty()) {
      errs.required(FieldPath.of("spec", "driver"));
    }
  }

  private static void handles(Errs errs, GroupSnapshotHandles h, FieldPath p) {
    if (h.volumeGroupSnapshotHandle().isEmpty()) {
      errs.required(p.child("volumeGroupSnapshotHandle"));
    }
    if (h.volumeSnapshotHandles().isEmpty()) {
      errs.required(p.child("volumeSnapshotHandles"));
    }
    for (int i = 0; i < h.volumeSnapshotHandles().size(); i++) {
      if (h.volumeSnapshotHandles().get(i).isEmpty()) {
        errs.required(p.child("volumeSnapshotHandles").index(i));
      }
    }
  }

  static void contentUpdate(Errs errs, VolumeGroupSnapshotContent o, VolumeGroupSnapshotContent n) {
    var os = o.spec().source();
    var ns = n.spec().source();
    FieldPath source = FieldPath.of("spec", "source");
    if (!os.volumeHandles().isEmpty() && !os.volumeHandles().equals(ns.volumeHandles())) {
      errs.invalid(source.child("volumeHandles"), "array", "volumeHandles is immutable");
    }
    if (os.groupSnapshotHandles().isPresent() && !os.groupSnapshotHandles().equals(ns.groupSnapshotHandles())) {
      errs.invalid(source.child("groupSnapshotHandles"), "object", "groupSnapshotHandles is immutable");
    }
  }

  static void groupSnapshotClass(Errs errs, VolumeGroupSnapshotClass c) {
    if (c.driver().isEmpty()) {
      errs.required(FieldPath.root("driver"));
    }
    SnapshotRules.deletionPolicy(errs, c.deletionPolicy(), FieldPath.root("deletionPolicy"));
  }

  static void classUpdate(Errs errs, VolumeGroupSnapshotClass o, VolumeGroupSnapshotClass n) {
    if (!Objects.equals(o.driver(), n.driver())) {
      errs.immutable(FieldPath.root("driver"), n.driver(), o.driver());
    }
    if (!o.parameters().equals(n.parameters())) {
      errs.invalid(FieldPath.root("parameters"), "object", "parameters are immutable");
    }
    if (!o.deletionPolicy().equals(n.deletionPolicy())) {
      errs.immutable(FieldPath.root("deletionPolicy"), n.deletionPolicy(), o.deletionPolicy());
    }
  }
}
