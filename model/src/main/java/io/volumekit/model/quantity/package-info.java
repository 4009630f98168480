/** Kubernetes resource quantities ({@link io.volumekit.model.quantity.Quantity}), exact and canonical. */
package io.volumekit.model.quantity;
