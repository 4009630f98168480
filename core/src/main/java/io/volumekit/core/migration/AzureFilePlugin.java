package io.volumekit.core.migration;

import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.AzureFileVolumeSource;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.SecretReference;
import io.volumekit.model.core.Volume;
import io.volumekit.model.meta.ObjectReference;
import io.volumekit.model.storage.StorageClass;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kubernetes.io/azure-file} to {@code file.csi.azure.com} (csi-translation-lib's {@code
 * azure_file.go}). The handle is {@code <resourceGroup>#<account>#<share>#<pv or volume
 * name>#<secretNamespace>}: the account is read from the secret name {@code
 * azure-storage-account-<account>-secret} (else the secret name itself), the resource group from
 * the PV annotation {@code kubernetes.io/azure-file-resource-group}. The secret becomes the node
 * stage secret; its namespace is the source's, else the claim's (PV), else the pod's or {@code
 * default} (inline). The class is unchanged.
 */
public final class AzureFilePlugin implements InTreePlugin {

  public static final String IN_TREE = "kubernetes.io/azure-file";
  public static final String DRIVER = "file.csi.azure.com";
  public static final String RESOURCE_GROUP_ANNOTATION = "kubernetes.io/azure-file-resource-group";
  static final String SHARE_NAME = "sharename";
  static final String SECRET_NAME = "secretname";
  static final String SECRET_NAMESPACE = "secretnamespace";
  static final String DEFAULT_NAMESPACE = "default";

  private static final Pattern SECRET = Pattern.compile("azure-storage-account-(.+)-secret");

  @Override public String inTreePluginName() { return IN_TREE; }
  @Override public String csiDriverName() { return DRIVER; }
  @Override public String sourceField() { return "azureFile"; }
  @Override public boolean canSupport(PersistentVolume pv) { return pv.spec().azureFile().isPresent(); }
  @Override public boolean canSupportInline(Volume v) { return v.azureFile().isPresent(); }

  static String account(String secretName) {
    Matcher m = SECRET.matcher(secretName);
    return m.find() ? m.group(1) : secretName;
  }

  private static CSIPersistentVolumeSource csiFor(AzureFileVolumeSource f, String resourceGroup, String name, String namespace) {
    String handle = String.join("#", resourceGroup, account(f.secretName()), f.shareName(), name, namespace);
    return new CSIPersistentVolumeSource(DRIVER, handle, f.readOnly(), Optional.empty(),
        ImmutableMap.of(SHARE_NAME, f.shareName()), Optional.empty(),
        Optional.of(new SecretReference(f.secretName(), Optional.of(namespace))),
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Override
  public PersistentVolume translateInTreePVToCSI(PersistentVolume pv) {
    AzureFileVolumeSource f = pv.spec().azureFile().orElseThrow(
        () -> new TranslationException("spec.azureFile", "pv is nil or Azure File source not defined on pv"));
    String namespace = f.secretNamespace().filter(s -> !s.isEmpty())
        .or(() -> pv.spec().claimRef().flatMap(ObjectReference::namespace).filter(s -> !s.isEmpty()))
        .orElseThrow(() -> new TranslationException("spec.azureFile.secretNamespace",
            "could not find a secret namespace in the source or the claimRef of PV " + pv.metadata().name()));
    String rg = pv.metadata().annotation(RESOURCE_GROUP_ANNOTATION).orElse("");
    CSIPersistentVolumeSource csi = csiFor(f, rg, pv.metadata().name(), namespace);
    return pv.withSpec(pv.spec().withAzureFile(Optional.empty()).withCsi(Optional.of(csi)));
  }

  @Override
  public PersistentVolume translateCSIPVToInTree(PersistentVolume pv) {
    CSIPersistentVolumeSource csi = Plugins.csiOf(pv, DRIVER);
    String share = "";
    String secret = "";
    Optional<String> namespace = Optional.empty();
    for (Map.Entry<String, String> e : csi.volumeAttributes().entrySet()) {
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case SHARE_NAME -> share = e.getValue();
        case SECRET_NAME -> secret = e.getValue();
        case SECRET_NAMESPACE -> namespace = Optional.of(e.getValue());
        default -> { }
      }
    }
    if (csi.nodeStageSecretRef().filter(r -> !r.name().isEmpty()).isPresent()) {
      SecretReference r = csi.nodeStageSecretRef().get();
      secret = r.name();
      namespace = Optional.of(r.namespace().orElse(""));
    }
    String rg = "";
    if (share.isEmpty() || secret.isEmpty()) {
      String[] parts = csi.volumeHandle().split("#", -1);
      if (parts.length < 3) {
        throw new TranslationException("spec.csi.volumeHandle",
            "error parsing volume id: \"" + csi.volumeHandle() + "\", should at least contain two #");
      }
      rg = parts[0];
      share = share.isEmpty() ? parts[2] : share;
      secret = secret.isEmpty() ? "azure-storage-account-" + parts[1] + "-secret" : secret;
    }
    AzureFileVolumeSource f = new AzureFileVolumeSource(secret, share, csi.readOnly(),
        Optional.of(namespace.orElse(DEFAULT_NAMESPACE)));
    PersistentVolume out = pv.withSpec(pv.spec().withCsi(Optional.empty()).withAzureFile(Optional.of(f)));
    return rg.isEmpty() ? out : out.withMetadata(out.metadata().withAnnotation(RESOURCE_GROUP_ANNOTATION, rg));
  }

  @Override
  public StorageClass translateInTreeStorageClassToCSI(StorageClass sc) {
    return sc;
  }

  @Override
  public PersistentVolume translateInTreeInlineVolumeToCSI(Volume volume, String podNamespace) {
    AzureFileVolumeSource f = volume.azureFile().orElseThrow(
        () -> new TranslationException("azureFile", "volume is nil or Azure File not defined on volume"));
    String namespace = podNamespace.isEmpty() ? DEFAULT_NAMESPACE : podNamespace;
    return Plugins.inlinePv(DRIVER + "-" + f.shareName(), csiFor(f, "", volume.name(), namespace),
        AccessModes.READ_WRITE_MANY);
  }
}
