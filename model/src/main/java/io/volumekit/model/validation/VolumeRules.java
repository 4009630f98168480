package io.volumekit.model.validation;

import io.volumekit.model.core.*;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.quantity.Quantity;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Volume sources, pod volumes, containers and their mounts (ValidateVolumes,
 * validateVolumeSource, ValidateVolumeMounts, ValidateVolumeDevices in the API server).
 */
final class VolumeRules {
  private VolumeRules() {}

  static final String MORE_THAN_ONE = "may not specify more than 1 volume type";
  static final String FILE_MODE = "must be a number between 0 and 0777 (octal), both inclusive";
  static final List<String> HOST_PATH_TYPES = List.of("", "BlockDevice", "CharDevice", "Directory",
      "DirectoryOrCreate", "File", "FileOrCreate", "Socket");
  static final List<String> DOWNWARD_FIELDS = List.of("metadata.annotations", "metadata.labels", "metadata.name",
      "metadata.namespace", "metadata.uid");

  /** Pod volumes; returns the valid volumes by name (as the API server's map). */
  static Map<String, Volume> volumes(Errs errs, List<Volume> volumes, ObjectMeta podMeta, FieldPath p,
      List<FieldError> fieldErrors) {
    Map<String, Volume> valid = new LinkedHashMap<>();
    Set<String> names = new HashSet<>();
    Set<String> createdClaims = new HashSet<>();
    if (!podMeta.name().isEmpty()) {
      for (Volume v : volumes) {
        if (v.ephemeral().isPresent()) {
          createdClaims.add(podMeta.name() + "-" + v.name());
        }
      }
    }
    for (int i = 0; i < volumes.size(); i++) {
      Volume v = volumes.get(i);
      FieldPath vp = p.index(i);
      Errs el = new Errs();
      volumeSource(el, v, vp, podMeta);
      if (v.name().isEmpty()) {
        el.required(vp.child("name"));
      } else {
        el.each(vp.child("name"), v.name(), Names.dns1123Label(v.name()));
      }
      if (names.contains(v.name())) {
        el.duplicate(vp.child("name"), v.name());
      }
      boolean constraintError = false;
      if (!fieldErrors.isEmpty()) {
        String prefix = vp + ".";
        constraintError = fieldErrors.stream().anyMatch(e -> e.field().startsWith(prefix));
      }
      if (el.isEmpty() && !constraintError) {
        names.add(v.name());
        valid.put(v.name(), v);
      } else {
        errs.addAll(el.list);
      }
      if (v.persistentVolumeClaim().isPresent() && createdClaims.contains(v.persistentVolumeClaim().get().claimName())) {
        errs.invalid(vp.child("persistentVolumeClaim", "claimName"), v.persistentVolumeClaim().get().claimName(),
            "must not reference a PVC that gets created for an ephemeral volume");
      }
    }
    return valid;
  }

