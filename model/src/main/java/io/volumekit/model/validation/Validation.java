package io.volumekit.model.validation;

import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.core.ConfigMap;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.Namespace;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Secret;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.KindInfo;
import io.volumekit.model.meta.Kinds;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.snapshot.VolumeSnapshot;
import io.volumekit.model.snapshot.VolumeSnapshotClass;
import io.volumekit.model.populator.VolumePopulator;
import io.volumekit.model.snapshot.VolumeSnapshotContent;
import io.volumekit.model.storage.CSIDriver;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.CSIStorageCapacity;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.VolumeAttachment;
import io.volumekit.model.storage.VolumeAttributesClass;
import java.util.List;
import java.util.function.Function;

/**
 * Validates API objects with the API server's rules and words ({@code
 * pkg/apis/core/validation}, {@code pkg/apis/storage/validation}).
 *
 * <pre>{@code
 * List<FieldError> errors = Validation.validate(pvc);            // create rules
 * List<FieldError> errors = Validation.validateUpdate(old, pvc); // update rules too
 * Validation.check(pvc);  // throws InvalidObjectException:
 *   // The PersistentVolumeClaim "data" is invalid: spec.resources[storage]: Required value
 * }</pre>
 *
 * <p>Namespaced objects must carry their namespace (as the API server fills it in from the
 * request before validating): a claim without one gets {@code metadata.namespace: Required
 * value}. Objects are validated as the API server sees them after defaulting ({@link Defaults}): optional fields the
 * server defaults (a class's binding mode, a CSIDriver's attachRequired) are not required here.
 * Field-level constraints are Jakarta Bean Validation annotations on the records (checked by
 * Hibernate Validator); cross-field rules are code; both report {@link FieldError}s, in one list.
 */
public final class Validation {
  private Validation() {}

  /** The errors of an object about to be created; empty when valid. */
  public static List<FieldError> validate(ApiObject object) {
    Errs errs = new Errs();
    validateInto(errs, object);
    return List.copyOf(errs.list);
  }

  private static void validateInto(Errs errs, ApiObject object) {
    KindInfo info = Kinds.of(object);
    MetaRules.objectMeta(errs, object.metadata(), info.namespaced(), nameFunction(object));
    List<FieldError> fieldErrors = BeanConstraints.check(object);
    errs.addAll(fieldErrors);
    FieldPath spec = FieldPath.root("spec");
    if (object instanceof PersistentVolume pv) {
      ClaimRules.volumeSpec(errs, pv.spec(), spec);
    } else if (object instanceof PersistentVolumeClaim pvc) {
      ClaimRules.claimSpec(errs, pvc.spec(), spec);
      ClaimRules.claimStatus(errs, pvc.status(), FieldPath.root("status"));
    } else if (object instanceof Pod pod) {
      CoreRules.pod(errs, pod, fieldErrors);
    } else if (object instanceof Node node) {
      CoreRules.node(errs, node);
    } else if (object instanceof Secret secret) {
      CoreRules.secret(errs, secret);
    } else if (object instanceof ConfigMap cm) {
      CoreRules.configMap(errs, cm);
    } else if (object instanceof Event ev) {
      CoreRules.event(errs, ev);
    } else if (object instanceof StorageClass sc) {
      StorageRules.storageClass(errs, sc);
    } else if (object instanceof VolumeAttributesClass vac) {
      StorageRules.volumeAttributesClass(errs, vac);
    } else if (object instanceof CSIDriver d) {
      StorageRules.csiDriver(errs, d);
    } else if (object instanceof CSINode n) {
      StorageRules.csiNode(errs, n);
    } else if (object instanceof VolumeAttachment va) {
      StorageRules.volumeAttachment(errs, va);
    } else if (object instanceof CSIStorageCapacity c) {
      StorageRules.capacity(errs, c);
    } else if (object instanceof VolumeSnapshot s) {
      SnapshotRules.snapshot(errs, s);
    } else if (object instanceof VolumeSnapshotContent c) {
      SnapshotRules.content(errs, c);
    } else if (object instanceof VolumeSnapshotClass c) {
      SnapshotRules.snapshotClass(errs, c);
    } else if (object instanceof VolumePopulator p) {
      PopulatorRules.volumePopulator(errs, p);
    } else if (object instanceof io.volumekit.model.gateway.ReferenceGrant g) {
      GatewayRules.referenceGrant(errs, g);
    } else if (object instanceof StatefulSet set) {
      AppsRules.statefulSet(errs, set);
    }
    // Namespace: metadata only.
  }

