package io.volumekit.core.migration;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedSet;
import io.volumekit.core.api.Annotations;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Volume;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.StorageClass;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which in-tree volume plugins are migrated to CSI, and the translations the engine's controllers
 * use for them: csi-translation-lib's {@code CSITranslator} together with the {@code
 * CSIMigration<Plugin>} switches of Kubernetes' volume plugin manager.
 *
 * <p>In current Kubernetes every one of these plugins is migrated (their in-tree code is gone), so
 * {@link #all()} is the engine's default. A plugin left out ({@link #of}, {@link #none()}) keeps
 * its in-tree behaviour in volumekit, which is to refuse the volume loudly: volumekit has no
 * in-tree plugins. Immutable and thread-safe.
 */
public final class CsiMigration {

  /** Every plugin csi-translation-lib translates, in Kubernetes' order. */
  public static final ImmutableList<InTreePlugin> PLUGINS = ImmutableList.of(new GcePdPlugin(), new AwsEbsPlugin(),
      new CinderPlugin(), new AzureDiskPlugin(), new AzureFilePlugin(), new VspherePlugin(), new PortworxPlugin());

  private static final CsiMigration ALL = new CsiMigration(PLUGINS);
  private static final CsiMigration NONE = new CsiMigration(ImmutableList.of());

  private final ImmutableList<InTreePlugin> plugins;
  private final ImmutableMap<String, InTreePlugin> byInTreeName;
  private final ImmutableMap<String, InTreePlugin> byDriver;

  private CsiMigration(ImmutableList<InTreePlugin> plugins) {
    this.plugins = plugins;
    ImmutableMap.Builder<String, InTreePlugin> a = ImmutableMap.builder();
    ImmutableMap.Builder<String, InTreePlugin> b = ImmutableMap.builder();
    for (InTreePlugin p : plugins) {
      a.put(p.inTreePluginName(), p);
      b.put(p.csiDriverName(), p);
    }
    this.byInTreeName = a.buildOrThrow();
    this.byDriver = b.buildOrThrow();
  }

  /** Every plugin migrated: Kubernetes' behaviour today, and the engine's default. */
  public static CsiMigration all() {
    return ALL;
  }

  /** No plugin migrated: every in-tree volume is refused, as before migration existed in volumekit. */
  public static CsiMigration none() {
    return NONE;
  }

  /**
   * Only the named in-tree plugins migrated (e.g. {@code kubernetes.io/aws-ebs}).
   *
   * @throws IllegalArgumentException for a name that is not one of {@link #PLUGINS}
   */
  public static CsiMigration of(Collection<String> inTreePluginNames) {
    for (String n : inTreePluginNames) {
      if (ALL.byInTreeName.get(n) == null) {
        throw new IllegalArgumentException("csiMigration: Unsupported value: \"" + n + "\": supported values: "
            + ALL.byInTreeName.keySet().stream().map(s -> "\"" + s + "\"").toList());
      }
    }
    return new CsiMigration(PLUGINS.stream().filter(p -> inTreePluginNames.contains(p.inTreePluginName()))
        .collect(ImmutableList.toImmutableList()));
  }

  /** The in-tree names of the migrated plugins, sorted (what the kubelet publishes in CSINode's {@code storage.alpha.kubernetes.io/migrated-plugins}). */
  public Set<String> migratedPlugins() {
    return ImmutableSortedSet.copyOf(byInTreeName.keySet());
  }

  /**
   * Whether the plugin's migration is complete ({@code IsMigrationCompleteForPlugin}): the
   * attach/detach controller then translates its volumes without asking the node. True for every
   * plugin but Portworx, whose completion needs the {@code InTreePluginPortworxUnregister} gate
   * (off by default, and absent from volumekit): for Portworx the controller reads the node's
   * CSINode annotation {@code storage.alpha.kubernetes.io/migrated-plugins}.
   */
  public static boolean migrationComplete(InTreePlugin plugin) {
    return !plugin.inTreePluginName().equals(PortworxPlugin.IN_TREE);
  }

  /** The migrated plugin with the in-tree name (a provisioner such as {@code kubernetes.io/gce-pd}). */
  public Optional<InTreePlugin> pluginByInTreeName(String inTreeName) {
    return Optional.ofNullable(byInTreeName.get(inTreeName));
  }

  /** The migrated plugin whose CSI driver has the name. */
  public Optional<InTreePlugin> pluginByDriver(String driver) {
    return Optional.ofNullable(byDriver.get(driver));
  }

  /** The CSI driver a class provisioner is migrated to, if it is a migrated in-tree name. */
  public Optional<String> driverForProvisioner(String provisioner) {
    return pluginByInTreeName(provisioner).map(InTreePlugin::csiDriverName);
  }

  /** The migrated plugin of the PV's in-tree source ({@code IsPVMigratable}). */
  public Optional<InTreePlugin> plugin(PersistentVolume pv) {
    for (InTreePlugin p : plugins) {
      if (p.canSupport(pv)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The migrated plugin of the pod volume's in-tree source ({@code IsInlineMigratable}). */
  public Optional<InTreePlugin> plugin(Volume volume) {
    for (InTreePlugin p : plugins) {
      if (p.canSupportInline(volume)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * The PV as its CSI driver sees it: a CSI PV as it is, a migrated in-tree PV translated.
   *
   * @throws TranslationException if the PV's in-tree source cannot be translated
   */
  public Optional<PersistentVolume> toCsi(PersistentVolume pv) {
    if (pv.csi().isPresent()) {
      return Optional.of(pv);
    }
    return plugin(pv).map(p -> p.translateInTreePVToCSI(pv));
  }

  /**
   * The PV as its CSI driver sees it ({@link #toCsi(PersistentVolume)}), or empty for a PV that is
   * neither CSI nor migrated, or whose in-tree source does not translate.
   */
  public Optional<PersistentVolume> csiView(PersistentVolume pv) {
    try {
      return toCsi(pv);
    } catch (TranslationException e) {
      return Optional.empty();
    }
  }

  /**
   * The CSI source the attacher and the kubelet use for the PV: its own, or the translated one of
   * a migrated in-tree PV; empty for any other PV and for an in-tree source that does not
   * translate (the kubelet reports that one, see {@link #toCsi(PersistentVolume)}).
   */
  public Optional<CSIPersistentVolumeSource> csiSource(PersistentVolume pv) {
    if (pv.csi().isPresent()) {
      return pv.csi();
    }
    Optional<InTreePlugin> p = plugin(pv);
    if (p.isEmpty()) {
      return Optional.empty();
    }
    try {
      return p.get().translateInTreePVToCSI(pv).csi();
    } catch (TranslationException e) {
      return Optional.empty();
    }
  }

  /** Whether the PV is an in-tree PV of a migrated plugin. */
  public boolean isMigrated(PersistentVolume pv) {
    return pv.csi().isEmpty() && plugin(pv).isPresent();
  }

  /**
   * The class as its CSI driver reads it, when its provisioner is a migrated in-tree name; the
   * class itself otherwise.
   */
  public StorageClass toCsi(StorageClass sc) {
    Optional<InTreePlugin> p = pluginByInTreeName(sc.provisioner());
    return p.isEmpty() ? sc : p.get().translateInTreeStorageClassToCSI(sc);
  }

  /**
   * The CSI PV a provisioner created for a migrated class, stored in its in-tree form as the
   * external-provisioner stores it; any other PV as it is.
   */
  public PersistentVolume toInTree(PersistentVolume pv) {
    Optional<InTreePlugin> p = pv.csi().flatMap(c -> pluginByDriver(c.driver()));
    return p.isEmpty() ? pv : p.get().translateCSIPVToInTree(pv);
  }

  /**
   * The PV controller's {@code updateMigrationAnnotations}: a claim whose provisioner annotation
   * ({@code volume.kubernetes.io/storage-provisioner}, else the beta one), or a PV whose {@code
   * pv.kubernetes.io/provisioned-by}, names a migrated in-tree plugin gets {@code
   * pv.kubernetes.io/migrated-to: <CSI driver>}; any other loses that annotation. Empty when the
   * metadata is already right.
   *
   * @param claim whether the metadata is a claim's (else a PV's)
   */
  public Optional<ObjectMeta> migrationAnnotations(ObjectMeta meta, boolean claim) {
    Optional<String> provisioner = claim
        ? meta.annotation(Annotations.STORAGE_PROVISIONER).or(() -> meta.annotation(Annotations.BETA_STORAGE_PROVISIONER))
        : meta.annotation(Annotations.PROVISIONED_BY);
    if (provisioner.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> driver = driverForProvisioner(provisioner.get());
    Optional<String> now = meta.annotation(Annotations.MIGRATED_TO);
    if (driver.isPresent()) {
      return now.equals(driver) ? Optional.empty() : Optional.of(meta.withAnnotation(Annotations.MIGRATED_TO, driver.get()));
    }
    return now.isEmpty() ? Optional.empty() : Optional.of(meta.withoutAnnotation(Annotations.MIGRATED_TO));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CsiMigration m && m.byInTreeName.keySet().equals(byInTreeName.keySet());
  }

  @Override
  public int hashCode() {
    return Objects.hash(byInTreeName.keySet());
  }

  @Override
  public String toString() {
    return "CsiMigration" + migratedPlugins();
  }
}