  private static void volumeSource(Errs errs, Volume v, FieldPath p, ObjectMeta podMeta) {
    int[] n = {0};
    // Same order as the API server, so "more than 1" names the same field.
    if (v.emptyDir().isPresent()) {
      n[0]++;
      v.emptyDir().get().sizeLimit().filter(q -> q.signum() < 0).ifPresent(q ->
          errs.forbidden(p.child("emptyDir", "sizeLimit"), "SizeLimit field must be a valid resource quantity"));
    }
    one(errs, n, v.hostPath().isPresent(), p.child("hostPath"), () -> hostPath(errs, v.hostPath().get(), p.child("hostPath")));
    one(errs, n, v.gcePersistentDisk().isPresent(), p.child("gcePersistentDisk"), () -> {
      if (v.gcePersistentDisk().get().pdName().isEmpty()) {
        errs.required(p.child("persistentDisk", "pdName"));
      }
    });
    one(errs, n, v.awsElasticBlockStore().isPresent(), p.child("awsElasticBlockStore"), () -> {
      if (v.awsElasticBlockStore().get().volumeID().isEmpty()) {
        errs.required(p.child("awsElasticBlockStore", "volumeID"));
      }
    });
    one(errs, n, v.secret().isPresent(), p.child("secret"), () -> secret(errs, v.secret().get(), p.child("secret")));
    one(errs, n, v.nfs().isPresent(), p.child("nfs"), () -> nfs(errs, v.nfs().get(), p.child("nfs")));
    one(errs, n, v.persistentVolumeClaim().isPresent(), p.child("persistentVolumeClaim"), () -> {
      if (v.persistentVolumeClaim().get().claimName().isEmpty()) {
        errs.required(p.child("persistentVolumeClaim", "claimName"));
      }
    });
    one(errs, n, v.cinder().isPresent(), p.child("cinder"), () -> {
      if (v.cinder().get().volumeID().isEmpty()) {
        errs.required(p.child("cinder", "volumeID"));
      }
    });
    one(errs, n, v.downwardAPI().isPresent(), p.child("downwarAPI"),
        () -> downwardAPI(errs, v.downwardAPI().get(), p.child("downwardAPI")));
    one(errs, n, v.configMap().isPresent(), p.child("configMap"),
        () -> configMap(errs, v.configMap().get(), p.child("configMap")));
    one(errs, n, v.azureFile().isPresent(), p.child("azureFile"), () -> azureFile(errs, v.azureFile().get(), p.child("azureFile")));
    one(errs, n, v.vsphereVolume().isPresent(), p.child("vsphereVolume"), () -> {
      if (v.vsphereVolume().get().volumePath().isEmpty()) {
        errs.required(p.child("vsphereVolume", "volumePath"));
      }
    });
    one(errs, n, v.portworxVolume().isPresent(), p.child("portworxVolume"), () -> {
      if (v.portworxVolume().get().volumeID().isEmpty()) {
        errs.required(p.child("portworxVolume", "volumeID"));
      }
    });
    one(errs, n, v.azureDisk().isPresent(), p.child("azureDisk"), () -> azureDisk(errs, v.azureDisk().get(), p.child("azureDisk")));
    one(errs, n, v.projected().isPresent(), p.child("projected"), () -> projected(errs, v.projected().get(), p.child("projected")));
    one(errs, n, v.csi().isPresent(), p.child("csi"), () -> csiInline(errs, v.csi().get(), p.child("csi")));
    one(errs, n, v.ephemeral().isPresent(), p.child("ephemeral"), () -> {
      ephemeral(errs, v.ephemeral().get(), p.child("ephemeral"));
      if (!podMeta.name().isEmpty() && !v.name().isEmpty()) {
        String pvcName = podMeta.name() + "-" + v.name();
        for (String msg : Names.dns1123Subdomain(pvcName)) {
          errs.invalid(p.child("name"), v.name(), "PVC name " + FieldError.goQuote(pvcName) + ": " + msg);
        }
      }
    });
    one(errs, n, v.image().isPresent(), p.child("image"), () -> {
      if (v.image().get().reference().orElse("").isEmpty()) {
        errs.required(p.child("image", "reference"));
      }
      v.image().get().pullPolicy().filter(pp -> !List.of("Always", "IfNotPresent", "Never").contains(pp))
          .ifPresent(pp -> errs.notSupported(p.child("image", "pullPolicy"), pp, List.of("Always", "IfNotPresent", "Never")));
    });
    if (n[0] == 0) {
      errs.required(p, "must specify a volume type");
    }
  }

  private static void one(Errs errs, int[] n, boolean present, FieldPath p, Runnable validate) {
    if (!present) {
      return;
    }
    if (n[0] > 0) {
      errs.forbidden(p, MORE_THAN_ONE);
    } else {
      n[0]++;
      validate.run();
    }
  }

  static void hostPath(Errs errs, HostPathVolumeSource h, FieldPath p) {
    if (h.path().isEmpty()) {
      errs.required(p.child("path"));
      return;
    }
    noBacksteps(errs, h.path(), p.child("path"));
    h.type().filter(t -> !HOST_PATH_TYPES.contains(t)).ifPresent(t -> errs.notSupported(p.child("type"), t, HOST_PATH_TYPES));
  }

  static void nfs(Errs errs, NFSVolumeSource n, FieldPath p) {
    if (n.server().isEmpty()) {
      errs.required(p.child("server"));
    }
    if (n.path().isEmpty()) {
      errs.required(p.child("path"));
    }
    if (!n.path().startsWith("/")) {
      errs.invalid(p.child("path"), n.path(), "must be an absolute path");
    }
  }

  static void azureFile(Errs errs, AzureFileVolumeSource a, FieldPath p) {
    if (a.secretName().isEmpty()) {
      errs.required(p.child("secretName"));
    }
    if (a.shareName().isEmpty()) {
      errs.required(p.child("shareName"));
    }
  }

