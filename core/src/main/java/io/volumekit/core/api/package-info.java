/**
 * The vocabulary the storage controllers share: annotation keys, finalizers, event reasons, and
 * helpers reading them from objects ({@link io.volumekit.core.api.Volumes}).
 */
package io.volumekit.core.api;
