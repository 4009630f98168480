/**
 * The gateway.networking.k8s.io/v1beta1 kind ReferenceGrant: the owner of a namespace allowing
 * objects of another namespace to refer to its objects (here: claims using a cross-namespace data
 * source).
 */
package io.volumekit.model.gateway;
