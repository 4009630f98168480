/** The populator.storage.k8s.io/v1beta1 kind VolumePopulator: the registration of a volume populator's data source kind. */
package io.volumekit.model.populator;
