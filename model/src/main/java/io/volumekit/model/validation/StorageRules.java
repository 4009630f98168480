package io.volumekit.model.validation;

import io.volumekit.model.core.BindingModes;
import io.volumekit.model.storage.*;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** storage.k8s.io kinds ({@code pkg/apis/storage/validation}). */
final class StorageRules {
  private StorageRules() {}

  static final long MAX_PARAMETERS = 256 * 1024;
  static final List<String> SC_RECLAIM = List.of("Delete", "Retain");
  static final List<String> LIFECYCLE = List.of("Ephemeral", "Persistent");
  static final List<String> FS_GROUP_POLICY = List.of("File", "None", "ReadWriteOnceWithFSType");

  static void storageClass(Errs errs, StorageClass sc) {
    provisioner(errs, sc.provisioner(), FieldPath.root("provisioner"));
    parameters(errs, sc.parameters(), FieldPath.root("parameters"));
    sc.reclaimPolicy().filter(r -> !r.isEmpty() && !SC_RECLAIM.contains(r))
        .ifPresent(r -> errs.notSupported(FieldPath.root("reclaimPolicy"), r, SC_RECLAIM));
    sc.volumeBindingMode().filter(m -> !BindingModes.ALL.contains(m))
        .ifPresent(m -> errs.notSupported(FieldPath.root("volumeBindingMode"), m, BindingModes.ALL));
    MetaRules.topologyTerms(errs, sc.allowedTopologies(), FieldPath.root("allowedTopologies"));
  }

  static void provisioner(Errs errs, String provisioner, FieldPath p) {
    if (provisioner.isEmpty()) {
      errs.required(p);
    } else {
      errs.each(p, provisioner, Names.qualifiedName(provisioner.toLowerCase(Locale.ROOT)));
    }
  }

  static void parameters(Errs errs, Map<String, String> params, FieldPath p) {
    long total = 0;
    for (var e : params.entrySet()) {
      if (e.getKey().isEmpty()) {
        errs.invalid(p, "", "field can not be empty.");
      }
      total += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (total > MAX_PARAMETERS) {
      errs.tooLong(p, MAX_PARAMETERS);
    }
  }

  static void storageClassUpdate(Errs errs, StorageClass o, StorageClass n) {
    if (!o.parameters().equals(n.parameters())) {
      errs.forbidden(FieldPath.root("parameters"), "updates to parameters are forbidden.");
    }
    if (!o.provisioner().equals(n.provisioner())) {
      errs.forbidden(FieldPath.root("provisioner"), "updates to provisioner are forbidden.");
    }
    if (!o.effectiveReclaimPolicy().equals(n.effectiveReclaimPolicy())) {
      errs.forbidden(FieldPath.root("reclaimPolicy"), "updates to reclaimPolicy are forbidden.");
    }
    if (!o.effectiveVolumeBindingMode().equals(n.effectiveVolumeBindingMode())) {
      errs.invalid(FieldPath.root("volumeBindingMode"), n.effectiveVolumeBindingMode(), "field is immutable");
    }
  }

  static void volumeAttributesClass(Errs errs, VolumeAttributesClass vac) {
    provisioner(errs, vac.driverName(), FieldPath.root("driverName"));
    if (vac.parameters().isEmpty()) {
      errs.required(FieldPath.root("parameters"), "must contain at least one key/value pair");
    } else {
      parameters(errs, vac.parameters(), FieldPath.root("parameters"));
    }
  }

  static void volumeAttributesClassUpdate(Errs errs, VolumeAttributesClass o, VolumeAttributesClass n) {
    if (!o.driverName().equals(n.driverName())) {
      errs.forbidden(FieldPath.root("driverName"), "updates to driverName are forbidden.");
    }
    if (!o.parameters().equals(n.parameters())) {
      errs.forbidden(FieldPath.root("parameters"), "updates to parameters are forbidden.");
    }
  }

  static void csiDriver(Errs errs, CSIDriver d) {
    FieldPath p = FieldPath.root("spec");
    CSIDriverSpec s = d.spec();
    for (int i = 0; i < s.volumeLifecycleModes().size(); i++) {
      String m = s.volumeLifecycleModes().get(i);
      if (!LIFECYCLE.contains(m)) {
        errs.notSupported(p.child("volumeLifecycleModes"), m, LIFECYCLE);
      }
    }
    s.fsGroupPolicy().filter(f -> !FS_GROUP_POLICY.contains(f))
        .ifPresent(f -> errs.notSupported(p.child("fsGroupPolicy"), f, FS_GROUP_POLICY));
    Set<String> audiences = new HashSet<>();
    for (int i = 0; i < s.tokenRequests().size(); i++) {
      TokenRequest t = s.tokenRequests().get(i);
      if (!audiences.add(t.audience())) {
        errs.duplicate(p.child("tokenRequests").index(i).child("audience"), t.audience());
      }
    }
  }

  static void csiDriverUpdate(Errs errs, CSIDriver o, CSIDriver n) {
    FieldPath p = FieldPath.root("spec");
    if (!o.spec().attachRequired().equals(n.spec().attachRequired())) {
      // (the API server names this path "attachedRequired")
      errs.invalid(p.child("attachedRequired"), n.spec().attachRequired(), "field is immutable");
    }
    if (!o.spec().effectiveVolumeLifecycleModes().equals(n.spec().effectiveVolumeLifecycleModes())) {
      errs.invalid(p.child("volumeLifecycleModes"), n.spec().volumeLifecycleModes(), "field is immutable");
    }
  }

  static void csiNode(Errs errs, CSINode n) {
    FieldPath dp = FieldPath.of("spec", "drivers");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < n.spec().drivers().size(); i++) {
      CSINodeDriver d = n.spec().drivers().get(i);
      FieldPath ip = dp.index(i);
      VolumeRules.csiDriverName(errs, d.name(), ip.child("name"));
      if (d.nodeID().isEmpty()) {
        errs.required(ip.child("nodeID"));
      }
      // nodeID length (at most 128) and allocatable.count >= 0 are field constraints (BeanConstraints)
      if (!names.add(d.name())) {
        errs.duplicate(ip.child("name"), d.name());
      }
      // As the API server, topology key errors are reported on the driver entry itself.
      Set<String> keys = new HashSet<>();
      for (String k : d.topologyKeys()) {
        if (k.isEmpty()) {
          errs.required(ip);
        }
        if (!keys.add(k)) {
          errs.duplicate(ip, k);
        }
        errs.each(ip, k, Names.qualifiedName(k));
      }
    }
  }

