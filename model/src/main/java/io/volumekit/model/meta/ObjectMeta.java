package io.volumekit.model.meta;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Standard object metadata ({@code metadata:}), as in {@code metav1.ObjectMeta}.
 *
 * <p>{@code name} is the empty string when unset (an object with only {@code generateName} gets
 * its name from the store). {@code uid}, {@code resourceVersion}, {@code generation}, {@code
 * creationTimestamp} and {@code deletionTimestamp} are assigned by the store, never by users;
 * {@code generation} is 0 when unset. Collections are never null: absent means empty. Build with
 * {@link ObjectMetaBuilder#builder()} or change one field with the {@code withX} methods.
 */
@RecordBuilder
public record ObjectMeta(
    String name,
    Optional<String> generateName,
    Optional<String> namespace,
    Optional<String> uid,
    Optional<String> resourceVersion,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) long generation,
    Optional<Instant> creationTimestamp,
    Optional<Instant> deletionTimestamp,
    ImmutableMap<String, String> labels,
    ImmutableMap<String, String> annotations,
    ImmutableList<String> finalizers,
    ImmutableList<OwnerReference> ownerReferences) implements ObjectMetaBuilder.With {

  public ObjectMeta {
    name = Objects.requireNonNullElse(name, "");
    generateName = orEmpty(generateName);
    namespace = orEmpty(namespace);
    uid = orEmpty(uid);
    resourceVersion = orEmpty(resourceVersion);
    creationTimestamp = orEmpty(creationTimestamp);
    deletionTimestamp = orEmpty(deletionTimestamp);
    labels = Normalize.map(labels);
    annotations = Normalize.map(annotations);
    finalizers = Normalize.list(finalizers);
    ownerReferences = Normalize.list(ownerReferences);
  }

  /** Metadata of a cluster-scoped object with just a name. */
  public static ObjectMeta named(String name) {
    return ObjectMetaBuilder.builder().name(name).build();
  }

  /** Metadata of a namespaced object with just a namespace and a name. */
  public static ObjectMeta named(String namespace, String name) {
    return ObjectMetaBuilder.builder().namespace(Optional.of(namespace)).name(name).build();
  }

  /** The namespace, or the empty string for cluster-scoped objects. */
  public String namespaceOrEmpty() {
    return namespace.orElse("");
  }

  /** The annotation's value, if set. */
  public Optional<String> annotation(String key) {
    return Optional.ofNullable(annotations.get(key));
  }

  /** The label's value, if set. */
  public Optional<String> label(String key) {
    return Optional.ofNullable(labels.get(key));
  }

  /** Whether a delete was requested ({@code deletionTimestamp} is set). */
  @JsonIgnore
  public boolean isDeleting() {
    return deletionTimestamp.isPresent();
  }

  /** Whether the finalizer is present. */
  public boolean hasFinalizer(String finalizer) {
    return finalizers.contains(finalizer);
  }

  /**
   * A copy with the annotation set to the value: in its place if present, else last (the order a
   * {@code LinkedHashMap} gives). One copy of the map, built directly (not a {@code LinkedHashMap}
   * and then its immutable copy).
   */
  public ObjectMeta withAnnotation(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    boolean present = false;
    ImmutableMap.Builder<String, String> m = ImmutableMap.builderWithExpectedSize(annotations.size() + 1);
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      if (e.getKey().equals(key)) {
        present = true;
        m.put(key, value);
      } else {
        m.put(e);
      }
    }
    if (!present) {
      m.put(key, value);
    }
    return withAnnotations(m.build());
  }

  /** A copy without the annotation (one copy of the map, the others in their order). */
  public ObjectMeta withoutAnnotation(String key) {
    if (!annotations.containsKey(key)) {
      return this;
    }
    ImmutableMap.Builder<String, String> m = ImmutableMap.builderWithExpectedSize(annotations.size() - 1);
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      if (!e.getKey().equals(key)) {
        m.put(e);
      }
    }
    return withAnnotations(m.build());
  }

  /** A copy with the finalizer added at the end, if missing. */
  public ObjectMeta withFinalizer(String finalizer) {
    if (finalizers.contains(finalizer)) {
      return this;
    }
    return withFinalizers(ImmutableList.<String>builderWithExpectedSize(finalizers.size() + 1).addAll(finalizers)
        .add(finalizer).build());
  }

  /** A copy without the finalizer. */
  public ObjectMeta withoutFinalizer(String finalizer) {
    if (!finalizers.contains(finalizer)) {
      return this;
    }
    // A loop into a builder of the right size (no stream pipeline: every finalizing controller removes one).
    ImmutableList.Builder<String> rest = ImmutableList.builderWithExpectedSize(finalizers.size() - 1);
    for (String f : finalizers) {
      if (!f.equals(finalizer)) {
        rest.add(f);
      }
    }
    return withFinalizers(rest.build());
  }

  private static <T> Optional<T> orEmpty(Optional<T> value) {
    return value == null ? Optional.empty() : value;
  }
}
