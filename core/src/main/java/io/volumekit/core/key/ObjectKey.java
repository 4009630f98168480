package io.volumekit.core.key;

import io.volumekit.core.state.ClusterState;
import io.volumekit.model.meta.ApiObject;
import java.util.Comparator;
import java.util.Objects;

/**
 * The identity of a stored object: kind, namespace ({@code ""} for cluster-scoped kinds) and name.
 *
 * <p>Mirrors the key of Kubernetes' object store ({@code /<kind>/<namespace>/<name>}). Keys sort
 * by kind, then namespace, then name, which gives every listing a deterministic order and lets
 * {@link ClusterState} list one kind as a contiguous range.
 */
public record ObjectKey(String kind, String namespace, String name) implements Comparable<ObjectKey> {

  private static final Comparator<ObjectKey> ORDER =
      Comparator.comparing(ObjectKey::kind)
          .thenComparing(ObjectKey::namespace)
          .thenComparing(ObjectKey::name);

  public ObjectKey {
    Objects.requireNonNull(kind, "kind");
    namespace = Objects.requireNonNullElse(namespace, "");
    name = Objects.requireNonNullElse(name, "");
  }

  /** The key of a cluster-scoped object. */
  public static ObjectKey cluster(String kind, String name) {
    return new ObjectKey(kind, "", name);
  }

  /** The key of a namespaced object. */
  public static ObjectKey namespaced(String kind, String namespace, String name) {
    return new ObjectKey(kind, namespace, name);
  }

  /** The key of an object, from its kind and metadata. */
  public static ObjectKey of(ApiObject object) {
    return new ObjectKey(object.kind(), object.metadata().namespaceOrEmpty(), object.metadata().name());
  }

  /** {@code namespace/name}, or {@code name} for cluster-scoped objects. */
  public String namespacedName() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }

  @Override
  public int compareTo(ObjectKey other) {
    // Kinds and namespaces are usually the same String instances (the model's KIND constants):
    // the identity checks skip most character comparisons on the hot lookup path.
    if (kind != other.kind) {
      int c = kind.compareTo(other.kind);
      if (c != 0) {
        return c;
      }
    }
    if (namespace != other.namespace) {
      int c = namespace.compareTo(other.namespace);
      if (c != 0) {
        return c;
      }
    }
    return name.compareTo(other.name);
  }

  /** The smallest key of the kind: the lower end of a kind's range. */
  public static ObjectKey first(String kind) {
    return new ObjectKey(kind, "", "");
  }

  /** The smallest key of the kind and namespace. */
  public static ObjectKey first(String kind, String namespace) {
    return new ObjectKey(kind, namespace, "");
  }

  /** Comparator equal to the natural order, for collections that want one explicitly. */
  public static Comparator<ObjectKey> order() {
    return ORDER;
  }

  @Override
  public String toString() {
    return kind + "/" + namespacedName();
  }
}