  static void azureDisk(Errs errs, AzureDiskVolumeSource a, FieldPath p) {
    if (a.diskName().isEmpty()) {
      errs.required(p.child("diskName"));
    }
    if (a.diskURI().isEmpty()) {
      errs.required(p.child("diskURI"));
    }
    List<String> caching = List.of("None", "ReadOnly", "ReadWrite");
    a.cachingMode().filter(c -> !caching.contains(c)).ifPresent(c -> errs.notSupported(p.child("cachingMode"), c, caching));
    List<String> kinds = List.of("Dedicated", "Managed", "Shared");
    a.kind().filter(k -> !kinds.contains(k)).ifPresent(k -> errs.notSupported(p.child("kind"), k, kinds));
  }

  static void secret(Errs errs, SecretVolumeSource s, FieldPath p) {
    if (s.secretName().orElse("").isEmpty()) {
      errs.required(p.child("secretName"));
    }
    for (int i = 0; i < s.items().size(); i++) {
      keyToPath(errs, s.items().get(i), p.child("items").index(i));
    }
  }

  static void configMap(Errs errs, ConfigMapVolumeSource c, FieldPath p) {
    if (c.name().orElse("").isEmpty()) {
      errs.required(p.child("name"));
    }
    for (int i = 0; i < c.items().size(); i++) {
      keyToPath(errs, c.items().get(i), p.child("items").index(i));
    }
  }

  static void mode(Errs errs, Integer mode, FieldPath p) {
    if (mode != null && (mode > 0777 || mode < 0)) {
      errs.invalid(p, mode, FILE_MODE);
    }
  }

  static void keyToPath(Errs errs, KeyToPath k, FieldPath p) {
    if (k.key().isEmpty()) {
      errs.required(p.child("key"));
    }
    if (k.path().isEmpty()) {
      errs.required(p.child("path"));
    }
    localNonReservedPath(errs, k.path(), p.child("path"));
    // mode: a field constraint on KeyToPath (BeanConstraints)
  }

  static void downwardAPI(Errs errs, DownwardAPIVolumeSource d, FieldPath p) {
    for (DownwardAPIVolumeFile f : d.items()) {
      downwardAPIFile(errs, f, p);
    }
  }

  /** As in the API server, item errors are reported on the volume's path, not on items[i]. */
  static void downwardAPIFile(Errs errs, DownwardAPIVolumeFile f, FieldPath p) {
    if (f.path().isEmpty()) {
      errs.required(p.child("path"));
    }
    localNonReservedPath(errs, f.path(), p.child("path"));
    if (f.fieldRef().isPresent()) {
      ObjectFieldSelector fs = f.fieldRef().get();
      FieldPath fp = p.child("fieldRef");
      if (fs.fieldPath().isEmpty()) {
        errs.required(fp.child("fieldPath"));
      } else if (!DOWNWARD_FIELDS.contains(fs.fieldPath())
          && !fs.fieldPath().startsWith("metadata.labels[") && !fs.fieldPath().startsWith("metadata.annotations[")) {
        errs.notSupported(fp.child("fieldPath"), fs.fieldPath(), DOWNWARD_FIELDS);
      }
      if (f.resourceFieldRef().isPresent()) {
        errs.invalid(p, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously");
      }
    } else if (f.resourceFieldRef().isPresent()) {
      if (f.resourceFieldRef().get().resource().isEmpty()) {
        errs.required(p.child("resourceFieldRef", "resource"));
      }
    } else {
      errs.required(p, "one of fieldRef and resourceFieldRef is required");
    }
    mode(errs, f.mode().orElse(null), p.child("mode"));
  }

  static void projected(Errs errs, ProjectedVolumeSource pr, FieldPath p) {
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < pr.sources().size(); i++) {
      VolumeProjection s = pr.sources().get(i);
      FieldPath sp = p.child("sources").index(i);
      int n = 0;
      if (s.secret().isPresent()) {
        n++;
        SecretProjection sec = s.secret().get();
        if (sec.name().orElse("").isEmpty()) {
          errs.required(sp.child("secret", "name"));
        }
        for (int j = 0; j < sec.items().size(); j++) {
          KeyToPath k = sec.items().get(j);
          keyToPath(errs, k, sp.child("secret", "items").index(j));
          if (!k.path().isEmpty() && !paths.add(k.path())) {
            errs.invalid(p, sec.name().orElse(""), "conflicting duplicate paths");
          }
        }
      }
      if (s.configMap().isPresent()) {
        n++;
        ConfigMapProjection cm = s.configMap().get();
        if (cm.name().orElse("").isEmpty()) {
          errs.required(sp.child("configMap", "name"));
        }
        for (int j = 0; j < cm.items().size(); j++) {
          KeyToPath k = cm.items().get(j);
          keyToPath(errs, k, sp.child("configMap", "items").index(j));
          if (!k.path().isEmpty() && !paths.add(k.path())) {
            errs.invalid(p, cm.name().orElse(""), "conflicting duplicate paths");
          }
        }
      }
      if (s.downwardAPI().isPresent()) {
        n++;
        for (DownwardAPIVolumeFile f : s.downwardAPI().get().items()) {
          downwardAPIFile(errs, f, sp.child("downwardAPI"));
          if (!f.path().isEmpty() && !paths.add(f.path())) {
            errs.invalid(p, f.path(), "conflicting duplicate paths");
          }
        }
      }
      if (s.serviceAccountToken().isPresent()) {
        n++;
        ServiceAccountTokenProjection t = s.serviceAccountToken().get();
        // expirationSeconds bounds: field constraints (BeanConstraints)
        if (t.path().isEmpty()) {
          errs.required(p.child("path"));
        } else {
          localNonReservedPath(errs, t.path(), p.child("path"));
        }
      }
      if (n > 1) {
        errs.forbidden(sp, "may not specify more than 1 volume type per source");
      }
    }
  }