  /**
   * The errors of replacing {@code oldObject} by {@code newObject}: metadata identity, the
   * create rules on the new object, then the kind's update rules (e.g. a PVC's spec is immutable
   * except a growing storage request and volumeAttributesClassName).
   */
  public static List<FieldError> validateUpdate(ApiObject oldObject, ApiObject newObject) {
    if (!oldObject.getClass().equals(newObject.getClass())) {
      throw new IllegalArgumentException("cannot update a " + oldObject.kind() + " into a " + newObject.kind());
    }
    Errs errs = new Errs();
    metaUpdate(errs, oldObject.metadata(), newObject.metadata());
    validateInto(errs, newObject);
    if (newObject instanceof PersistentVolumeClaim n) {
      ClaimRules.claimUpdate(errs, (PersistentVolumeClaim) oldObject, n);
    } else if (newObject instanceof PersistentVolume n) {
      ClaimRules.volumeUpdate(errs, (PersistentVolume) oldObject, n);
    } else if (newObject instanceof Pod n) {
      CoreRules.podUpdate(errs, (Pod) oldObject, n);
    } else if (newObject instanceof Secret n) {
      Secret o = (Secret) oldObject;
      CoreRules.immutableData(errs, o.immutable().orElse(false), List.of(o.data(), o.stringData()),
          List.of(n.data(), n.stringData()), n.immutable(), "data");
    } else if (newObject instanceof ConfigMap n) {
      ConfigMap o = (ConfigMap) oldObject;
      CoreRules.immutableData(errs, o.immutable().orElse(false), List.of(o.data(), o.binaryData()),
          List.of(n.data(), n.binaryData()), n.immutable(), "data");
    } else if (newObject instanceof StorageClass n) {
      StorageRules.storageClassUpdate(errs, (StorageClass) oldObject, n);
    } else if (newObject instanceof VolumeAttributesClass n) {
      StorageRules.volumeAttributesClassUpdate(errs, (VolumeAttributesClass) oldObject, n);
    } else if (newObject instanceof CSIDriver n) {
      StorageRules.csiDriverUpdate(errs, (CSIDriver) oldObject, n);
    } else if (newObject instanceof VolumeAttachment n) {
      StorageRules.volumeAttachmentUpdate(errs, (VolumeAttachment) oldObject, n);
    } else if (newObject instanceof CSIStorageCapacity n) {
      StorageRules.capacityUpdate(errs, (CSIStorageCapacity) oldObject, n);
    } else if (newObject instanceof VolumeSnapshot n) {
      SnapshotRules.snapshotUpdate(errs, (VolumeSnapshot) oldObject, n);
    } else if (newObject instanceof VolumeSnapshotContent n) {
      SnapshotRules.contentUpdate(errs, (VolumeSnapshotContent) oldObject, n);
    } else if (newObject instanceof StatefulSet n) {
      AppsRules.statefulSetUpdate(errs, (StatefulSet) oldObject, n);
    }
    return List.copyOf(errs.list);
  }

  /**
   * The errors of a status update (the {@code /status} subresource): metadata identity, a
   * resourceVersion is required, and for claims the status rules (allocatedResourceStatuses).
   */
  public static List<FieldError> validateStatusUpdate(ApiObject oldObject, ApiObject newObject) {
    if (!oldObject.getClass().equals(newObject.getClass())) {
      throw new IllegalArgumentException("cannot update a " + oldObject.kind() + " into a " + newObject.kind());
    }
    Errs errs = new Errs();
    metaUpdate(errs, oldObject.metadata(), newObject.metadata());
    if (newObject.metadata().resourceVersion().orElse("").isEmpty()) {
      errs.required(FieldPath.root("resourceVersion"));
    }
    if (newObject instanceof PersistentVolumeClaim pvc) {
      ClaimRules.claimStatus(errs, pvc.status(), FieldPath.root("status"));
    }
    return List.copyOf(errs.list);
  }

  private static void metaUpdate(Errs errs, ObjectMeta o, ObjectMeta n) {
    FieldPath p = FieldPath.root("metadata");
    errs.immutable(p.child("name"), n.name(), o.name());
    errs.immutable(p.child("namespace"), n.namespaceOrEmpty(), o.namespaceOrEmpty());
    if (o.uid().isPresent()) {
      errs.immutable(p.child("uid"), n.uid().orElse(""), o.uid().orElse(""));
    }
    if (o.creationTimestamp().isPresent() && !o.creationTimestamp().equals(n.creationTimestamp())) {
      errs.invalid(p.child("creationTimestamp"), n.creationTimestamp().map(Object::toString).orElse("null"),
          "field is immutable");
    }
  }

  /** Throws {@link InvalidObjectException} if the object is invalid for creation. */
  public static void check(ApiObject object) {
    List<FieldError> errors = validate(object);
    if (!errors.isEmpty()) {
      throw new InvalidObjectException(object.kind(), object.metadata().name(), errors);
    }
  }

  /** Throws {@link InvalidObjectException} if the update is invalid. */
  public static void checkUpdate(ApiObject oldObject, ApiObject newObject) {
    List<FieldError> errors = validateUpdate(oldObject, newObject);
    if (!errors.isEmpty()) {
      throw new InvalidObjectException(newObject.kind(), newObject.metadata().name(), errors);
    }
  }

  private static Function<String, List<String>> nameFunction(ApiObject o) {
    if (o instanceof Namespace || o instanceof StatefulSet) {
      return Names::dns1123Label;
    }
    return Names::dns1123Subdomain;
  }
}
