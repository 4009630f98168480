package io.volumekit.core.api;

/**
 * Annotation keys the storage controllers read and write (see docs/cases/binding.md, provisioning.md and reclaim.md).
 */
public final class Annotations {

  private Annotations() {}

  /** On a claim: binding finished; switches the claim sync to bound-claim logic. */
  public static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";

  /** On a PV or claim: the binding was made by a controller, not pre-bound by the user. */
  public static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";

  /** On a PV: the provisioner (driver) that created it. */
  public static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

  /** On a PV or claim: CSI driver an in-tree plugin migrated to. */
  public static final String MIGRATED_TO = "pv.kubernetes.io/migrated-to";

  /** On a CSINode: the in-tree plugins the node's kubelet migrates to CSI (sorted, comma-separated). */
  public static final String MIGRATED_PLUGINS = "storage.alpha.kubernetes.io/migrated-plugins";

  /** On a claim: the provisioner expected to provision it. */
  public static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";

  /** On a claim: legacy twin of {@link #STORAGE_PROVISIONER}; both are written. */
  public static final String BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";

  /** On a claim: the node chosen for WaitForFirstConsumer provisioning. */
  public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";

  /** On a PV or claim: legacy class name, overriding {@code spec.storageClassName}. */
  public static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";

  /** On a PV: name of the secret for DeleteVolume (empty string when none). */
  public static final String DELETION_SECRET_NAME = "volume.kubernetes.io/provisioner-deletion-secret-name";

  /** On a PV: namespace of the secret for DeleteVolume (empty string when none). */
  public static final String DELETION_SECRET_NAMESPACE =
      "volume.kubernetes.io/provisioner-deletion-secret-namespace";

  /** Value written for yes/no annotations. */
  public static final String YES = "yes";

  /**
   * On a Node: the PVs the node's kubelet has (or is about to have) mounted, comma-separated and
   * sorted; volumekit's stand-in for {@code Node.status.volumesInUse}. The attach/detach controller
   * does not detach a listed volume (unless the node is out of service).
   */
  public static final String VOLUMES_IN_USE = "volumekit.io/volumes-in-use";

  /** On a VolumeAttachment: the CSI node id the external-attacher used. */
  public static final String VA_NODE_ID = "csi.alpha.kubernetes.io/node-id";

  /** On a Node: JSON object of CSI driver name to node id (written at plugin registration). */
  public static final String CSI_NODE_ID = "csi.volume.kubernetes.io/nodeid";

  /** Key in a provisioned PV's {@code csi.volumeAttributes} naming the provisioner instance. */
  public static final String CSI_PROVISIONER_IDENTITY = "storage.kubernetes.io/csiProvisionerIdentity";
}
