/**
 * The apps/v1 kinds volumekit models: StatefulSet, as far as its storage needs it (replicas,
 * selector, pod template, volumeClaimTemplates, podManagementPolicy, ordinals and the claim
 * retention policy).
 */
package io.volumekit.model.apps;
