package io.volumekit.core.csi;

/**
 * ControllerExpandVolume's answer: the new capacity, and whether NodeExpandVolume must follow on
 * the node (filesystem resize).
 */
public record ControllerExpandVolumeResponse(long capacityBytes, boolean nodeExpansionRequired) {}
