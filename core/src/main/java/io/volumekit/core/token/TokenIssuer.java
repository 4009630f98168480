package io.volumekit.core.token;

import java.time.Instant;

/**
 * Issues service-account tokens: the engine's stand-in for the API server's TokenRequest
 * endpoint ({@code POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token}), which the kubelet
 * calls for CSI drivers' {@code tokenRequests} and projected {@code serviceAccountToken} volumes.
 *
 * <p>An embedder that has a real issuer (its identity provider, or a Kubernetes API server) plugs
 * it in through {@code VolumeKit.builder().tokenIssuer(...)}; the default is {@link
 * JwtTokenIssuer}. Implementations are called by the runtime only, never by controllers, and
 * must not log the tokens they return.
 */
@FunctionalInterface
public interface TokenIssuer {

  /**
   * Issues a token for the request.
   *
   * @param request the service account, audience, validity and bound pod
   * @param now the engine's clock at the time of issue (the token's {@code iat})
   * @throws TokenIssuerException when no token can be issued; the volume operation that needed it
   *     fails and is retried with backoff
   */
  ServiceAccountToken issue(ServiceAccountTokenRequest request, Instant now);
}
