/**
 * Engine inputs (sealed {@link io.volumekit.core.event.Event}) and the recording of Kubernetes Events as stored objects.
 */
package io.volumekit.core.event;
