/**
 * The ports to what lives on a node, and their default adapters: the node's filesystem for
 * node-local volumes ({@link io.volumekit.core.node.LocalVolumeWriter}, what the kubelet's atomic
 * writer, emptyDir and hostPath plugins do; {@link io.volumekit.core.node.FileSystemVolumeWriter}
 * does it on real files) and the CSI node plugins the kubelet reaches through plugin registration
 * ({@link io.volumekit.core.node.NodePlugins}).
 *
 * <p>Controllers never call these: they ask for effects, and the runtime performs them here.
 * Uses only the CSI port, so effects can name the values they carry.
 */
package io.volumekit.core.node;
