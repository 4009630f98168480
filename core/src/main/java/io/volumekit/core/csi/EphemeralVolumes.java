package io.volumekit.core.csi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * CSI inline ephemeral volumes, a Kubernetes extension of CSI (docs/cases/node-side.md row E4): the
 * kubelet calls only NodePublishVolume / NodeUnpublishVolume, with a volume id it generates and
 * no staging path; the driver creates the volume on publish and deletes it on unpublish, as the
 * kubernetes-csi host-path driver does.
 */
public final class EphemeralVolumes {
  /** The volume_context key the kubelet sets to "true" for inline volumes (with podInfoOnMount). */
  public static final String EPHEMERAL_CONTEXT_KEY = "csi.storage.k8s.io/ephemeral";

  private static final Pattern HANDLE = Pattern.compile("^csi-[0-9a-f]{64}$");

  private EphemeralVolumes() {}

  /**
   * The kubelet's volume id for an inline volume: {@code "csi-" + hex(SHA-256(podUID +
   * volumeName))} ({@code pkg/volume/csi/csi_mounter.go} makeVolumeHandle).
   */
  public static String volumeHandle(String podUid, String volumeName) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((podUid + volumeName).getBytes(StandardCharsets.UTF_8));
      return "csi-" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * Whether a NodePublishVolume is for an inline ephemeral volume: the context says so ({@value
   * #EPHEMERAL_CONTEXT_KEY} = "true"), or, when the kubelet did not add pod info, the volume is
   * unknown to the driver, there is no staging path and the id has the kubelet's inline form.
   */
  public static boolean isEphemeral(NodePublishVolumeRequest r, boolean volumeKnown) {
    String flag = r.volumeContext().get(EPHEMERAL_CONTEXT_KEY);
    if (flag != null) {
      return "true".equals(flag);
    }
    return !volumeKnown && r.stagingTargetPath().isEmpty() && isInlineHandle(r.volumeId());
  }

  /**
   * Whether the id has the form of a kubelet-generated inline volume id. A NodeUnpublish of such
   * an id that the driver no longer knows succeeds: the volume was deleted by the previous,
   * successful unpublish.
   */
  public static boolean isInlineHandle(String volumeId) {
    return HANDLE.matcher(volumeId).matches();
  }
}
