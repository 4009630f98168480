package io.volumekit.model.meta;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.Optional;

/**
 * A reference to another object ({@code core/v1 ObjectReference}): used by a PersistentVolume's
 * {@code spec.claimRef}, an Event's {@code involvedObject} and a VolumeSnapshotContent's
 * {@code spec.volumeSnapshotRef}. Every field is optional, as in Kubernetes.
 */
@RecordBuilder
public record ObjectReference(
    Optional<String> kind,
    Optional<String> namespace,
    Optional<String> name,
    Optional<String> uid,
    Optional<String> apiVersion,
    Optional<String> resourceVersion,
    Optional<String> fieldPath) implements ObjectReferenceBuilder.With {

  public ObjectReference {
    kind = Normalize.opt(kind);
    namespace = Normalize.opt(namespace);
    name = Normalize.opt(name);
    uid = Normalize.opt(uid);
    apiVersion = Normalize.opt(apiVersion);
    resourceVersion = Normalize.opt(resourceVersion);
    fieldPath = Normalize.opt(fieldPath);
  }

  /** A reference to an object, with kind, apiVersion, namespace (if any), name and uid (if set). */
  public static ObjectReference to(ApiObject object) {
    ObjectMeta m = object.metadata();
    return ObjectReferenceBuilder.builder()
        .kind(Optional.of(object.kind()))
        .apiVersion(Optional.of(object.apiVersion()))
        .namespace(m.namespace())
        .name(Optional.of(m.name()))
        .uid(m.uid())
        .resourceVersion(m.resourceVersion())
        .build();
  }

  /** A reference to a namespaced object by namespace and name only (as admins pre-bind a PV). */
  public static ObjectReference named(String namespace, String name) {
    return ObjectReferenceBuilder.builder()
        .namespace(Optional.of(namespace))
        .name(Optional.of(name))
        .build();
  }

  /** The name, or "" when unset. */
  public String nameOrEmpty() {
    return name.orElse("");
  }

  /** The namespace, or "" when unset. */
  public String namespaceOrEmpty() {
    return namespace.orElse("");
  }

  /** The uid, or "" when unset. */
  public String uidOrEmpty() {
    return uid.orElse("");
  }
}
