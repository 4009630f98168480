/**
 * The volume data source validator (kubernetes-csi/volume-data-source-validator): warns about
 * claims whose {@code dataSourceRef} names a kind that no {@code VolumePopulator} registers.
 */
package io.volumekit.core.datasource;
