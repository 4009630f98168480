package io.volumekit.core;

import io.volumekit.core.datasource.DataSourceValidator;
import io.volumekit.core.controller.Controller;
import com.google.common.collect.ImmutableList;
import io.volumekit.core.csi.ControllerCapability;
import io.volumekit.core.groupsnapshot.CsiGroupSnapshotter;
import io.volumekit.core.groupsnapshot.GroupSnapshotController;
import io.volumekit.core.snapshot.CsiSnapshotter;
import io.volumekit.core.snapshot.SnapshotController;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import io.volumekit.core.attach.AttachDetachController;
import io.volumekit.core.attach.ExternalAttacher;
import io.volumekit.core.binding.BindingController;
import io.volumekit.core.binding.FirstConsumerController;
import io.volumekit.core.binding.IndexedVolumeMatcher;
import io.volumekit.core.binding.VolumeMatcher;
import io.volumekit.core.ephemeral.EphemeralVolumeController;
import io.volumekit.core.expansion.ExternalResizer;
import io.volumekit.core.expansion.NodeExpansionController;
import io.volumekit.core.gc.GarbageCollector;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.modify.ModifyController;
import io.volumekit.core.mount.NodeRegistrar;
import io.volumekit.core.mount.DeviceStagingController;
import io.volumekit.core.mount.OrphanSweeper;
import io.volumekit.core.mount.PodGarbageCollector;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.mount.PodVolumeController;
import io.volumekit.core.protection.PvProtectionController;
import io.volumekit.core.protection.PvcProtectionController;
import io.volumekit.core.protection.SecretProtectionController;
import io.volumekit.core.provisioning.ProvisioningController;
import io.volumekit.core.reclaim.ReclaimController;
import io.volumekit.core.scheduling.Scheduler;
import io.volumekit.core.workload.StatefulSetController;
import java.util.Set;

/**
 * The one place where the engine's controllers are registered, in the order they see changes.
 *
 * <p>To add a controller: implement {@link Controller} in its own package and add it to {@link
 * #defaults(Set, VolumeMatcher)} if it belongs to the control plane (kube-controller-manager's
 * volume controllers), or to {@link #defaults(Set, VolumeMatcher, VolumeHost)} if it is node-side
 * (scheduler, attach/detach, kubelet). {@code VolumeKit.build()} uses the latter.
 */
public final class Controllers {

  private Controllers() {}

  /** The default controllers, for the given registered CSI driver names. */
  public static ImmutableList<Controller> defaults(Set<String> csiDrivers) {
    return defaults(csiDrivers, new IndexedVolumeMatcher());
  }

  /**
   * The default controllers, with the binder using the given matcher (benchmarks compare them). The
   * drivers' capabilities are not known here: snapshot restores, clones and snapshots are sent to
   * the driver, whose answer decides.
   */
  public static ImmutableList<Controller> defaults(Set<String> csiDrivers, VolumeMatcher matcher) {
    Map<String, Set<ControllerCapability>> all = new TreeMap<>();
    csiDrivers.forEach(d -> all.put(d, EnumSet.allOf(ControllerCapability.class)));
    Map<String, Boolean> groups = new TreeMap<>();
    csiDrivers.forEach(d -> groups.put(d, true));
    return controlPlane(csiDrivers, matcher, new ProvisioningController(csiDrivers), all, groups, CsiMigration.all());
  }

  private static ImmutableList<Controller> controlPlane(Set<String> csiDrivers, VolumeMatcher matcher,
      ProvisioningController provisioner, Map<String, ? extends Set<ControllerCapability>> capabilities,
      Map<String, Boolean> groupSnapshots, CsiMigration migration) {
    return ImmutableList.of(
        new BindingController(matcher, csiDrivers, migration),
        new FirstConsumerController(),
        provisioner,
        new ReclaimController(csiDrivers, migration),
        new PvcProtectionController(),
        new PvProtectionController(),
        new SecretProtectionController(),
        new GarbageCollector(),
        new SnapshotController(),
        new CsiSnapshotter(capabilities),
        new GroupSnapshotController(),
        new CsiGroupSnapshotter(groupSnapshots),
        new ModifyController(capabilities),
        new DataSourceValidator(),
        new StatefulSetController());
  }

  /**
   * The default controllers plus the node side (the kubelets' plugin registration, scheduler, generic ephemeral volumes, attach/detach,
   * external-attacher, the kubelets' volume controllers: pod volume setup, device staging, orphan
   * sweeping; pod garbage collection) for the host's drivers.
   */
  public static ImmutableList<Controller> defaults(Set<String> csiDrivers, VolumeMatcher matcher, VolumeHost host) {
    return ImmutableList.<Controller>builder()
        .add(new NodeRegistrar(host.drivers().keySet(), host.migration()), new Scheduler(host.migration()), new EphemeralVolumeController())
        .addAll(controlPlane(csiDrivers, matcher,
            new ProvisioningController(capabilities(csiDrivers, host), host.migration()),
            capabilities(csiDrivers, host), groupSnapshots(csiDrivers, host), host.migration()))
        .add(new AttachDetachController(host.migration()), new ExternalAttacher(host))
        .add(new ExternalResizer(host), new NodeExpansionController(host))
        .add(new PodVolumeController(host), new DeviceStagingController(host), new OrphanSweeper())
        .add(new PodGarbageCollector())
        .build();
  }

  /** Whether each driver takes volume group snapshots, as the host discovered it (not known: no). */
  private static Map<String, Boolean> groupSnapshots(Set<String> csiDrivers, VolumeHost host) {
    Map<String, Boolean> m = new TreeMap<>();
    for (String d : csiDrivers) {
      m.put(d, host.driver(d).map(io.volumekit.core.podvolume.DriverInfo::snapshotsGroups).orElse(false));
    }
    return m;
  }

  /** The drivers' controller capabilities as the host discovered them (none known: none assumed). */
  private static Map<String, Set<ControllerCapability>> capabilities(Set<String> csiDrivers, VolumeHost host) {
    Map<String, Set<ControllerCapability>> m = new TreeMap<>();
    for (String d : csiDrivers) {
      m.put(d, host.driver(d).map(i -> (Set<ControllerCapability>) i.controller()).orElse(Set.of()));
    }
    return m;
  }
}
