package io.volumekit.fabric8;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.volumekit.model.meta.ApiObject;

/**
 * Conversions between fabric8's Kubernetes model and volumekit's, for every kind volumekit models,
 * both ways: {@code Fabric8.toVolumekit(fabric8Claim)} and {@code Fabric8.toFabric8(claim)}.
 *
 * <p>Each conversion goes through the API's JSON form, the one both models are written against:
 * fabric8's {@code Serialization} writes the object and volumekit's {@link
 * io.volumekit.model.codec.ObjectCodec} reads it (and the other way round). The JSON trees before
 * and after are then compared, and every field the target model could not hold is named in the
 * {@link Conversion} (see {@link Conversion#orThrow()} for the strict mode). A value that is not
 * valid for volumekit's model (a malformed quantity) is a {@link
 * io.volumekit.model.codec.DecodeException} naming its field; no validation is done (that is the
 * store's job, {@code Store.write}).
 *
 * <p>The snapshot kinds are custom resources, held on fabric8's side as {@link
 * GenericKubernetesResource}: {@link #toVolumekit(HasMetadata)} reads them (and any other modelled
 * kind) by apiVersion and kind.
 */
public final class Fabric8 {
  private Fabric8() {}

  private static final Fabric8Converter CONVERTER = Fabric8Converter.standard();

  /**
   * Any fabric8 object of a modelled kind (typed, or a {@link GenericKubernetesResource}) as
   * volumekit's record, chosen by its apiVersion and kind.
   *
   * @throws io.volumekit.model.codec.UnknownKindException if volumekit does not model the kind
   */
  public static Conversion<ApiObject> toVolumekit(HasMetadata object) {
    return CONVERTER.toVolumekit(object);
  }

  /**
   * Any volumekit object as fabric8's typed model of its kind (a {@link GenericKubernetesResource}
   * for the snapshot kinds).
   */
  public static Conversion<HasMetadata> toFabric8(ApiObject object) {
    return CONVERTER.toFabric8(object);
  }

  /** Any volumekit object as a fabric8 {@link GenericKubernetesResource}, whatever its kind. */
  public static Conversion<GenericKubernetesResource> toGeneric(ApiObject object) {
    return CONVERTER.toFabric8(object, GenericKubernetesResource.class);
  }

