package io.volumekit.core.mount;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.mount.NodeKit.claim;
import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.token.JwtTokenIssuer;
import io.volumekit.core.token.ServiceAccountTokenRequest;
import io.volumekit.core.token.TokenIssuer;
import io.volumekit.core.token.TokenIssuerException;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.ProjectedVolumeSourceBuilder;
import io.volumekit.model.core.ServiceAccountTokenProjectionBuilder;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.core.VolumeProjectionBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.CSIDriverBuilder;
import io.volumekit.model.storage.CSIDriverSpecBuilder;
import io.volumekit.model.storage.TokenRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Service-account tokens on the node side (docs/cases/node-side.md rows TK1-TK6): CSIDriver
 * {@code tokenRequests} into NodePublishVolume's volume context, {@code requiresRepublish}, and
 * projected {@code serviceAccountToken} files, all issued by the engine's {@link TokenIssuer}
 * and kept out of the state, the trace and events.
 */
class ServiceAccountTokenTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKENS = "csi.storage.k8s.io/serviceAccount.tokens";

  final JwtTokenIssuer issuer = JwtTokenIssuer.withGeneratedKey();

  NodeKit kit(TokenIssuer tokens) {
    return new NodeKit(1, UnaryOperator.identity(), new RecordingDriver.CallLog(1, 0), Set.of(), 7,
        b -> b.tokenIssuer(tokens));
  }

  static io.volumekit.model.storage.CSIDriver driver(boolean republish, TokenRequest... requests) {
    return CSIDriverBuilder.builder().metadata(ObjectMeta.named(NodeKit.DRIVER))
        .spec(CSIDriverSpecBuilder.builder().tokenRequests(ImmutableList.copyOf(requests))
            .requiresRepublish(Optional.of(republish)).build()).build();
  }

  static Pod withServiceAccount(Pod p, String sa) {
    return p.withSpec(p.spec().withServiceAccountName(Optional.of(sa)));
  }

  static void claimed(NodeKit k) {
    k.apply(io.volumekit.core.Fixtures.sc("fast"), io.volumekit.core.Fixtures.withClass(pvc("data", "1Gi"), "fast"));
    k.settle();
  }

  /** Every value the state, the trace and the events hold, as text. */
  static String everythingRecorded(NodeKit k) {
    return k.kit.state().operations() + "\n" + String.join("\n", k.trace) + "\n" + k.kit.events();
  }

  @Test
  void tokenRequestsReachNodePublishAsKubernetesJson() throws Exception {
    NodeKit k = kit(issuer);
    k.apply(driver(false, new TokenRequest("vault", Optional.of(600L)), new TokenRequest("", Optional.empty())));
    claimed(k);
    k.apply(withServiceAccount(pod("web", "node-1", claim("data")), "builder"));
    k.settle();
    k.assertRunning("web");

    NodePublishVolumeRequest publish = k.log.publishes.get(0);
    JsonNode tokens = JSON.readTree(publish.volumeContext().get(TOKENS));
    assertThat(ImmutableList.copyOf(tokens.fieldNames())).containsExactly("vault", "");
    JsonNode[] vault = io.volumekit.core.token.JwtTokenIssuerTest.verify(tokens.at("/vault/token").asText(), issuer.publicKey());
    assertThat(vault[1].get("sub").asText()).isEqualTo("system:serviceaccount:default:builder");
    assertThat(vault[1].at("/kubernetes.io/pod/uid").asText()).isEqualTo(k.pod("web").metadata().uid().orElseThrow());
    assertThat(vault[1].get("exp").asLong() - vault[1].get("iat").asLong()).isEqualTo(600);
    assertThat(tokens.at("/vault/expirationTimestamp").asText())
        .isEqualTo(java.time.Instant.ofEpochSecond(vault[1].get("exp").asLong()).toString());
    JsonNode[] byDefault = io.volumekit.core.token.JwtTokenIssuerTest.verify(tokens.at("//token").asText(), issuer.publicKey());
    assertThat(byDefault[1].get("exp").asLong() - byDefault[1].get("iat").asLong()).isEqualTo(3600);
    assertThat(k.log.stages.get(0).volumeContext()).as("NodeStage gets no tokens").doesNotContainKey(TOKENS);

    assertThat(publish.toString()).doesNotContain(tokens.at("/vault/token").asText());
    assertThat(everythingRecorded(k)).doesNotContain(tokens.at("/vault/token").asText())
        .doesNotContain(tokens.at("//token").asText());
  }

  @Test
  void withoutTokenRequestsTheContextHasNoTokens() {
    NodeKit k = kit(issuer);
    k.apply(driver(false));
    claimed(k);
    k.apply(pod("web", "node-1", claim("data")));
    k.settle();
    k.assertRunning("web");
    assertThat(k.log.publishes.get(0).volumeContext()).doesNotContainKey(TOKENS);
  }

  @Test
  void requiresRepublishCallsNodePublishAgainEachResyncWithFreshTokens() throws Exception {
    NodeKit k = kit(issuer);
    k.apply(driver(true, new TokenRequest("vault", Optional.of(600L))));
    claimed(k);
    k.apply(pod("web", "node-1", claim("data")));
    k.settle();
    k.kit.runFor(Duration.ofSeconds(150)); // the first publish, then republishes at +60s and +120s
    k.assertRunning("web");
    List<NodePublishVolumeRequest> publishes = k.log.publishes;
    assertThat(publishes).hasSize(3);
    assertThat(publishes).extracting(NodePublishVolumeRequest::targetPath).containsOnly(publishes.get(0).targetPath());
    List<Long> issuedAt = new ArrayList<>();
    for (NodePublishVolumeRequest p : publishes) {
      JsonNode tokens = JSON.readTree(p.volumeContext().get(TOKENS));
      issuedAt.add(io.volumekit.core.token.JwtTokenIssuerTest.verify(tokens.at("/vault/token").asText(), issuer.publicKey())[1]
          .get("iat").asLong());
    }
    assertThat(issuedAt.get(1) - issuedAt.get(0)).isEqualTo(60);
    assertThat(issuedAt.get(2) - issuedAt.get(1)).isEqualTo(60);
    assertThat(k.kit.settle(Duration.ZERO).quiescent()).as("a scheduled republish is not work left to do").isTrue();
    assertThat(k.kit.state().operations()).anyMatch(op -> op.scheduled());

    k.deletePod("web");
    k.settle();
    assertThat(k.hasPod("web")).isFalse();
    assertThat(k.log.published).allSatisfy((vol, byNode) -> assertThat(byNode.values()).allMatch(Set::isEmpty));
    assertThat(k.kit.state().operations()).as("the scheduled republish is forgotten with the pod").isEmpty();
  }

  @Test
  void aFailedRepublishIsReportedAndRetriedWhileTheVolumeStaysPublished() {
    int[] calls = {0};
    TokenIssuer flaky = (r, now) -> {
      if (++calls[0] == 2) {
        throw new TokenIssuerException("token service unavailable");
      }
      return issuer.issue(r, now);
    };
    NodeKit k = kit(flaky);
    k.apply(driver(true, new TokenRequest("vault", Optional.empty())));
    claimed(k);
    k.apply(pod("web", "node-1", claim("data")));
    k.settle();
    k.kit.runFor(Duration.ofSeconds(100));
    k.assertRunning("web");
    assertThat(k.events("web")).anyMatch(e -> e.startsWith("FailedMount: ") && e.endsWith("token service unavailable"));
    assertThat(k.log.publishes).as("the first publish, then the retry of the failed republish").hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void aTokenIssuerFailureKeepsThePodPendingWithFailedMount() {
    NodeKit k = kit((r, now) -> {
      throw new TokenIssuerException("no signing key for service account default/default");
    });
    k.apply(driver(false, new TokenRequest("vault", Optional.empty())));
    claimed(k);
    k.apply(pod("web", "node-1", claim("data")));
    k.settle();
    assertThat(k.phase("web")).isEqualTo("Pending");
    assertThat(k.events("web")).anyMatch(e -> e.startsWith("FailedMount: MountVolume.SetUp failed for volume ")
        && e.endsWith("no signing key for service account default/default"));
    assertThat(k.log.publishes).as("the driver is never called without its tokens").isEmpty();
  }

  @Test
  void projectedServiceAccountTokenIsARealTokenRefreshedBeforeExpiry() throws Exception {
    NodeKit k = kit(issuer);
    Pod p = withServiceAccount(pod("web", "node-1", VolumeBuilder.builder().name("identity")
        .projected(Optional.of(ProjectedVolumeSourceBuilder.builder().sources(ImmutableList.of(
            VolumeProjectionBuilder.builder().serviceAccountToken(Optional.of(ServiceAccountTokenProjectionBuilder.builder()
                .audience(Optional.of("vault")).expirationSeconds(Optional.of(600L)).path("token").build())).build()))
            .build())).build()), "builder");
    k.apply(p);
    k.settle();
    k.assertRunning("web");
    Path file = k.root.resolve("pods/" + k.pod("web").metadata().uid().orElseThrow() + "/volumes/"
        + VolumeHost.PROJECTED_DIR + "/identity/token");
    String first = Files.readString(file);
    JsonNode claims = io.volumekit.core.token.JwtTokenIssuerTest.verify(first, issuer.publicKey())[1];
    assertThat(claims.get("aud").get(0).asText()).isEqualTo("vault");
    assertThat(claims.get("sub").asText()).isEqualTo("system:serviceaccount:default:builder");
    assertThat(everythingRecorded(k)).doesNotContain(first);

    k.kit.runFor(Duration.ofSeconds(500)); // refreshed at 80% of 600 s
    String second = Files.readString(file);
    assertThat(second).isNotEqualTo(first);
    JsonNode refreshed = io.volumekit.core.token.JwtTokenIssuerTest.verify(second, issuer.publicKey())[1];
    assertThat(refreshed.get("iat").asLong() - claims.get("iat").asLong()).isEqualTo(480);
    assertThat(everythingRecorded(k)).doesNotContain(second);

    k.deletePod("web");
    k.settle();
    assertThat(k.kit.state().operations()).isEmpty();
  }

  @Test
  void theRequestRecordHoldsNoToken() {
    ServiceAccountTokenRequest r = new ServiceAccountTokenRequest("ns", "sa", "aud", 600, "pod", "uid");
    assertThat(r.toString()).contains("aud").doesNotContain("ey");
  }
}
