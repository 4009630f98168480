/**
 * Volume health and statistics, as Kubernetes' volume health monitoring and the kubelet's volume
 * stats provide them: the {@link io.volumekit.core.health.VolumeHealthMonitor} controller (the
 * external-health-monitor controller: ControllerGetVolume, {@code VolumeConditionAbnormal} events on
 * claims), the {@link io.volumekit.core.health.VolumeStats} of each pod volume and the cache that
 * keeps the latest ({@link io.volumekit.core.health.VolumeStatsCache}, the kubelet's stats cache
 * behind its summary API and {@code kubelet_volume_stats_*} metrics). The kubelet side's periodic
 * NodeGetVolumeStats calls are made by the pod volume controller.
 */
package io.volumekit.core.health;
