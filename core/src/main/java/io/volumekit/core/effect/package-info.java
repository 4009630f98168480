/**
 * Effects controllers ask for (CSI calls and local writes, sealed {@link io.volumekit.core.effect.Effect}) and the operations recording them in the state (Kubernetes' nestedpendingoperations).
 */
package io.volumekit.core.effect;
