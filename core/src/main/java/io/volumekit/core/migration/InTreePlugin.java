package io.volumekit.core.migration;

import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.StorageClass;

/**
 * Translation between one in-tree volume plugin and the CSI driver that supersedes it.
 *
 * <p>Mirrors csi-translation-lib's {@code InTreePlugin}. Every method is pure: it returns a new
 * object and leaves its argument as it was. Failures throw {@link TranslationException}.
 */
public interface InTreePlugin {

  /** The in-tree plugin's name, also its provisioner name: e.g. {@code kubernetes.io/aws-ebs}. */
  String inTreePluginName();

  /** The CSI driver's name: e.g. {@code ebs.csi.aws.com}. */
  String csiDriverName();

  /** The JSON name of the in-tree source field in a PV spec and a pod volume: e.g. {@code awsElasticBlockStore}. */
  String sourceField();

  /** Whether the PV has this plugin's in-tree source ({@code CanSupport}). */
  boolean canSupport(PersistentVolume pv);

  /** Whether the pod volume has this plugin's in-tree source ({@code CanSupportInline}). */
  boolean canSupportInline(Volume volume);

  /**
   * The PV with its in-tree source replaced by the CSI source, and its zone topology rewritten to
   * the driver's key ({@code TranslateInTreePVToCSI}).
   */
  PersistentVolume translateInTreePVToCSI(PersistentVolume pv);

  /**
   * The PV with its CSI source (of this driver) replaced by the in-tree source, and its topology
   * rewritten back to the Kubernetes zone labels ({@code TranslateCSIPVToInTree}, for rollback and
   * for the external-provisioner, which stores a migrated volume in its in-tree form).
   */
  PersistentVolume translateCSIPVToInTree(PersistentVolume pv);

  /**
   * The class as the CSI driver reads it: parameters renamed ({@code fstype} to {@code
   * csi.storage.k8s.io/fstype}, ...), {@code zone}/{@code zones} turned into allowed topologies
   * with the driver's key ({@code TranslateInTreeStorageClassToCSI}). The provisioner name is kept,
   * as Kubernetes keeps it, except where the plugin itself rewrites it (Portworx).
   */
  StorageClass translateInTreeStorageClassToCSI(StorageClass sc);

  /**
   * A PV standing for an inline in-tree pod volume, with the CSI source ({@code
   * TranslateInTreeInlineVolumeToCSI}); its name is unique per disk ({@code <driver>-<id>}), as the
   * kubelet uses it in the staging path. {@code podNamespace} is only read by Azure File.
   */
  PersistentVolume translateInTreeInlineVolumeToCSI(Volume volume, String podNamespace);

  /**
   * A volume handle completed from the node's CSI node id, where the translation left parts
   * unknown (GCE PD's {@code UNSPECIFIED} project and zone); other plugins return it unchanged.
   */
  default String repairVolumeHandle(String volumeHandle, String nodeId) {
    return volumeHandle;
  }
}
