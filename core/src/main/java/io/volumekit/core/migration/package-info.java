/**
 * CSI migration: translation of the in-tree volume sources (AWS EBS, GCE PD, Azure Disk, Azure
 * File, Cinder, vSphere, Portworx) to the CSI drivers that replace them, as Kubernetes'
 * {@code csi-translation-lib} does. One {@link io.volumekit.core.migration.InTreePlugin} per
 * plugin; {@link io.volumekit.core.migration.CsiMigration} is the facade the engine's controllers
 * use, and says which plugins are migrated. Pure functions of model objects: no state, no I/O.
 */
package io.volumekit.core.migration;
