package io.volumekit.model.core;

/**
 * A volume source: where a pod volume's or a PersistentVolume's data comes from.
 *
 * <p>Mirrors the one-of members of {@code core/v1 VolumeSource} and {@code
 * PersistentVolumeSource}. Pod volumes ({@link Volume}) and PV specs ({@link PersistentVolumeSpec})
 * hold each source in its own optional field, as the JSON does; their {@code source()} gives the
 * set one as this sealed type, so code can handle every kind of source exhaustively.
 */
public sealed interface VolumeSource
    permits AWSElasticBlockStoreVolumeSource,
        AzureDiskVolumeSource,
        AzureFileVolumeSource,
        CSIPersistentVolumeSource,
        CSIVolumeSource,
        CinderVolumeSource,
        ConfigMapVolumeSource,
        DownwardAPIVolumeSource,
        EmptyDirVolumeSource,
        EphemeralVolumeSource,
        GCEPersistentDiskVolumeSource,
        HostPathVolumeSource,
        ImageVolumeSource,
        LocalVolumeSource,
        NFSVolumeSource,
        PersistentVolumeClaimVolumeSource,
        PortworxVolumeSource,
        ProjectedVolumeSource,
        SecretVolumeSource,
        VsphereVirtualDiskVolumeSource {}
