package io.volumekit.core.api;

/** Finalizers of the storage objects (docs/cases/reclaim.md, "Deletion finalizers", and docs/cases/protection.md). */
public final class Finalizers {

  private Finalizers() {}

  /** Keeps a claim while a pod uses it. */
  public static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";

  /** Keeps a PV while it is Bound. */
  public static final String PV_PROTECTION = "kubernetes.io/pv-protection";

  /** Keeps an in-tree provisioned Delete PV until its backing volume is deleted. */
  public static final String PV_CONTROLLER = "kubernetes.io/pv-controller";

  /**
   * Keeps a Secret while a PV, a StorageClass, a claim waiting for provisioning or a running pod
   * uses it (volumekit's own: Kubernetes has no secret protection, docs/kubernetes-differences.md).
   */
  public static final String SECRET_PROTECTION = "volumekit.io/secret-protection";

  /** Keeps a CSI provisioned Delete PV until DeleteVolume succeeded. */
  public static final String EXTERNAL_PROVISIONER = "external-provisioner.volume.kubernetes.io/finalizer";
}
