package io.volumekit.model.validation;

import io.volumekit.model.core.*;
import io.volumekit.model.quantity.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * PersistentVolume and PersistentVolumeClaim specs, create and update
 * (ValidatePersistentVolumeSpec, ValidatePersistentVolumeClaimSpec and their Update twins in
 * {@code pkg/apis/core/validation}).
 */
final class ClaimRules {
  private ClaimRules() {}

  static final List<String> ACCESS_MODES = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
  static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");
  static final List<String> RECLAIM = List.of("Delete", "Recycle", "Retain");
  static final List<String> RESIZE_STATUSES = List.of("ControllerResizeInProgress", "ControllerResizeInfeasible",
      "NodeResizeInProgress", "NodeResizeInfeasible", "NodeResizePending");

  static void accessModes(Errs errs, List<String> modes, FieldPath p) {
    boolean rwop = false;
    boolean other = false;
    for (String m : modes) {
      if (!ACCESS_MODES.contains(m)) {
        errs.notSupported(p, m, ACCESS_MODES);
      }
      if (m.equals(AccessModes.READ_WRITE_ONCE_POD)) {
        rwop = true;
      } else if (ACCESS_MODES.contains(m)) {
        other = true;
      }
    }
    if (rwop && other) {
      errs.forbidden(p, "may not use ReadWriteOncePod with other access modes");
    }
  }

  static void claimSpec(Errs errs, PersistentVolumeClaimSpec spec, FieldPath p) {
    if (spec.accessModes().isEmpty()) {
      errs.required(p.child("accessModes"), "at least 1 access mode is required");
    }
    spec.selector().ifPresent(s -> MetaRules.labelSelector(errs, s, p.child("selector")));
    accessModes(errs, spec.accessModes(), p.child("accessModes"));
    Quantity storage = spec.resources().requests().get("storage");
    FieldPath sp = p.child("resources").key("storage");
    if (storage == null) {
      errs.required(sp);
    } else {
      VolumeRules.positiveQuantity(errs, storage, sp);
    }
    spec.storageClassName().filter(s -> !s.isEmpty())
        .ifPresent(s -> errs.each(p.child("storageClassName"), s, Names.dns1123Subdomain(s)));
    spec.volumeMode().filter(m -> !VOLUME_MODES.contains(m))
        .ifPresent(m -> errs.notSupported(p.child("volumeMode"), m, VOLUME_MODES));
    spec.dataSource().ifPresent(ds -> dataSource(errs, ds.apiGroup().orElse(""), ds.kind(), ds.name(),
        p.child("dataSource")));
    spec.dataSourceRef().ifPresent(ds -> {
      dataSource(errs, ds.apiGroup().orElse(""), ds.kind(), ds.name(), p.child("dataSourceRef"));
      ds.namespace().filter(n -> !n.isEmpty())
          .ifPresent(n -> errs.each(p.child("dataSourceRef", "namespace"), n, Names.dns1123Label(n)));
    });
    if (spec.dataSourceRef().isPresent() && !spec.dataSourceRef().get().namespace().orElse("").isEmpty()) {
      if (spec.dataSource().isPresent()) {
        errs.invalid(p, p.child("dataSource").toString(), "may not be specified when dataSourceRef.namespace is specified");
      }
    } else if (spec.dataSource().isPresent() && spec.dataSourceRef().isPresent()) {
      TypedLocalObjectReference a = spec.dataSource().get();
      TypedObjectReference b = spec.dataSourceRef().get();
      if (!a.apiGroup().equals(b.apiGroup()) || !a.kind().equals(b.kind()) || !a.name().equals(b.name())) {
        errs.invalid(p, p.child("dataSource").toString(), "must match dataSourceRef");
      }
    }
    spec.volumeAttributesClassName().filter(s -> !s.isEmpty())
        .ifPresent(s -> errs.each(p.child("volumeAttributesClassName"), s, Names.dns1123Subdomain(s)));
  }

