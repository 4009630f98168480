package io.volumekit.core.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The volume context entry the kubelet gives a CSI driver that asks for tokens (CSIDriver
 * {@code tokenRequests}): key {@value #VOLUME_CONTEXT_KEY}, value a JSON object from audience to
 * {@code {"token": ..., "expirationTimestamp": <RFC 3339>}}.
 */
public final class ServiceAccountTokens {

  /** The NodePublishVolume volume_context key Kubernetes uses for the tokens. */
  public static final String VOLUME_CONTEXT_KEY = "csi.storage.k8s.io/serviceAccount.tokens";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ServiceAccountTokens() {}

  /** The JSON value for the tokens by audience, in the map's order. */
  public static String volumeContextValue(Map<String, ServiceAccountToken> byAudience) {
    ObjectNode root = JSON.createObjectNode();
    byAudience.forEach((audience, t) -> root.putObject(audience)
        .put("token", t.token())
        .put("expirationTimestamp", DateTimeFormatter.ISO_INSTANT.format(t.expirationTimestamp().truncatedTo(ChronoUnit.SECONDS))));
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not encode the token map", e);
    }
  }
}
