package io.volumekit.fabric8;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.model.meta.KindInfo;
import io.volumekit.model.meta.Kinds;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One kind volumekit models and the fabric8 class that holds it: the same table as a RESTMapper's
 * entry, plus the Java type on each side.
 *
 * <p>The snapshot kinds ({@code snapshot.storage.k8s.io/v1}) are custom resources in Kubernetes;
 * fabric8's client has no typed model for them in the artifacts volumekit uses, so they are held as
 * {@link GenericKubernetesResource}.
 *
 * @param info volumekit's description of the kind (apiVersion, plural, scope, record class)
 * @param fabric8Type the fabric8 model class
 */
public record Fabric8Kind(KindInfo info, Class<? extends HasMetadata> fabric8Type) {

  public Fabric8Kind {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(fabric8Type, "fabric8Type");
  }

  private static final Map<Class<? extends ApiObject>, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
      Map.entry(io.volumekit.model.core.PersistentVolume.class, io.fabric8.kubernetes.api.model.PersistentVolume.class),
      Map.entry(io.volumekit.model.core.PersistentVolumeClaim.class,
          io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
      Map.entry(io.volumekit.model.core.Pod.class, io.fabric8.kubernetes.api.model.Pod.class),
      Map.entry(io.volumekit.model.core.Node.class, io.fabric8.kubernetes.api.model.Node.class),
      Map.entry(io.volumekit.model.core.Namespace.class, io.fabric8.kubernetes.api.model.Namespace.class),
      Map.entry(io.volumekit.model.core.Secret.class, io.fabric8.kubernetes.api.model.Secret.class),
      Map.entry(io.volumekit.model.core.ConfigMap.class, io.fabric8.kubernetes.api.model.ConfigMap.class),
      Map.entry(io.volumekit.model.core.Event.class, io.fabric8.kubernetes.api.model.Event.class),
      Map.entry(io.volumekit.model.storage.StorageClass.class, io.fabric8.kubernetes.api.model.storage.StorageClass.class),
      Map.entry(io.volumekit.model.storage.VolumeAttributesClass.class,
          io.fabric8.kubernetes.api.model.storage.VolumeAttributesClass.class),
      Map.entry(io.volumekit.model.storage.CSIDriver.class, io.fabric8.kubernetes.api.model.storage.CSIDriver.class),
      Map.entry(io.volumekit.model.storage.CSINode.class, io.fabric8.kubernetes.api.model.storage.CSINode.class),
      Map.entry(io.volumekit.model.storage.VolumeAttachment.class,
          io.fabric8.kubernetes.api.model.storage.VolumeAttachment.class),
      Map.entry(io.volumekit.model.storage.CSIStorageCapacity.class,
          io.fabric8.kubernetes.api.model.storage.CSIStorageCapacity.class),
      Map.entry(io.volumekit.model.apps.StatefulSet.class, io.fabric8.kubernetes.api.model.apps.StatefulSet.class),
      Map.entry(io.volumekit.model.snapshot.VolumeSnapshot.class, GenericKubernetesResource.class),
      Map.entry(io.volumekit.model.snapshot.VolumeSnapshotContent.class, GenericKubernetesResource.class),
      Map.entry(io.volumekit.model.snapshot.VolumeSnapshotClass.class, GenericKubernetesResource.class),
      Map.entry(io.volumekit.model.populator.VolumePopulator.class, GenericKubernetesResource.class),
      Map.entry(io.volumekit.model.gateway.ReferenceGrant.class, GenericKubernetesResource.class));

  /** Every kind volumekit models ({@link Kinds#ALL}), in the same order. */
  public static final List<Fabric8Kind> ALL = Kinds.ALL.stream()
      .map(k -> new Fabric8Kind(k, Optional.ofNullable(TYPES.get(k.type())).orElseThrow(
          () -> new IllegalStateException("no fabric8 type for " + k.kind()))))
      .toList();

  private static final Map<String, Fabric8Kind> BY_API_VERSION_AND_KIND = ALL.stream()
      .collect(Collectors.toUnmodifiableMap(k -> k.info().apiVersion() + "/" + k.info().kind(), Function.identity()));

  /** The kind with this apiVersion and kind, if volumekit models it. */
  public static Optional<Fabric8Kind> of(String apiVersion, String kind) {
    return Optional.ofNullable(BY_API_VERSION_AND_KIND.get(apiVersion + "/" + kind));
  }

  /** The kind of a volumekit record class. */
  public static Fabric8Kind of(Class<? extends ApiObject> type) {
    KindInfo info = Kinds.of(type);
    return of(info.apiVersion(), info.kind()).orElseThrow();
  }

  /** Whether fabric8 holds this kind as a {@link GenericKubernetesResource} (no typed model). */
  public boolean generic() {
    return fabric8Type == GenericKubernetesResource.class;
  }

  /**
   * How fabric8's client addresses this kind's resources ({@code group}, {@code version}, {@code
   * plural}, scope), for {@code client.genericKubernetesResources(context)}.
   */
  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(info.group())
        .withVersion(info.version())
        .withKind(info.kind())
        .withPlural(info.plural())
        .withNamespaced(info.namespaced())
        .build();
  }
}