  private static void dataSource(Errs errs, String apiGroup, String kind, String name, FieldPath p) {
    if (name.isEmpty()) {
      errs.required(p.child("name"));
    }
    if (kind.isEmpty()) {
      errs.required(p.child("kind"));
    }
    if (apiGroup.isEmpty() && !kind.equals("PersistentVolumeClaim")) {
      errs.invalid(p, kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup");
    }
    if (!apiGroup.isEmpty()) {
      errs.each(p.child("apiGroup"), apiGroup, Names.dns1123Subdomain(apiGroup));
    }
  }

  static void claimStatus(Errs errs, PersistentVolumeClaimStatus s, FieldPath p) {
    for (var e : s.allocatedResourceStatuses().entrySet()) {
      FieldPath kp = p.child("allocatedResourceStatuses").key(e.getKey());
      if (!e.getKey().equals("storage") && !e.getKey().contains("/")) {
        errs.notSupported(kp, e.getKey(), List.of("storage"));
      } else {
        errs.each(kp, e.getKey(), Names.qualifiedName(e.getKey()));
      }
      if (!RESIZE_STATUSES.contains(e.getValue())) {
        errs.notSupported(p.child("allocatedResourceStatus"), e.getValue(), RESIZE_STATUSES);
      }
    }
    for (var e : s.allocatedResources().entrySet()) {
      if (e.getKey().equals("storage") && e.getValue().signum() < 0) {
        errs.invalid(p.child("allocatedResources").key("storage"), e.getValue().toString(),
            "must be greater than or equal to 0");
      }
    }
  }

  static void volumeSpec(Errs errs, PersistentVolumeSpec spec, FieldPath p) {
    if (spec.accessModes().isEmpty()) {
      errs.required(p.child("accessModes"));
    }
    accessModes(errs, spec.accessModes(), p.child("accessModes"));
    FieldPath cp = p.child("capacity");
    if (spec.capacity().isEmpty()) {
      errs.required(cp);
    }
    if (!spec.capacity().containsKey("storage") || spec.capacity().size() > 1) {
      errs.notSupported(cp, new FieldError.RawJson(capacityJson(spec.capacity())), List.of("storage"));
    }
    for (var e : spec.capacity().entrySet()) {
      if (e.getValue().signum() < 0) {
        errs.invalid(cp.key(e.getKey()), e.getValue().value(), "must be a valid resource quantity");
      }
      VolumeRules.positiveQuantity(errs, e.getValue(), cp.key(e.getKey()));
    }
    spec.persistentVolumeReclaimPolicy().filter(r -> !r.isEmpty() && !RECLAIM.contains(r))
        .ifPresent(r -> errs.notSupported(p.child("persistentVolumeReclaimPolicy"), r, RECLAIM));
    boolean affinity = false;
    if (spec.nodeAffinity().isPresent()) {
      FieldPath ap = p.child("nodeAffinity");
      if (spec.nodeAffinity().get().required().isEmpty()) {
        errs.required(ap.child("required"), "must specify required node constraints");
      } else {
        affinity = true;
        MetaRules.nodeSelector(errs, spec.nodeAffinity().get().required().get(), ap.child("required"));
      }
    }
    int[] n = {0};
    source(errs, n, spec.hostPath().isPresent(), p.child("hostPath"),
        () -> VolumeRules.hostPath(errs, spec.hostPath().get(), p.child("hostPath")));
    source(errs, n, spec.gcePersistentDisk().isPresent(), p.child("gcePersistentDisk"), () -> {
      if (spec.gcePersistentDisk().get().pdName().isEmpty()) {
        errs.required(p.child("persistentDisk", "pdName"));
      }
    });
    source(errs, n, spec.awsElasticBlockStore().isPresent(), p.child("awsElasticBlockStore"), () -> {
      if (spec.awsElasticBlockStore().get().volumeID().isEmpty()) {
        errs.required(p.child("awsElasticBlockStore", "volumeID"));
      }
    });
    source(errs, n, spec.nfs().isPresent(), p.child("nfs"), () -> VolumeRules.nfs(errs, spec.nfs().get(), p.child("nfs")));
    source(errs, n, spec.cinder().isPresent(), p.child("cinder"), () -> {
      if (spec.cinder().get().volumeID().isEmpty()) {
        errs.required(p.child("cinder", "volumeID"));
      }
      spec.cinder().get().secretRef().ifPresent(r -> {
        if (r.name().isEmpty()) {
          errs.required(p.child("cinder", "secretRef", "name"));
        }
        if (r.namespace().orElse("").isEmpty()) {
          errs.required(p.child("cinder", "secretRef", "namespace"));
        }
      });
    });
    source(errs, n, spec.azureFile().isPresent(), p.child("azureFile"), () -> {
      VolumeRules.azureFile(errs, spec.azureFile().get(), p.child("azureFile"));
      spec.azureFile().get().secretNamespace().filter(ns -> !ns.isEmpty()).ifPresent(ns ->
          errs.each(p.child("azureFile", "secretNamespace"), ns, Names.dns1123Label(ns)));
    });
    source(errs, n, spec.vsphereVolume().isPresent(), p.child("vsphereVolume"), () -> {
      if (spec.vsphereVolume().get().volumePath().isEmpty()) {
        errs.required(p.child("vsphereVolume", "volumePath"));
      }
    });
    source(errs, n, spec.portworxVolume().isPresent(), p.child("portworxVolume"), () -> {
      if (spec.portworxVolume().get().volumeID().isEmpty()) {
        errs.required(p.child("portworxVolume", "volumeID"));
      }
    });
    source(errs, n, spec.azureDisk().isPresent(), p.child("azureDisk"),
        () -> VolumeRules.azureDisk(errs, spec.azureDisk().get(), p.child("azureDisk")));
    boolean hasAffinity = affinity;
    source(errs, n, spec.local().isPresent(), p.child("local"), () -> {
      LocalVolumeSource l = spec.local().get();
      if (l.path().isEmpty()) {
        errs.required(p.child("local", "path"));
      } else {
        VolumeRules.noBacksteps(errs, l.path(), p.child("local", "path"));
      }
      if (!hasAffinity) {
        errs.required(p.child("nodeAffinity"), "Local volume requires node affinity");
      }
    });
    source(errs, n, spec.csi().isPresent(), p.child("csi"), () -> csi(errs, spec.csi().get(), p.child("csi")));
    if (n[0] == 0) {
      errs.required(p, "must specify a volume type");
    }
    if (spec.hostPath().isPresent() && cleanPath(spec.hostPath().get().path()).equals("/")
        && spec.persistentVolumeReclaimPolicy().orElse("").equals(ReclaimPolicies.RECYCLE)) {
      errs.forbidden(p.child("persistentVolumeReclaimPolicy"), "may not be 'recycle' for a hostPath mount of '/'");
    }
    if (!spec.storageClassName().isEmpty()) {
      errs.each(p.child("storageClassName"), spec.storageClassName(), Names.dns1123Subdomain(spec.storageClassName()));
    }
    spec.volumeMode().filter(m -> !VOLUME_MODES.contains(m))
        .ifPresent(m -> errs.notSupported(p.child("volumeMode"), m, VOLUME_MODES));
    if (spec.volumeAttributesClassName().isPresent()) {
      String vac = spec.volumeAttributesClassName().get();
      if (vac.isEmpty()) {
        errs.required(p.child("volumeAttributesClassName"), "an empty string is disallowed");
      } else {
        errs.each(p.child("volumeAttributesClassName"), vac, Names.dns1123Subdomain(vac));
      }
      if (spec.csi().isEmpty()) {
        errs.required(p.child("csi"), "has to be specified when using volumeAttributesClassName");
      }
    }
  }

  private static String capacityJson(Map<String, Quantity> capacity) {
    StringBuilder b = new StringBuilder("{");
    capacity.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append(FieldError.goQuote(e.getKey())).append(':').append(FieldError.goQuote(e.getValue().toString()));
    });
    return b.append('}').toString();
  }

  private static void source(Errs errs, int[] n, boolean present, FieldPath p, Runnable validate) {
    if (!present) {
      return;
    }
    if (n[0] > 0) {
      errs.forbidden(p, VolumeRules.MORE_THAN_ONE);
    } else {
      n[0]++;
      validate.run();
    }
  }

  static void csi(Errs errs, CSIPersistentVolumeSource c, FieldPath p) {
    VolumeRules.csiDriverName(errs, c.driver(), p.child("driver"));
    if (c.volumeHandle().isEmpty()) {
      errs.required(p.child("volumeHandle"));
    }
    secretRef(errs, c.controllerPublishSecretRef().orElse(null), p.child("controllerPublishSecretRef"));
    secretRef(errs, c.nodeStageSecretRef().orElse(null), p.child("nodeStageSecretRef"));
    secretRef(errs, c.nodePublishSecretRef().orElse(null), p.child("nodePublishSecretRef"));
    secretRef(errs, c.controllerExpandSecretRef().orElse(null), p.child("controllerExpandSecretRef"));
    secretRef(errs, c.nodeExpandSecretRef().orElse(null), p.child("nodeExpandSecretRef"));
  }

  private static void secretRef(Errs errs, SecretReference r, FieldPath p) {
    if (r == null) {
      return;
    }
    if (r.name().isEmpty()) {
      errs.required(p.child("name"), "name is required");
    } else {
      errs.each(p.child("name"), r.name(), Names.dns1123Subdomain(r.name()));
    }
    if (r.namespace().orElse("").isEmpty()) {
      errs.required(p.child("namespace"), "namespace is required");
    } else {
      errs.each(p.child("namespace"), r.namespace().get(), Names.dns1123Label(r.namespace().get()));
    }
  }

  static String cleanPath(String path) {
    String s = path.replaceAll("/+", "/");
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return java.nio.file.Path.of(s.isEmpty() ? "." : s).normalize().toString();
  }

  // ------------------------------------------------------------------ updates

  static void claimUpdate(Errs errs, PersistentVolumeClaim oldC, PersistentVolumeClaim newC) {
    PersistentVolumeClaimSpec o = oldC.spec();
    PersistentVolumeClaimSpec n = newC.spec();
    PersistentVolumeClaimSpec oClone = o;
    PersistentVolumeClaimSpec nClone = n;
    if (o.volumeName().orElse("").isEmpty()) {
      oClone = oClone.withVolumeName(n.volumeName());
    }
    String beta = "volume.beta.kubernetes.io/storage-class";
    String oldAnn = oldC.metadata().annotations().get(beta);
    String newAnn = newC.metadata().annotations().get(beta);
    boolean upgradeFromAnnotation = oldAnn != null && o.storageClassName().isEmpty()
        && n.storageClassName().isPresent() && n.storageClassName().get().equals(oldAnn)
        && (newAnn == null || newAnn.equals(oldAnn));
    if (upgradeFromAnnotation) {
      nClone = nClone.withStorageClassName(java.util.Optional.empty());
    } else {
      if (!Objects.equals(oldAnn, newAnn)) {
        errs.invalid(FieldPath.of("metadata", "annotations", beta), newAnn == null ? "" : newAnn, "field is immutable");
      }
      boolean upgradeFromNil = n.storageClassName().isPresent() && o.storageClassName().isEmpty()
          && (oldAnn == null || oldAnn.equals(n.storageClassName().get()));
      if (upgradeFromNil) {
        nClone = nClone.withStorageClassName(oClone.storageClassName());
      }
    }
    if (newC.isBound()) {
      var requests = new java.util.LinkedHashMap<>(nClone.resources().requests());
      Quantity oldStorage = o.resources().requests().get("storage");
      if (oldStorage == null) {
        requests.remove("storage");
      } else {
        requests.put("storage", oldStorage);
      }
      nClone = nClone.withResources(nClone.resources().withRequests(com.google.common.collect.ImmutableMap.copyOf(requests)));
    }
    nClone = nClone.withVolumeAttributesClassName(oClone.volumeAttributesClassName());
    if (!nClone.equals(oClone)) {
      errs.forbidden(FieldPath.root("spec"),
          "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
    }
    Quantity oldSize = o.resources().requests().getOrDefault("storage", Quantity.ZERO);
    Quantity newSize = n.resources().requests().getOrDefault("storage", Quantity.ZERO);
    if (newSize.compareTo(oldSize) < 0) {
      boolean recovery = !oldC.status().allocatedResources().isEmpty() || !oldC.status().allocatedResourceStatuses().isEmpty();
      Quantity statusSize = oldC.status().capacity().getOrDefault("storage", Quantity.ZERO);
      if (!recovery) {
        errs.forbidden(FieldPath.of("spec", "resources", "requests", "storage"), "field can not be less than previous value");
      } else if (newSize.compareTo(statusSize) <= 0) {
        errs.forbidden(FieldPath.of("spec", "resources", "requests", "storage"), "field can not be less than status.capacity");
      }
    }
    if (!n.volumeMode().equals(o.volumeMode())) {
      errs.invalid(FieldPath.root("volumeMode"), n.volumeMode(), "field is immutable");
    }
    if (o.volumeAttributesClassName().isPresent() && !o.volumeAttributesClassName().equals(n.volumeAttributesClassName())) {
      if (n.volumeAttributesClassName().isEmpty()) {
        errs.forbidden(FieldPath.of("spec", "volumeAttributesClassName"), "update from non-nil value to nil is forbidden");
      } else if (n.volumeAttributesClassName().get().isEmpty()) {
        errs.forbidden(FieldPath.of("spec", "volumeAttributesClassName"),
            "update from non-nil value to an empty string is forbidden");
      }
    }
  }

  static void volumeUpdate(Errs errs, PersistentVolume oldV, PersistentVolume newV) {
    PersistentVolumeSpec o = oldV.spec();
    PersistentVolumeSpec n = newV.spec();
    PersistentVolumeSpec nForSource = n;
    if (o.csi().isPresent() && o.csi().get().controllerExpandSecretRef().isEmpty()
        && n.csi().isPresent() && n.csi().get().controllerExpandSecretRef().isPresent()) {
      nForSource = n.withCsi(java.util.Optional.of(n.csi().get().withControllerExpandSecretRef(java.util.Optional.empty())));
    }
    if (!nForSource.sources().equals(o.sources())) {
      errs.forbidden(FieldPath.of("spec", "persistentvolumesource"), "spec.persistentvolumesource is immutable after creation");
    }
    if (!n.volumeMode().equals(o.volumeMode())) {
      errs.invalid(FieldPath.root("volumeMode"), n.volumeMode(), "field is immutable");
    }
    if (o.nodeAffinity().isPresent() && !o.nodeAffinity().equals(n.nodeAffinity())) {
      errs.invalid(FieldPath.root("nodeAffinity"), n.nodeAffinity(), "field is immutable");
    }
    if (o.volumeAttributesClassName().isPresent() && n.volumeAttributesClassName().isEmpty()) {
      errs.forbidden(FieldPath.of("spec", "volumeAttributesClassName"), "update from non-nil value to nil is forbidden");
    }
  }
}
