package io.volumekit.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default token issuer's JWTs: Kubernetes' claims, a verifiable RS256 signature, no leaks. */
public class JwtTokenIssuerTest {

  static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  static ServiceAccountTokenRequest request(String audience, long seconds) {
    return new ServiceAccountTokenRequest("shop", "builder", audience, seconds, "web-0", "uid-1");
  }

  /** The decoded header and claims, after checking the signature with the key. */
  public static JsonNode[] verify(String jwt, PublicKey key) throws Exception {
    String[] parts = jwt.split("\\.");
    assertThat(parts).hasSize(3);
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(key);
    rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).as("signature verifies").isTrue();
    return new JsonNode[] {
        JSON.readTree(Base64.getUrlDecoder().decode(parts[0])), JSON.readTree(Base64.getUrlDecoder().decode(parts[1]))};
  }

  @Test
  void tokenCarriesKubernetesClaimsAndVerifies() throws Exception {
    JwtTokenIssuer issuer = JwtTokenIssuer.withGeneratedKey();
    ServiceAccountToken t = issuer.issue(request("vault", 600), NOW);
    JsonNode[] jwt = verify(t.token(), issuer.publicKey());
    assertThat(jwt[0].get("alg").asText()).isEqualTo("RS256");
    assertThat(jwt[0].get("kid").asText()).isEqualTo(issuer.keyId()).doesNotContain("=");
    JsonNode c = jwt[1];
    assertThat(c.get("iss").asText()).isEqualTo(JwtTokenIssuer.DEFAULT_ISSUER);
    assertThat(c.get("sub").asText()).isEqualTo("system:serviceaccount:shop:builder");
    assertThat(c.get("aud")).hasSize(1);
    assertThat(c.get("aud").get(0).asText()).isEqualTo("vault");
    assertThat(c.get("iat").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(c.get("nbf").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(c.get("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 600);
    assertThat(c.at("/kubernetes.io/namespace").asText()).isEqualTo("shop");
    assertThat(c.at("/kubernetes.io/pod/name").asText()).isEqualTo("web-0");
    assertThat(c.at("/kubernetes.io/pod/uid").asText()).isEqualTo("uid-1");
    assertThat(c.at("/kubernetes.io/serviceaccount/name").asText()).isEqualTo("builder");
    assertThat(t.expirationTimestamp()).isEqualTo(NOW.plusSeconds(600));
  }

  @Test
  void emptyAudienceMeansTheIssuersDefaultAudiences() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair keys = g.generateKeyPair();
    JwtTokenIssuer issuer = JwtTokenIssuer.of("https://issuer.example", List.of("api", "other"), keys);
    JsonNode c = verify(issuer.issue(request("", 3600), NOW).token(), keys.getPublic())[1];
    assertThat(c.get("aud").toString()).isEqualTo("[\"api\",\"other\"]");
    assertThat(c.get("iss").asText()).isEqualTo("https://issuer.example");
  }

  @Test
  void refusesWeakOrForeignKeysAndShortValidity() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    assertThatThrownBy(() -> JwtTokenIssuer.of("i", List.of("a"), g.generateKeyPair()))
        .hasMessage("keyPair: RSA keys must have at least 2048 bits");
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    assertThatThrownBy(() -> JwtTokenIssuer.of("i", List.of("a"), ec.generateKeyPair()))
        .hasMessage("keyPair: must be an RSA key pair");
    assertThatThrownBy(() -> request("a", 599))
        .hasMessageContaining("may not specify a duration less than 10 minutes");
  }

  @Test
  void tokensNeverShowInToString() {
    ServiceAccountToken t = JwtTokenIssuer.withGeneratedKey().issue(request("vault", 600), NOW);
    assertThat(t.toString()).doesNotContain(t.token()).contains("<redacted>");
    String json = ServiceAccountTokens.volumeContextValue(java.util.Map.of("vault", t));
    assertThat(json).isEqualTo("{\"vault\":{\"token\":\"" + t.token() + "\",\"expirationTimestamp\":\"2026-12-06T10:10:00Z\"}}");
  }
}