  static void volumeAttachment(Errs errs, VolumeAttachment va) {
    FieldPath p = FieldPath.root("spec");
    VolumeAttachmentSpec s = va.spec();
    if (s.attacher().isEmpty()) {
      errs.required(p.child("attacher"));
    }
    boolean pv = s.source().persistentVolumeName().isPresent();
    boolean inline = s.source().inlineVolumeSpec().isPresent();
    String exactlyOne = "must specify exactly one of inlineVolumeSpec and persistentVolumeName";
    if (!pv && !inline) {
      errs.required(p.child("source"), exactlyOne);
    } else if (pv && inline) {
      errs.forbidden(p.child("source"), exactlyOne);
    } else if (pv && s.source().persistentVolumeName().get().isEmpty()) {
      errs.required(p.child("source", "persistentVolumeName"), "must specify non empty persistentVolumeName");
    }
    errs.each(p.child("nodeName"), s.nodeName(), Names.dns1123Subdomain(s.nodeName()));
    s.source().persistentVolumeName().filter(n -> !n.isEmpty())
        .ifPresent(n -> errs.each(p.child("source", "persistentVolumeName"), n, Names.dns1123Subdomain(n)));
    va.status().attachError().flatMap(VolumeError::message).filter(m -> m.length() > 1024).ifPresent(m ->
        errs.tooLong(FieldPath.of("status", "attachError", "message"), 1024));
  }

  static void volumeAttachmentUpdate(Errs errs, VolumeAttachment o, VolumeAttachment n) {
    if (!o.spec().equals(n.spec())) {
      errs.invalid(FieldPath.root("spec"), n.spec(), "field is immutable");
    }
  }

  static void capacity(Errs errs, CSIStorageCapacity c) {
    c.nodeTopology().ifPresent(t -> MetaRules.labelSelector(errs, t, FieldPath.root("nodeTopology")));
    errs.each(FieldPath.root("storageClassName"), c.storageClassName(), Names.dns1123Subdomain(c.storageClassName()));
    c.capacity().filter(q -> q.signum() < 0).ifPresent(q ->
        errs.invalid(FieldPath.root("capacity"), q.toString(), "must be greater than or equal to 0"));
  }

  static void capacityUpdate(Errs errs, CSIStorageCapacity o, CSIStorageCapacity n) {
    if (!o.nodeTopology().equals(n.nodeTopology())) {
      errs.invalid(FieldPath.root("nodeTopology"), n.nodeTopology(), "field is immutable");
    }
    errs.immutable(FieldPath.root("storageClassName"), n.storageClassName(), o.storageClassName());
  }
}
