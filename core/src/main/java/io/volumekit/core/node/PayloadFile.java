package io.volumekit.core.node;

import io.volumekit.core.token.ServiceAccountToken;
import io.volumekit.core.token.ServiceAccountTokenRequest;
import io.volumekit.core.token.TokenIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One file of an atomically written volume (secret, configMap, downwardAPI, projected): its bytes
 * and its exact mode, as Kubernetes' {@code volumeutil.FileProjection}. A projected {@code
 * serviceAccountToken} file holds a {@link #token() token request} instead of bytes until the
 * runtime {@link #issue issues} the token just before the write, so the token never enters the
 * state.
 *
 * <p>{@link #toString()} never shows the content (it may be secret data).
 */
public record PayloadFile(byte[] data, int mode, Optional<ServiceAccountTokenRequest> token) {

  public PayloadFile {
    data = Objects.requireNonNull(data, "data").clone();
    token = token == null ? Optional.empty() : token;
    if (mode < 0 || mode > 0777) {
      throw new IllegalArgumentException("mode must be between 0 and 0777: " + Integer.toOctalString(mode));
    }
    if (token.isPresent() && data.length > 0) {
      throw new IllegalArgumentException("a token file has no data until its token is issued");
    }
  }

  /** A file with these bytes. */
  public PayloadFile(byte[] data, int mode) {
    this(data, mode, Optional.empty());
  }

  /** A file that will hold a service-account token issued for the request. */
  public static PayloadFile token(ServiceAccountTokenRequest request, int mode) {
    return new PayloadFile(new byte[0], mode, Optional.of(request));
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** This file with its token issued now (the token's bytes); itself when it is not a token file. */
  public PayloadFile issue(TokenIssuer issuer, Instant now) {
    if (token.isEmpty()) {
      return this;
    }
    ServiceAccountToken t = issuer.issue(token.get(), now);
    return new PayloadFile(t.token().getBytes(StandardCharsets.UTF_8), mode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PayloadFile f && f.mode == mode && Arrays.equals(f.data, data) && f.token.equals(token);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(data) + mode) + token.hashCode();
  }

  @Override
  public String toString() {
    return "PayloadFile[" + (token.isPresent() ? "service-account token" : data.length + " bytes")
        + ", mode=0" + Integer.toOctalString(mode) + "]";
  }
}