  static void csiInline(Errs errs, CSIVolumeSource c, FieldPath p) {
    csiDriverName(errs, c.driver(), p.child("driver"));
    c.nodePublishSecretRef().filter(r -> r.name().isEmpty())
        .ifPresent(r -> errs.required(p.child("nodePublishSecretRef", "name")));
  }

  /** ValidateCSIDriverName: required, at most 63 characters, a DNS-1123 subdomain when lower-cased. */
  static void csiDriverName(Errs errs, String driver, FieldPath p) {
    if (driver.isEmpty()) {
      errs.required(p);
    }
    if (driver.length() > 63) {
      errs.tooLong(p, 63);
    }
    errs.each(p, driver, Names.dns1123Subdomain(driver.toLowerCase(java.util.Locale.ROOT)));
  }

  static void ephemeral(Errs errs, EphemeralVolumeSource e, FieldPath p) {
    if (e.volumeClaimTemplate().isEmpty()) {
      errs.required(p.child("volumeClaimTemplate"));
      return;
    }
    PersistentVolumeClaimTemplate t = e.volumeClaimTemplate().get();
    FieldPath tp = p.child("volumeClaimTemplate");
    t.metadata().ifPresent(m -> {
      MetaRules.labels(errs, m.labels(), tp.child("metadata", "labels"));
      MetaRules.annotations(errs, m.annotations(), tp.child("metadata", "annotations"));
    });
    ClaimRules.claimSpec(errs, t.spec(), tp.child("spec"));
  }

  /** subPath-like paths: relative, no '..' element. */
  static void localDescendingPath(Errs errs, String path, FieldPath p) {
    if (path.startsWith("/")) {
      errs.invalid(p, path, "must be a relative path");
    }
    noBacksteps(errs, path, p);
  }

  static void noBacksteps(Errs errs, String path, FieldPath p) {
    for (String part : path.replace('\\', '/').split("/", -1)) {
      if (part.equals("..")) {
        errs.invalid(p, path, "must not contain '..'");
        break;
      }
    }
  }

  static void localNonReservedPath(Errs errs, String path, FieldPath p) {
    localDescendingPath(errs, path, p);
    if (path.startsWith("..") && !path.startsWith("../")) {
      errs.invalid(p, path, "must not start with '..'");
    }
  }

