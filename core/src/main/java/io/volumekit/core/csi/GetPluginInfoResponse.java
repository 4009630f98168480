package io.volumekit.core.csi;

import com.google.common.collect.ImmutableMap;

/**
 * GetPluginInfo's answer: the driver name (DNS-like, at most 63 characters; the name used
 * everywhere in Kubernetes: CSIDriver, {@code PV.spec.csi.driver}, {@code
 * VolumeAttachment.spec.attacher}), its opaque vendor version and an optional manifest.
 */
public record GetPluginInfoResponse(String name, String vendorVersion, ImmutableMap<String, String> manifest) {
  /** Normalises nulls to empty values. */
  public GetPluginInfoResponse {
    name = Values.str(name);
    vendorVersion = Values.str(vendorVersion);
    manifest = Values.map(manifest);
  }
}
