package io.volumekit.core.csi;

/**
 * The status code of a failed CSI call: the gRPC status codes, with what each means for CSI.
 *
 * <p>Two questions drive a container orchestrator's reaction (the CSI spec's "Error Scheme"):
 *
 * <ul>
 *   <li>{@link #mayBeInProgress()}: may the driver still be working on the operation? Kubernetes
 *       calls such errors non-final ({@code isFinalError} in the kubelet's {@code csi_client.go}
 *       and the external-attacher): the CO must keep the object in an "uncertain" state and
 *       either repeat the same call or issue its negation (e.g. NodeUnpublish after an uncertain
 *       NodePublish) before forgetting it.
 *   <li>{@link #retryable()}: can repeating the <em>same</em> request, after a backoff, succeed
 *       without anyone changing the request? False for codes where the spec says the caller must
 *       fix the request or the driver first (INVALID_ARGUMENT, ALREADY_EXISTS, OUT_OF_RANGE,
 *       UNIMPLEMENTED, PERMISSION_DENIED, UNAUTHENTICATED).
 * </ul>
 *
 * <p>Classify by the symbolic code received, never by the number printed in the spec's tables (the
 * spec's CreateSnapshot table says "13 RESOURCE_EXHAUSTED"; RESOURCE_EXHAUSTED is 8).
 */
public enum CsiCode {
  /** Not an error; never carried by a {@link CsiException}. */
  OK(0),
  /**
   * The call was cancelled, normally by the caller. The driver may have started the operation and
   * may still be running it: non-final, repeat the call.
   */
  CANCELLED(1),
  /**
   * An error the driver did not classify, or an error not coming from the driver at all (a local
   * failure in the client). Final for Kubernetes; retried with backoff.
   */
  UNKNOWN(2),
  /**
   * A required field is missing or a field is invalid or unsupported (CSI spec, "Error Scheme"). The
   * caller must fix the request before retrying; blind retries are pointless.
   */
  INVALID_ARGUMENT(3),
  /**
   * The deadline of the call passed before the driver answered. The operation may still be in
   * progress in the driver: non-final, repeat the same call (idempotency resumes the work).
   */
  DEADLINE_EXCEEDED(4),
  /**
   * The volume, snapshot, node or content source named in the request does not exist. Final;
   * the spec says "verify, then retry with exponential backoff".
   */
  NOT_FOUND(5),
  /**
   * An object with the same name or at the same path exists but is incompatible with the request
   * (CreateVolume with another size, NodePublish at the same target with another capability,
   * CreateSnapshot with the same name from another source). Fix the arguments or pick a new name.
   */
  ALREADY_EXISTS(6),
  /** The caller's identity lacks permission. An administrator must fix it; then MAY retry. */
  PERMISSION_DENIED(7),
  /**
   * Out of a resource: no capacity in the accessible topology, the node's attach limit reached,
   * no space for a snapshot. Non-final in the kubelet and external-attacher (the operation may
   * still succeed later); the external-provisioner treats it as final, or reschedules the claim
   * when the driver has topology and a node was selected. Retry with backoff.
   */
  RESOURCE_EXHAUSTED(8),
  /**
   * The system is not in a state the operation requires: the volume is published on another node
   * with a single-node access mode, is in use or has dependent snapshots, NodePublish without the
   * required NodeStage, or (from Probe) the plugin is unhealthy. Final; fix the precondition (for
   * example unpublish elsewhere), then retry with backoff.
   */
  FAILED_PRECONDITION(9),
  /**
   * Another operation is pending for the volume, or (from ListVolumes/ListSnapshots) the
   * starting_token is invalid. Non-final: retry with exponential backoff; restart a listing from
   * the empty token.
   */
  ABORTED(10),
  /** The requested capacity range is not supported. Fix the range; do not retry unchanged. */
  OUT_OF_RANGE(11),
  /**
   * The RPC is not implemented or disabled by the driver's capabilities. MUST NOT be retried;
   * re-read the driver's capabilities.
   */
  UNIMPLEMENTED(12),
  /** An internal driver error. Final for Kubernetes; retried with backoff. */
  INTERNAL(13),
  /**
   * The driver could not be reached (socket missing, driver restarting) or is temporarily
   * overloaded. Non-final: the operation may have reached the driver; repeat the same call.
   */
  UNAVAILABLE(14),
  /** Unrecoverable data loss or corruption. Final; retried with backoff. */
  DATA_LOSS(15),
  /** The secrets in the request do not authenticate. Fix the secrets; then MAY retry. */
  UNAUTHENTICATED(16);

  private final int value;

  CsiCode(int value) {
    this.value = value;
  }

  /** The numeric gRPC status code. */
  public int value() {
    return value;
  }

  /** The code for a numeric gRPC status code; unknown numbers map to {@link #UNKNOWN}. */
  public static CsiCode fromValue(int value) {
    for (CsiCode c : values()) {
      if (c.value == value) {
        return c;
      }
    }
    return UNKNOWN;
  }

  /**
   * Whether the driver may still be performing the operation after this error (Kubernetes'
   * non-final errors): CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE, ABORTED and RESOURCE_EXHAUSTED.
   * The CO must then record the outcome as uncertain and either repeat the call or call its
   * negation.
   */
  public boolean mayBeInProgress() {
    return switch (this) {
      case CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE, ABORTED, RESOURCE_EXHAUSTED -> true;
      default -> false;
    };
  }

  /** The opposite of {@link #mayBeInProgress()}: the operation has certainly stopped. */
  public boolean isFinal() {
    return !mayBeInProgress();
  }

  /**
   * Whether repeating the same request, after an exponential backoff, may succeed without the
   * request or the driver being fixed first. False for INVALID_ARGUMENT, ALREADY_EXISTS,
   * OUT_OF_RANGE, UNIMPLEMENTED, PERMISSION_DENIED, UNAUTHENTICATED (and OK).
   */
  public boolean retryable() {
    return switch (this) {
      case OK, INVALID_ARGUMENT, ALREADY_EXISTS, OUT_OF_RANGE, UNIMPLEMENTED, PERMISSION_DENIED,
          UNAUTHENTICATED -> false;
      default -> true;
    };
  }
}
