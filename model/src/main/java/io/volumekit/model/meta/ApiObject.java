package io.volumekit.model.meta;

/**
 * A Kubernetes API object: something with {@code apiVersion}, {@code kind} and {@code metadata}.
 *
 * <p>Every top-level kind volumekit knows (PersistentVolume, PersistentVolumeClaim, Pod,
 * StorageClass, ...) is an immutable record implementing this interface. It mirrors
 * {@code runtime.Object} + {@code metav1.Object} in Kubernetes: the engine stores, indexes and
 * versions objects through this interface alone, and the codec dispatches on
 * {@link #apiVersion()} and {@link #kind()}.
 */
public interface ApiObject {

  /** The API group and version, e.g. {@code v1} or {@code storage.k8s.io/v1}. */
  String apiVersion();

  /** The kind, e.g. {@code PersistentVolumeClaim}. */
  String kind();

  /** The object's metadata. */
  ObjectMeta metadata();

  /** A copy of this object with other metadata; everything else is unchanged. */
  ApiObject withMetadata(ObjectMeta metadata);
}
