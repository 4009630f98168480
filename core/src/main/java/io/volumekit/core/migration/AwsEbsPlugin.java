package io.volumekit.core.migration;

import com.google.common.collect.ImmutableMap;
import io.volumekit.model.core.AWSElasticBlockStoreVolumeSource;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.StorageClass;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code kubernetes.io/aws-ebs} to {@code ebs.csi.aws.com} (csi-translation-lib's {@code
 * aws_ebs.go}): the handle is the EBS id ({@code vol-...}) read from the Kubernetes volume id
 * ({@code vol-...}, {@code aws:///vol-...} or {@code aws://<zone>/vol-...}); the partition goes
 * into the {@code partition} attribute; zones use {@code topology.ebs.csi.aws.com/zone}.
 */
public final class AwsEbsPlugin implements InTreePlugin {

  public static final String IN_TREE = "kubernetes.io/aws-ebs";
  public static final String DRIVER = "ebs.csi.aws.com";
  public static final String TOPOLOGY_KEY = "topology.ebs.csi.aws.com/zone";

  private static final Pattern EBS_ID = Pattern.compile("^vol-[^/]*$");

  @Override public String inTreePluginName() { return IN_TREE; }
  @Override public String csiDriverName() { return DRIVER; }
  @Override public String sourceField() { return "awsElasticBlockStore"; }
  @Override public boolean canSupport(PersistentVolume pv) { return pv.spec().awsElasticBlockStore().isPresent(); }
  @Override public boolean canSupportInline(Volume v) { return v.awsElasticBlockStore().isPresent(); }

  /**
   * The EBS volume id in a Kubernetes volume id ({@code KubernetesVolumeIDToEBSVolumeID}): a bare
   * id is kept as is; {@code aws://[zone]/id} must end in an id matching {@code ^vol-[^/]*$}.
   */
  public static String ebsVolumeId(String kubernetesId, String field) {
    if (!kubernetesId.startsWith("aws://")) {
      return kubernetesId;
    }
    String rest = kubernetesId.substring("aws://".length());
    int slash = rest.indexOf('/');
    String path = slash < 0 ? "" : rest.substring(slash);
    String id = trimSlashes(path);
    if (!EBS_ID.matcher(id).matches()) {
      throw new TranslationException(field, "Invalid format for AWS volume (" + kubernetesId + ")");
    }
    return id;
  }

  private static String trimSlashes(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && s.charAt(b) == '/') {
      b++;
    }
    while (e > b && s.charAt(e - 1) == '/') {
      e--;
    }
    return s.substring(b, e);
  }

  private static CSIPersistentVolumeSource csiFor(AWSElasticBlockStoreVolumeSource ebs, String field) {
    return Plugins.csi(DRIVER, ebsVolumeId(ebs.volumeID(), field), ebs.readOnly(), ebs.fsType(),
        ImmutableMap.of("partition", String.valueOf(ebs.partition().orElse(0))));
  }

  @Override
  public PersistentVolume translateInTreePVToCSI(PersistentVolume pv) {
    AWSElasticBlockStoreVolumeSource ebs = pv.spec().awsElasticBlockStore().orElseThrow(
        () -> new TranslationException("spec.awsElasticBlockStore", "pv is nil or AWS EBS not defined on pv"));
    CSIPersistentVolumeSource csi = csiFor(ebs, "spec.awsElasticBlockStore.volumeID");
    PersistentVolume out = Topologies.inTreeToCsi(pv, TOPOLOGY_KEY);
    return out.withSpec(out.spec().withAwsElasticBlockStore(Optional.empty()).withCsi(Optional.of(csi)));
  }

  @Override
  public PersistentVolume translateCSIPVToInTree(PersistentVolume pv) {
    CSIPersistentVolumeSource csi = Plugins.csiOf(pv, DRIVER);
    AWSElasticBlockStoreVolumeSource ebs = new AWSElasticBlockStoreVolumeSource(
        csi.volumeHandle(), csi.fsType(), Plugins.partition(csi), csi.readOnly());
    PersistentVolume out = Topologies.csiToInTree(pv, TOPOLOGY_KEY, Optional.of(Topologies::awsRegion));
    return out.withSpec(out.spec().withCsi(Optional.empty()).withAwsElasticBlockStore(Optional.of(ebs)));
  }

  /**
   * Zonal class rules, plus: {@code iopsPerGB} is kept and {@code allowautoiopspergbincrease:
   * "true"} added, since the in-tree plugin raised IOPS to the volume type's minimum.
   */
  @Override
  public StorageClass translateInTreeStorageClassToCSI(StorageClass sc) {
    StorageClass out = Topologies.zonalClass(sc, TOPOLOGY_KEY, true, Function.identity());
    boolean iops = out.parameters().keySet().stream().anyMatch(k -> k.equalsIgnoreCase("iopsPerGB"));
    if (!iops) {
      return out;
    }
    Map<String, String> params = new LinkedHashMap<>(out.parameters());
    params.put("allowautoiopspergbincrease", "true");
    return out.withParameters(ImmutableMap.copyOf(params));
  }

  @Override
  public PersistentVolume translateInTreeInlineVolumeToCSI(Volume volume, String podNamespace) {
    AWSElasticBlockStoreVolumeSource ebs = volume.awsElasticBlockStore().orElseThrow(
        () -> new TranslationException("awsElasticBlockStore", "volume is nil or AWS EBS not defined on volume"));
    CSIPersistentVolumeSource csi = csiFor(ebs, "awsElasticBlockStore.volumeID");
    return Plugins.inlinePv(DRIVER + "-" + csi.volumeHandle(), csi, AccessModes.READ_WRITE_ONCE);
  }
}
