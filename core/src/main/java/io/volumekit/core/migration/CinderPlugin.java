package io.volumekit.core.migration;

import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.CinderVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.StorageClass;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code kubernetes.io/cinder} to {@code cinder.csi.openstack.org} (csi-translation-lib's {@code
 * openstack_cinder.go}): the handle is the Cinder volume id; zones use {@code
 * topology.cinder.csi.openstack.org/zone}; no region is derived on the way back (a Cinder region
 * cannot be told from a zone). In a class only {@code fstype} is renamed: {@code availability} and
 * the other parameters are the driver's own.
 */
public final class CinderPlugin implements InTreePlugin {

  public static final String IN_TREE = "kubernetes.io/cinder";
  public static final String DRIVER = "cinder.csi.openstack.org";
  public static final String TOPOLOGY_KEY = "topology.cinder.csi.openstack.org/zone";

  @Override public String inTreePluginName() { return IN_TREE; }
  @Override public String csiDriverName() { return DRIVER; }
  @Override public String sourceField() { return "cinder"; }
  @Override public boolean canSupport(PersistentVolume pv) { return pv.spec().cinder().isPresent(); }
  @Override public boolean canSupportInline(Volume v) { return v.cinder().isPresent(); }

  private static CSIPersistentVolumeSource csiFor(CinderVolumeSource c) {
    return Plugins.csi(DRIVER, c.volumeID(), c.readOnly(), c.fsType(), ImmutableMap.of());
  }

  @Override
  public PersistentVolume translateInTreePVToCSI(PersistentVolume pv) {
    CinderVolumeSource c = pv.spec().cinder().orElseThrow(
        () -> new TranslationException("spec.cinder", "pv is nil or Cinder not defined on pv"));
    PersistentVolume out = Topologies.inTreeToCsi(pv, TOPOLOGY_KEY);
    return out.withSpec(out.spec().withCinder(Optional.empty()).withCsi(Optional.of(csiFor(c))));
  }

  @Override
  public PersistentVolume translateCSIPVToInTree(PersistentVolume pv) {
    CSIPersistentVolumeSource csi = Plugins.csiOf(pv, DRIVER);
    CinderVolumeSource c = new CinderVolumeSource(csi.volumeHandle(), csi.fsType(), csi.readOnly(), Optional.empty());
    PersistentVolume out = Topologies.csiToInTree(pv, TOPOLOGY_KEY, Optional.empty());
    return out.withSpec(out.spec().withCsi(Optional.empty()).withCinder(Optional.of(c)));
  }

  @Override
  public StorageClass translateInTreeStorageClassToCSI(StorageClass sc) {
    Map<String, String> params = new LinkedHashMap<>();
    sc.parameters().forEach((k, v) ->
        params.put(k.toLowerCase(Locale.ROOT).equals(Topologies.FSTYPE) ? Topologies.CSI_FSTYPE : k, v));
    return sc.withParameters(ImmutableMap.copyOf(params))
        .withAllowedTopologies(Topologies.allowedTopologies(sc.allowedTopologies(), TOPOLOGY_KEY, Function.identity()));
  }

  @Override
  public PersistentVolume translateInTreeInlineVolumeToCSI(Volume volume, String podNamespace) {
    CinderVolumeSource c = volume.cinder().orElseThrow(
        () -> new TranslationException("cinder", "volume is nil or Cinder not defined on volume"));
    return Plugins.inlinePv(DRIVER + "-" + c.volumeID(), csiFor(c), AccessModes.READ_WRITE_ONCE);
  }
}
