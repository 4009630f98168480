package io.volumekit.core.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The default {@link TokenIssuer}: RS256-signed JWTs with the claims Kubernetes' service-account
 * token generator writes for a pod-bound TokenRequest ({@code iss}, {@code sub}
 * {@code system:serviceaccount:<ns>:<name>}, {@code aud}, {@code iat}, {@code nbf}, {@code exp} and
 * the private claim {@code kubernetes.io} with the namespace, pod and service account), and a
 * {@code kid} header computed from the public key as Kubernetes computes it (the unpadded
 * base64url SHA-256 of its DER encoding), so a verifier configured with {@link #publicKey()} can
 * check them.
 *
 * <p>Differences from Kubernetes: no {@code jti} and no service-account {@code uid} (the engine
 * has no ServiceAccount objects). Without a configured key pair a 2048-bit RSA pair is generated
 * on first use, so tokens do not survive a restart.
 */
public final class JwtTokenIssuer implements TokenIssuer {

  /** The issuer a cluster made by kubeadm uses, and the default audience. */
  public static final String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final String issuer;
  private final ImmutableList<String> defaultAudiences;
  private final Supplier<KeyPair> keys;

  private JwtTokenIssuer(String issuer, List<String> defaultAudiences, Supplier<KeyPair> keys) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.defaultAudiences = ImmutableList.copyOf(defaultAudiences);
    this.keys = keys;
  }

  /** An issuer with the default issuer name and audience and a key pair generated on first use. */
  public static JwtTokenIssuer withGeneratedKey() {
    return new JwtTokenIssuer(DEFAULT_ISSUER, List.of(DEFAULT_ISSUER), memoize(JwtTokenIssuer::generate));
  }

  /**
   * An issuer with the given key pair (RSA, at least 2048 bits).
   *
   * @param issuer the {@code iss} claim (Kubernetes' {@code --service-account-issuer})
   * @param defaultAudiences the audiences of a request that names none (Kubernetes'
   *     {@code --api-audiences})
   */
  public static JwtTokenIssuer of(String issuer, List<String> defaultAudiences, KeyPair keyPair) {
    Objects.requireNonNull(keyPair, "keyPair");
    if (!(keyPair.getPrivate() instanceof RSAPrivateKey priv) || !(keyPair.getPublic() instanceof RSAPublicKey)) {
      throw new IllegalArgumentException("keyPair: must be an RSA key pair");
    }
    if (priv.getModulus().bitLength() < 2048) {
      throw new IllegalArgumentException("keyPair: RSA keys must have at least 2048 bits");
    }
    if (defaultAudiences.isEmpty()) {
      throw new IllegalArgumentException("defaultAudiences: must name at least one audience");
    }
    return new JwtTokenIssuer(issuer, defaultAudiences, () -> keyPair);
  }

  /** The public key tokens are signed for. */
  public PublicKey publicKey() {
    return keys.get().getPublic();
  }

  /** The {@code kid} header of this issuer's tokens. */
  public String keyId() {
    return keyId(keys.get().getPublic());
  }

  /** The {@code iss} claim. */
  public String issuer() {
    return issuer;
  }

  @Override
  public ServiceAccountToken issue(ServiceAccountTokenRequest request, Instant now) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(now, "now");
    KeyPair pair = keys.get();
    Instant expires = now.plusSeconds(request.expirationSeconds());
    ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("kid", keyId(pair.getPublic()));
    ObjectNode claims = JSON.createObjectNode();
    ArrayNode aud = claims.putArray("aud");
    (request.audience().isEmpty() ? defaultAudiences : List.of(request.audience())).forEach(aud::add);
    claims.put("exp", expires.getEpochSecond());
    claims.put("iat", now.getEpochSecond());
    claims.put("iss", issuer);
    ObjectNode k8s = claims.putObject("kubernetes.io");
    k8s.put("namespace", request.namespace());
    k8s.putObject("pod").put("name", request.podName()).put("uid", request.podUid());
    k8s.putObject("serviceaccount").put("name", request.serviceAccountName());
    claims.put("nbf", now.getEpochSecond());
    claims.put("sub", "system:serviceaccount:" + request.namespace() + ":" + request.serviceAccountName());
    try {
      String signingInput = B64.encodeToString(JSON.writeValueAsBytes(header)) + "."
          + B64.encodeToString(JSON.writeValueAsBytes(claims));
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(pair.getPrivate());
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return new ServiceAccountToken(signingInput + "." + B64.encodeToString(rs256.sign()), expires);
    } catch (GeneralSecurityException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new TokenIssuerException("could not sign a token for service account " + request.namespace() + "/"
          + request.serviceAccountName() + ": " + e.getMessage(), e);
    }
  }

  static String keyId(PublicKey key) {
    try {
      return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation is not available", e);
    }
  }

  private static Supplier<KeyPair> memoize(Supplier<KeyPair> s) {
    return new Supplier<>() {
      private KeyPair value;

      @Override
      public synchronized KeyPair get() {
        if (value == null) {
          value = s.get();
        }
        return value;
      }
    };
  }

  @Override
  public String toString() {
    return "JwtTokenIssuer[issuer=" + issuer + ", defaultAudiences=" + defaultAudiences + "]";
  }
}
