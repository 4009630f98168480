package io.volumekit.core.token;

import java.util.Objects;

/**
 * What to issue a service-account token for: Kubernetes' {@code TokenRequest} bound to a pod, as
 * the kubelet makes one for each CSIDriver {@code tokenRequests[]} entry and for each projected
 * {@code serviceAccountToken} source. Holds no secret; the token itself is issued by a {@link
 * TokenIssuer} when the effect that carries this request is performed.
 *
 * @param namespace the pod's namespace
 * @param serviceAccountName the pod's service account ({@code default} when the pod names none)
 * @param audience the intended audience; empty means the issuer's default audiences, as an empty
 *     TokenRequest audience list means the API server's
 * @param expirationSeconds the requested validity, at least 600 (Kubernetes' minimum)
 * @param podName the pod the token is bound to
 * @param podUid that pod's uid
 */
public record ServiceAccountTokenRequest(
    String namespace, String serviceAccountName, String audience, long expirationSeconds, String podName,
    String podUid) {

  /** The TokenRequest API's default validity when a request names none: one hour. */
  public static final long DEFAULT_EXPIRATION_SECONDS = 3600;

  /** The shortest validity the TokenRequest API accepts: ten minutes. */
  public static final long MIN_EXPIRATION_SECONDS = 600;

  public ServiceAccountTokenRequest {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(serviceAccountName, "serviceAccountName");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(podName, "podName");
    Objects.requireNonNull(podUid, "podUid");
    if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
      throw new IllegalArgumentException("expirationSeconds: may not specify a duration less than 10 minutes: "
          + expirationSeconds);
    }
  }
}
