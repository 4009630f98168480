/**
 * Workload controllers, as far as they own storage: the StatefulSet controller's pods
 * {@code <set>-<ordinal>} and their claims {@code <template>-<set>-<ordinal>}, with the claim
 * retention policy.
 *
 * <p>Internal: not part of the public API.
 */
package io.volumekit.core.workload;
