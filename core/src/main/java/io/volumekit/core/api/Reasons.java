package io.volumekit.core.api;

/** Kubernetes Event reasons of the storage controllers (each listed with its case in docs/cases/). */
public final class Reasons {

  private Reasons() {}

  public static final String FAILED_BINDING = "FailedBinding";
  /** An abnormal volume condition: on the pod (kubelet) and on the claim (external-health-monitor). */
  public static final String VOLUME_CONDITION_ABNORMAL = "VolumeConditionAbnormal";
  public static final String VOLUME_MISMATCH = "VolumeMismatch";
  public static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";
  public static final String WAIT_FOR_POD_SCHEDULED = "WaitForPodScheduled";
  public static final String EXTERNAL_PROVISIONING = "ExternalProvisioning";
  public static final String PROVISIONING = "Provisioning";
  public static final String PROVISIONING_SUCCEEDED = "ProvisioningSucceeded";
  public static final String PROVISIONING_FAILED = "ProvisioningFailed";
  public static final String PROVISIONING_CLEANUP_FAILED = "ProvisioningCleanupFailed";
  public static final String CLAIM_LOST = "ClaimLost";
  public static final String CLAIM_MISBOUND = "ClaimMisbound";
  public static final String VOLUME_FAILED_DELETE = "VolumeFailedDelete";
  public static final String VOLUME_DELETE = "VolumeDelete";
  public static final String VOLUME_FAILED_RECYCLE = "VolumeFailedRecycle";
  public static final String VOLUME_UNKNOWN_RECLAIM_POLICY = "VolumeUnknownReclaimPolicy";

  /** On a Secret being deleted: its deletion is held because the listed objects use it. */
  public static final String SECRET_IN_USE = "SecretInUse";

  /** Event source of the PV controller. */
  public static final String PV_CONTROLLER = "persistentvolume-controller";
}
