/**
 * Service-account tokens for volumes, as the kubelet gets them from the TokenRequest API: the
 * {@link io.volumekit.core.token.TokenIssuer} SPI, its default {@link
 * io.volumekit.core.token.JwtTokenIssuer} (signed JWTs with Kubernetes' claims) and the requests
 * controllers put into effects ({@link io.volumekit.core.token.ServiceAccountTokenRequest}).
 *
 * <p>Controllers never hold a token: an effect carries the request, and the runtime asks the
 * issuer just before it performs the effect, so tokens stay out of the state, the operation
 * records, logs and events.
 */
package io.volumekit.core.token;
