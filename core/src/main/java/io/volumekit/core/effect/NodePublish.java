package io.volumekit.core.effect;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.CsiDriver;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.token.ServiceAccountToken;
import io.volumekit.core.token.ServiceAccountTokenRequest;
import io.volumekit.core.token.ServiceAccountTokens;
import io.volumekit.core.token.TokenIssuer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The kubelet's {@code SetUp} of a CSI volume for one pod: {@code NodePublishVolume} to the pod's
 * volume path. While its operation is recorded as succeeded (or uncertain) the volume counts as
 * published for the pod. A republish (CSIDriver {@code requiresRepublish}) is the same call under
 * another id.
 *
 * @param podUid the pod's uid
 * @param podVolume the name of the volume in the pod spec
 * @param volumeName the PV name, or the pod volume name for inline volumes
 * @param tokenRequests the service-account tokens the driver asks for (CSIDriver
 *     {@code tokenRequests}), issued when the call is made and put into the volume context under
 *     {@value ServiceAccountTokens#VOLUME_CONTEXT_KEY}
 */
public record NodePublish(
    EffectId id, ObjectKey owner, String controller, String driver, String node, String podUid,
    String podVolume, String volumeName, NodePublishVolumeRequest request,
    ImmutableList<ServiceAccountTokenRequest> tokenRequests)
    implements NodeCsiEffect<Void> {

  public NodePublish {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(podVolume, "podVolume");
    Objects.requireNonNull(volumeName, "volumeName");
    Objects.requireNonNull(request, "request");
    tokenRequests = tokenRequests == null ? ImmutableList.of() : ImmutableList.copyOf(tokenRequests);
  }

  /** A publish that asks for no tokens. */
  public NodePublish(
      EffectId id, ObjectKey owner, String controller, String driver, String node, String podUid,
      String podVolume, String volumeName, NodePublishVolumeRequest request) {
    this(id, owner, controller, driver, node, podUid, podVolume, volumeName, request, ImmutableList.of());
  }

  /** The same call under another id (a republish). */
  public NodePublish withId(EffectId newId) {
    return new NodePublish(newId, owner, controller, driver, node, podUid, podVolume, volumeName, request, tokenRequests);
  }

  @Override
  public Void call(CsiDriver driver) {
    driver.nodePublishVolume(request);
    return null;
  }

  @Override
  public NodePublish withServiceAccountTokens(TokenIssuer issuer, Instant now) {
    if (tokenRequests.isEmpty()) {
      return this;
    }
    Map<String, ServiceAccountToken> byAudience = new LinkedHashMap<>();
    for (ServiceAccountTokenRequest r : tokenRequests) {
      byAudience.put(r.audience(), issuer.issue(r, now));
    }
    Map<String, String> context = new LinkedHashMap<>(request.volumeContext());
    context.put(ServiceAccountTokens.VOLUME_CONTEXT_KEY, ServiceAccountTokens.volumeContextValue(byAudience));
    NodePublishVolumeRequest r = request;
    NodePublishVolumeRequest filled = new NodePublishVolumeRequest(r.volumeId(), r.publishContext(), r.stagingTargetPath(),
        r.targetPath(), r.volumeCapability(), r.readonly(), r.secrets(), ImmutableMap.copyOf(context));
    return new NodePublish(id, owner, controller, driver, node, podUid, podVolume, volumeName, filled, ImmutableList.of());
  }

  /** The CO creates the target's parent directory; the driver creates the target itself. */
  @Override
  public void prepare(io.volumekit.core.node.LocalVolumeWriter writer) throws java.io.IOException {
    String parent = NodeCsiEffect.parentOf(request.targetPath());
    if (NodeCsiEffect.onThisHost(parent)) {
      writer.makeDirectory(parent);
    }
  }

  @Override
  public String describe() {
    return "NodePublishVolume driver=" + driver + " node=" + node + " volumeId=" + request.volumeId()
        + " target=" + request.targetPath() + (request.readonly() ? " readonly" : "")
        + (tokenRequests.isEmpty() ? "" : " tokens=" + tokenRequests.size());
  }
}
