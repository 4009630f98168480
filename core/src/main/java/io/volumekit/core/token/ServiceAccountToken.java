package io.volumekit.core.token;

import java.time.Instant;
import java.util.Objects;

/**
 * An issued service-account token and when it expires: the {@code status} of Kubernetes'
 * TokenRequest. {@link #toString()} never shows the token.
 *
 * @param token the bearer token (a JWT for the default issuer)
 * @param expirationTimestamp when it stops being valid
 */
public record ServiceAccountToken(String token, Instant expirationTimestamp) {

  public ServiceAccountToken {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(expirationTimestamp, "expirationTimestamp");
  }

  @Override
  public String toString() {
    return "ServiceAccountToken[token=<redacted>, expirationTimestamp=" + expirationTimestamp + "]";
  }
}
