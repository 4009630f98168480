package io.volumekit.model.core;

import io.soabase.recordbuilder.core.RecordBuilder;
import io.volumekit.model.meta.Normalize;

/**
 * What a node's kubelet reports about the machine ({@code core/v1 NodeSystemInfo}, the Node's
 * {@code status.nodeInfo}): ids, kernel and OS image, architecture, and the versions of the
 * container runtime, the kubelet and kube-proxy. Empty strings are values not reported.
 */
@RecordBuilder
public record NodeSystemInfo(
    String machineID,
    String systemUUID,
    String bootID,
    String kernelVersion,
    String osImage,
    String containerRuntimeVersion,
    String kubeletVersion,
    String kubeProxyVersion,
    String operatingSystem,
    String architecture) implements NodeSystemInfoBuilder.With {

  public NodeSystemInfo {
    machineID = Normalize.str(machineID);
    systemUUID = Normalize.str(systemUUID);
    bootID = Normalize.str(bootID);
    kernelVersion = Normalize.str(kernelVersion);
    osImage = Normalize.str(osImage);
    containerRuntimeVersion = Normalize.str(containerRuntimeVersion);
    kubeletVersion = Normalize.str(kubeletVersion);
    kubeProxyVersion = Normalize.str(kubeProxyVersion);
    operatingSystem = Normalize.str(operatingSystem);
    architecture = Normalize.str(architecture);
  }
}
