package io.volumekit.core.token;

/**
 * A {@link TokenIssuer} could not issue a token (Kubernetes: the TokenRequest call failed, and
 * the kubelet's mount fails with {@code failed to fetch token}). The message must not contain a
 * token.
 */
public final class TokenIssuerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TokenIssuerException(String message) {
    super(message);
  }

  public TokenIssuerException(String message, Throwable cause) {
    super(message, cause);
  }
}
