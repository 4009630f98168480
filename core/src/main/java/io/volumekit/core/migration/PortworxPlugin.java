package io.volumekit.core.migration;

import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PortworxVolumeSource;
import io.volumekit.model.core.SecretReference;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.StorageClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kubernetes.io/portworx-volume} to {@code pxd.portworx.com} (csi-translation-lib's {@code
 * portworx.go}): the handle is the Portworx volume id. The auth secret named by the PV annotations
 * {@code openstorage.io/auth-secret-name} and {@code -namespace} (both needed) becomes every CSI
 * secret reference; in a class, the same two parameters become the {@code
 * csi.storage.k8s.io/*-secret-name} / {@code -namespace} parameters of every CSI call, and the
 * provisioner becomes {@code pxd.portworx.com}.
 */
public final class PortworxPlugin implements InTreePlugin {

  public static final String IN_TREE = "kubernetes.io/portworx-volume";
  public static final String DRIVER = "pxd.portworx.com";
  public static final String SECRET_NAME = "openstorage.io/auth-secret-name";
  public static final String SECRET_NAMESPACE = "openstorage.io/auth-secret-namespace";
  private static final List<String> CSI_SECRET_PREFIXES = List.of("provisioner", "controller-publish", "node-stage",
      "node-publish", "controller-expand", "node-expand");

  @Override public String inTreePluginName() { return IN_TREE; }
  @Override public String csiDriverName() { return DRIVER; }
  @Override public String sourceField() { return "portworxVolume"; }
  @Override public boolean canSupport(PersistentVolume pv) { return pv.spec().portworxVolume().isPresent(); }
  @Override public boolean canSupportInline(Volume v) { return v.portworxVolume().isPresent(); }

  @Override
  public PersistentVolume translateInTreePVToCSI(PersistentVolume pv) {
    PortworxVolumeSource px = pv.spec().portworxVolume().orElseThrow(
        () -> new TranslationException("spec.portworxVolume", "pv is nil or PortworxVolume not defined on pv"));
    Optional<String> name = pv.metadata().annotation(SECRET_NAME);
    Optional<String> namespace = pv.metadata().annotation(SECRET_NAMESPACE);
    Optional<SecretReference> ref = name.isPresent() && namespace.isPresent()
        ? Optional.of(new SecretReference(name.get(), namespace)) : Optional.empty();
    CSIPersistentVolumeSource csi = new CSIPersistentVolumeSource(DRIVER, px.volumeID(), Optional.empty(), px.fsType(),
        ImmutableMap.of(), ref, ref, ref, ref, ref);
    return pv.withSpec(pv.spec().withPortworxVolume(Optional.empty()).withCsi(Optional.of(csi)));
  }

  @Override
  public PersistentVolume translateCSIPVToInTree(PersistentVolume pv) {
    CSIPersistentVolumeSource csi = Plugins.csiOf(pv, DRIVER);
    PortworxVolumeSource px = new PortworxVolumeSource(csi.volumeHandle(), csi.fsType(), csi.readOnly());
    return pv.withSpec(pv.spec().withCsi(Optional.empty()).withPortworxVolume(Optional.of(px)));
  }

  @Override
  public StorageClass translateInTreeStorageClassToCSI(StorageClass sc) {
    Map<String, String> params = new LinkedHashMap<>(sc.parameters());
    String name = sc.parameters().get(SECRET_NAME);
    String namespace = sc.parameters().get(SECRET_NAMESPACE);
    if (name != null && namespace != null) {
      for (String p : CSI_SECRET_PREFIXES) {
        params.put("csi.storage.k8s.io/" + p + "-secret-name", name);
        params.put("csi.storage.k8s.io/" + p + "-secret-namespace", namespace);
      }
    }
    return sc.withProvisioner(DRIVER).withParameters(ImmutableMap.copyOf(params));
  }

  @Override
  public PersistentVolume translateInTreeInlineVolumeToCSI(Volume volume, String podNamespace) {
    PortworxVolumeSource px = volume.portworxVolume().orElseThrow(
        () -> new TranslationException("portworxVolume", "volume is nil or PortworxVolume not defined on volume"));
    CSIPersistentVolumeSource csi = Plugins.csi(DRIVER, px.volumeID(), Optional.empty(), px.fsType(), ImmutableMap.of());
    String mode = px.readOnly().orElse(false) ? AccessModes.READ_ONLY_MANY : AccessModes.READ_WRITE_ONCE;
    return Plugins.inlinePv(DRIVER + "-" + px.volumeID(), csi, mode);
  }
}
