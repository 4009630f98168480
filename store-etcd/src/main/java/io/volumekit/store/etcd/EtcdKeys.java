package io.volumekit.store.etcd;

import io.volumekit.core.effect.EffectId;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.meta.ApiObject;
import java.util.Objects;
import java.util.Optional;

/**
 * The key layout under a cluster's prefix, like the API server's {@code /registry/...} keys:
 * {@code <prefix>/<group>/<kind>/<namespace>/<name>} for objects (group {@code core} for the core
 * API, namespace {@code _} for cluster-scoped objects; the version is left out so that a new API
 * version does not move keys) and {@code <prefix>/_operations/<effect id>} for the engine's
 * operations. Groups, namespaces and names cannot contain {@code _} at the start or {@code /}, so
 * the spaces never overlap.
 */
final class EtcdKeys {

  static final String CLUSTER_SCOPE = "_";
  private static final String OPERATIONS = "_operations/";

  private final String root;

  /** Keys under {@code prefix} (e.g. {@code /volumekit/default}). */
  EtcdKeys(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//")) {
      throw new IllegalArgumentException("an etcd prefix starts with / and does not end with one: " + prefix);
    }
    this.root = prefix + "/";
  }

  /** The prefix every key of this cluster starts with (ends with {@code /}). */
  String root() {
    return root;
  }

  /** The API group of an {@code apiVersion}: {@code core} for {@code v1}. */
  static String group(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "core" : apiVersion.substring(0, slash);
  }

  /** The key of an object. */
  String object(ApiObject object) {
    ObjectKey key = ObjectKey.of(object);
    return root + group(object.apiVersion()) + "/" + key.kind() + "/"
        + (key.namespace().isEmpty() ? CLUSTER_SCOPE : key.namespace()) + "/" + key.name();
  }

  /** The key of an operation. */
  String operation(EffectId id) {
    return root + OPERATIONS + id.value();
  }

  /** The key under which the control plane's leader is elected. */
  String leader() {
    return root + "_leader";
  }

  /** The object key an etcd key names, if it names an object of this cluster. */
  Optional<ObjectKey> parseObject(String key) {
    if (!key.startsWith(root) || key.startsWith(root + "_")) {
      return Optional.empty();
    }
    String[] parts = key.substring(root.length()).split("/", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    String namespace = parts[2].equals(CLUSTER_SCOPE) ? "" : parts[2];
    return Optional.of(new ObjectKey(parts[1], namespace, parts[3]));
  }

  /** The effect id an etcd key names, if it names an operation of this cluster. */
  Optional<EffectId> parseOperation(String key) {
    return key.startsWith(root + OPERATIONS)
        ? Optional.of(EffectId.of(key.substring(root.length() + OPERATIONS.length())))
        : Optional.empty();
  }
}