  static void containers(Errs errs, List<Container> containers, Map<String, Volume> volumes, FieldPath p,
      boolean init, Set<String> otherNames) {
    if (containers.isEmpty() && !init) {
      errs.required(p);
      return;
    }
    Set<String> names = new HashSet<>(otherNames);
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      FieldPath cp = p.index(i);
      if (c.name().isEmpty()) {
        errs.required(cp.child("name"));
      } else {
        errs.each(cp.child("name"), c.name(), Names.dns1123Label(c.name()));
      }
      if (!names.add(c.name())) {
        errs.duplicate(cp.child("name"), c.name());
      }
      if (c.image().orElse("").isEmpty()) {
        errs.required(cp.child("image"));
      }
      Map<String, String> devices = new LinkedHashMap<>();
      c.volumeDevices().forEach(d -> devices.put(d.name(), d.devicePath()));
      Map<String, String> mounts = new LinkedHashMap<>();
      c.volumeMounts().forEach(m -> mounts.put(m.name(), m.mountPath()));
      volumeMounts(errs, c.volumeMounts(), devices, volumes, cp.child("volumeMounts"));
      volumeDevices(errs, c.volumeDevices(), mounts, volumes, cp.child("volumeDevices"));
      c.imagePullPolicy().filter(pp -> !List.of("Always", "IfNotPresent", "Never").contains(pp)).ifPresent(pp ->
          errs.notSupported(cp.child("imagePullPolicy"), pp, List.of("Always", "IfNotPresent", "Never")));
    }
  }

  static final List<String> PROPAGATION = List.of("Bidirectional", "HostToContainer", "None");

  static void volumeMounts(Errs errs, List<VolumeMount> mounts, Map<String, String> devices,
      Map<String, Volume> volumes, FieldPath p) {
    Set<String> mountPoints = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      VolumeMount m = mounts.get(i);
      FieldPath mp = p.index(i);
      if (m.name().isEmpty()) {
        errs.required(mp.child("name"));
      } else if (!volumes.containsKey(m.name())) {
        errs.notFound(mp.child("name"), m.name());
      }
      if (m.mountPath().isEmpty()) {
        errs.required(mp.child("mountPath"));
      }
      if (!mountPoints.add(m.mountPath())) {
        errs.invalid(mp.child("mountPath"), m.mountPath(), "must be unique");
      }
      if (devices.containsKey(m.name())) {
        errs.invalid(mp.child("name"), m.name(), "must not already exist in volumeDevices");
      }
      if (devices.containsValue(m.mountPath())) {
        errs.invalid(mp.child("mountPath"), m.mountPath(), "must not already exist as a path in volumeDevices");
      }
      if (!m.subPath().orElse("").isEmpty()) {
        localDescendingPath(errs, m.subPath().get(), p.child("subPath"));
      }
      if (!m.subPathExpr().orElse("").isEmpty()) {
        if (!m.subPath().orElse("").isEmpty()) {
          errs.invalid(mp.child("subPathExpr"), m.subPathExpr().get(), "subPathExpr and subPath are mutually exclusive");
        }
        localDescendingPath(errs, m.subPathExpr().get(), p.child("subPathExpr"));
      }
      m.mountPropagation().filter(mpv -> !PROPAGATION.contains(mpv))
          .ifPresent(mpv -> errs.notSupported(p.child("mountPropagation"), mpv, PROPAGATION));
    }
  }

  static void volumeDevices(Errs errs, List<VolumeDevice> devices, Map<String, String> mounts,
      Map<String, Volume> volumes, FieldPath p) {
    Set<String> paths = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < devices.size(); i++) {
      VolumeDevice d = devices.get(i);
      FieldPath dp = p.index(i);
      Volume v = volumes.get(d.name());
      if (d.name().isEmpty()) {
        errs.required(dp.child("name"));
      }
      if (names.contains(d.name())) {
        errs.invalid(dp.child("name"), d.name(), "must be unique");
      }
      if (v != null && v.persistentVolumeClaim().isEmpty() && v.ephemeral().isEmpty()) {
        errs.invalid(dp.child("name"), d.name(), "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode");
      }
      if (v == null) {
        errs.notFound(dp.child("name"), d.name());
      }
      if (d.devicePath().isEmpty()) {
        errs.required(dp.child("devicePath"));
      }
      if (paths.contains(d.devicePath())) {
        errs.invalid(dp.child("devicePath"), d.devicePath(), "must be unique");
      }
      Errs back = new Errs();
      noBacksteps(back, d.devicePath(), dp.child("devicePath"));
      if (!d.devicePath().isEmpty() && !back.isEmpty()) {
        errs.invalid(dp.child("devicePath"), d.devicePath(), "can not contain backsteps ('..')");
      } else {
        paths.add(d.devicePath());
      }
      if (mounts.containsKey(d.name())) {
        errs.invalid(dp.child("name"), d.name(), "must not already exist in volumeMounts");
      }
      if (mounts.containsValue(d.devicePath())) {
        errs.invalid(dp.child("devicePath"), d.devicePath(), "must not already exist as a path in volumeMounts");
      }
      if (!d.name().isEmpty()) {
        names.add(d.name());
      }
    }
  }

  /** A quantity that must be > 0 (PV capacity, PVC request). */
  static void positiveQuantity(Errs errs, Quantity q, FieldPath p) {
    if (q.signum() <= 0) {
      errs.invalid(p, q.toString(), "must be greater than zero");
    }
  }
}