  /** a fabric8 PersistentVolume as volumekit's record. */
  public static Conversion<io.volumekit.model.core.PersistentVolume> toVolumekit(io.fabric8.kubernetes.api.model.PersistentVolume object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.core.PersistentVolume.class);
  }

  /** volumekit's PersistentVolume as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.PersistentVolume> toFabric8(io.volumekit.model.core.PersistentVolume object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.PersistentVolume.class);
  }

  /** a fabric8 PersistentVolumeClaim as volumekit's record. */
  public static Conversion<io.volumekit.model.core.PersistentVolumeClaim> toVolumekit(io.fabric8.kubernetes.api.model.PersistentVolumeClaim object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.core.PersistentVolumeClaim.class);
  }

  /** volumekit's PersistentVolumeClaim as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.PersistentVolumeClaim> toFabric8(io.volumekit.model.core.PersistentVolumeClaim object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class);
  }

  /** a fabric8 Pod as volumekit's record. */
  public static Conversion<io.volumekit.model.core.Pod> toVolumekit(io.fabric8.kubernetes.api.model.Pod object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.core.Pod.class);
  }

  /** volumekit's Pod as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.Pod> toFabric8(io.volumekit.model.core.Pod object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.Pod.class);
  }

  /** a fabric8 Node as volumekit's record. */
  public static Conversion<io.volumekit.model.core.Node> toVolumekit(io.fabric8.kubernetes.api.model.Node object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.core.Node.class);
  }

  /** volumekit's Node as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.Node> toFabric8(io.volumekit.model.core.Node object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.Node.class);
  }

  /** a fabric8 Namespace as volumekit's record. */
  public static Conversion<io.volumekit.model.core.Namespace> toVolumekit(io.fabric8.kubernetes.api.model.Namespace object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.core.Namespace.class);
  }

  /** volumekit's Namespace as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.Namespace> toFabric8(io.volumekit.model.core.Namespace object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.Namespace.class);
  }

  /** a fabric8 Secret as volumekit's record. */
  public static Conversion<io.volumekit.model.core.Secret> toVolumekit(io.fabric8.kubernetes.api.model.Secret object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.core.Secret.class);
  }

  /** volumekit's Secret as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.Secret> toFabric8(io.volumekit.model.core.Secret object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.Secret.class);
  }

  /** a fabric8 ConfigMap as volumekit's record. */
  public static Conversion<io.volumekit.model.core.ConfigMap> toVolumekit(io.fabric8.kubernetes.api.model.ConfigMap object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.core.ConfigMap.class);
  }

  /** volumekit's ConfigMap as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.ConfigMap> toFabric8(io.volumekit.model.core.ConfigMap object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.ConfigMap.class);
  }

  /** an fabric8 Event as volumekit's record. */
  public static Conversion<io.volumekit.model.core.Event> toVolumekit(io.fabric8.kubernetes.api.model.Event object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.core.Event.class);
  }

  /** volumekit's Event as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.Event> toFabric8(io.volumekit.model.core.Event object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.Event.class);
  }

  /** a fabric8 StorageClass as volumekit's record. */
  public static Conversion<io.volumekit.model.storage.StorageClass> toVolumekit(io.fabric8.kubernetes.api.model.storage.StorageClass object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.storage.StorageClass.class);
  }

  /** volumekit's StorageClass as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.storage.StorageClass> toFabric8(io.volumekit.model.storage.StorageClass object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.storage.StorageClass.class);
  }

  /** a fabric8 VolumeAttributesClass as volumekit's record. */
  public static Conversion<io.volumekit.model.storage.VolumeAttributesClass> toVolumekit(io.fabric8.kubernetes.api.model.storage.VolumeAttributesClass object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.storage.VolumeAttributesClass.class);
  }

  /** volumekit's VolumeAttributesClass as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.storage.VolumeAttributesClass> toFabric8(io.volumekit.model.storage.VolumeAttributesClass object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.storage.VolumeAttributesClass.class);
  }

  /** a fabric8 CSIDriver as volumekit's record. */
  public static Conversion<io.volumekit.model.storage.CSIDriver> toVolumekit(io.fabric8.kubernetes.api.model.storage.CSIDriver object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.storage.CSIDriver.class);
  }

  /** volumekit's CSIDriver as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.storage.CSIDriver> toFabric8(io.volumekit.model.storage.CSIDriver object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.storage.CSIDriver.class);
  }

  /** a fabric8 CSINode as volumekit's record. */
  public static Conversion<io.volumekit.model.storage.CSINode> toVolumekit(io.fabric8.kubernetes.api.model.storage.CSINode object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.storage.CSINode.class);
  }

  /** volumekit's CSINode as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.storage.CSINode> toFabric8(io.volumekit.model.storage.CSINode object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.storage.CSINode.class);
  }

  /** a fabric8 VolumeAttachment as volumekit's record. */
  public static Conversion<io.volumekit.model.storage.VolumeAttachment> toVolumekit(io.fabric8.kubernetes.api.model.storage.VolumeAttachment object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.storage.VolumeAttachment.class);
  }

  /** volumekit's VolumeAttachment as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.storage.VolumeAttachment> toFabric8(io.volumekit.model.storage.VolumeAttachment object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.storage.VolumeAttachment.class);
  }

  /** a fabric8 CSIStorageCapacity as volumekit's record. */
  public static Conversion<io.volumekit.model.storage.CSIStorageCapacity> toVolumekit(io.fabric8.kubernetes.api.model.storage.CSIStorageCapacity object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.storage.CSIStorageCapacity.class);
  }

  /** volumekit's CSIStorageCapacity as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.storage.CSIStorageCapacity> toFabric8(io.volumekit.model.storage.CSIStorageCapacity object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.storage.CSIStorageCapacity.class);
  }

  /** a fabric8 StatefulSet as volumekit's record. */
  public static Conversion<io.volumekit.model.apps.StatefulSet> toVolumekit(io.fabric8.kubernetes.api.model.apps.StatefulSet object) {
    return CONVERTER.toVolumekit(object, io.volumekit.model.apps.StatefulSet.class);
  }

  /** volumekit's StatefulSet as fabric8's. */
  public static Conversion<io.fabric8.kubernetes.api.model.apps.StatefulSet> toFabric8(io.volumekit.model.apps.StatefulSet object) {
    return CONVERTER.toFabric8(object, io.fabric8.kubernetes.api.model.apps.StatefulSet.class);
  }

  /** volumekit's VolumeSnapshot as a fabric8 generic resource (fabric8 has no typed model of it here). */
  public static Conversion<GenericKubernetesResource> toFabric8(io.volumekit.model.snapshot.VolumeSnapshot object) {
    return CONVERTER.toFabric8(object, GenericKubernetesResource.class);
  }

  /** volumekit's VolumeSnapshotContent as a fabric8 generic resource (fabric8 has no typed model of it here). */
  public static Conversion<GenericKubernetesResource> toFabric8(io.volumekit.model.snapshot.VolumeSnapshotContent object) {
    return CONVERTER.toFabric8(object, GenericKubernetesResource.class);
  }

  /** volumekit's VolumeSnapshotClass as a fabric8 generic resource (fabric8 has no typed model of it here). */
  public static Conversion<GenericKubernetesResource> toFabric8(io.volumekit.model.snapshot.VolumeSnapshotClass object) {
    return CONVERTER.toFabric8(object, GenericKubernetesResource.class);
  }

  /** volumekit's VolumePopulator as a fabric8 generic resource (fabric8 has no typed model of it). */
  public static Conversion<GenericKubernetesResource> toFabric8(io.volumekit.model.populator.VolumePopulator object) {
    return CONVERTER.toFabric8(object, GenericKubernetesResource.class);
  }

  /** volumekit's ReferenceGrant as a fabric8 generic resource (fabric8's kubernetes model has no typed one). */
  public static Conversion<GenericKubernetesResource> toFabric8(io.volumekit.model.gateway.ReferenceGrant object) {
    return CONVERTER.toFabric8(object, GenericKubernetesResource.class);
  }
}
