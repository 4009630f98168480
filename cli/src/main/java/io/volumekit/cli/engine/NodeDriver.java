package io.volumekit.cli.engine;

import io.volumekit.core.csi.CsiDriver;
import java.util.function.Function;

/**
 * A CSI driver the command serves on every node, as a DaemonSet of node plugins plus one
 * controller plugin would.
 *
 * @param name the driver name (GetPluginInfo), which StorageClasses and PVs name
 * @param controller the driver the engine's controllers call
 * @param onNode the driver's node plugin on a node (the same instance when one endpoint serves all)
 * @param ephemeral whether the driver offers inline (Ephemeral) volumes
 */
record NodeDriver(String name, CsiDriver controller, Function<String, CsiDriver> onNode, boolean ephemeral) {}
