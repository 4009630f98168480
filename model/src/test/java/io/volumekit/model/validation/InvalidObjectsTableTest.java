package io.volumekit.model.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.meta.ApiObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of invalid objects, each with the exact message kubectl prints for it (the API
 * server's field errors, {@code pkg/apis/core/validation} and {@code pkg/apis/storage/validation}).
 */
class InvalidObjectsTableTest {
  static final ObjectCodec CODEC = ObjectCodec.standard();

  static final String PVC = """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: data, namespace: default}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
      """;
  static final String PV = """
      apiVersion: v1
      kind: PersistentVolume
      metadata: {name: pv1}
      spec:
        capacity: {storage: 1Gi}
        accessModes: [ReadWriteOnce]
        hostPath: {path: /tmp/pv1}
      """;
  static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: p, namespace: default}
      spec:
        containers:
        - name: app
          image: busybox
          volumeMounts:
          - {name: data, mountPath: /data}
        volumes:
        - name: data
          persistentVolumeClaim: {claimName: c}
      """;
  static final String SC = """
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata: {name: fast}
      provisioner: hostpath.csi.volumekit.io
      """;

  static final String SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
      + "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
      + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  static final String LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
      + "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
      + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  static final String ACCESS = "supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"";

  record Case(String name, String yaml, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Case> CASES = new ArrayList<>();

  static void add(String name, String yaml, String message) {
    CASES.add(new Case(name, yaml, message));
  }

  static String pvc(String spec) {
    return PVC.replace("  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n", spec);
  }

  static String pvSpec(String spec) {
    return PV.replace("  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /tmp/pv1}\n", spec);
  }

  /** A pod whose container mounts nothing, so that a refused volume yields only its own errors. */
  static final String POD_NO_MOUNT = POD.replace("    volumeMounts:\n    - {name: data, mountPath: /data}\n", "");

  static String podVolumes(String volumes) {
    return POD_NO_MOUNT.replace("  volumes:\n  - name: data\n    persistentVolumeClaim: {claimName: c}\n", volumes);
  }

  static String podSource(String source) {
    return POD_NO_MOUNT.replace("persistentVolumeClaim: {claimName: c}", source);
  }

  static String podSpec(String spec) {
    return POD.substring(0, POD.indexOf("spec:\n") + 6) + spec;
  }

  static {
    // ---------------------------------------------------------------- PersistentVolumeClaim
    String pvcHead = "The PersistentVolumeClaim \"data\" is invalid: ";
    add("pvc without access modes", pvc("  resources: {requests: {storage: 1Gi}}\n"),
        pvcHead + "spec.accessModes: Required value: at least 1 access mode is required");
    add("pvc without storage request", pvc("  accessModes: [ReadWriteOnce]\n"),
        pvcHead + "spec.resources[storage]: Required value");
    add("pvc with zero storage", PVC.replace("storage: 1Gi", "storage: \"0\""),
        pvcHead + "spec.resources[storage]: Invalid value: \"0\": must be greater than zero");
    add("pvc with negative storage", PVC.replace("storage: 1Gi", "storage: -1Gi"),
        pvcHead + "spec.resources[storage]: Invalid value: \"-1Gi\": must be greater than zero");
    add("pvc mixing ReadWriteOncePod", PVC.replace("[ReadWriteOnce]", "[ReadWriteOnce, ReadWriteOncePod]"),
        pvcHead + "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes");
    add("pvc with unknown access mode", PVC.replace("[ReadWriteOnce]", "[ReadWriteSometimes]"),
        pvcHead + "spec.accessModes: Unsupported value: \"ReadWriteSometimes\": " + ACCESS);
    add("pvc with invalid class name", PVC + "  storageClassName: Fast_SC\n",
        pvcHead + "spec.storageClassName: Invalid value: \"Fast_SC\": " + SUBDOMAIN);
    add("pvc with unknown volume mode", PVC + "  volumeMode: Raw\n",
        pvcHead + "spec.volumeMode: Unsupported value: \"Raw\": supported values: \"Block\", \"Filesystem\"");
    add("pvc data source of a core kind other than a claim", PVC + "  dataSource: {kind: Secret, name: s}\n",
        pvcHead + "spec.dataSource: Invalid value: \"Secret\": must be 'PersistentVolumeClaim' when referencing the default apiGroup");
    add("pvc data source without name", PVC + "  dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot}\n",
        pvcHead + "spec.dataSource.name: Required value");
    add("pvc data source with invalid api group", PVC + "  dataSourceRef: {apiGroup: Example.COM, kind: Thing, name: t}\n",
        pvcHead + "spec.dataSourceRef.apiGroup: Invalid value: \"Example.COM\": " + SUBDOMAIN);
    add("pvc data source not matching data source ref", PVC
            + "  dataSource: {kind: PersistentVolumeClaim, name: a}\n  dataSourceRef: {kind: PersistentVolumeClaim, name: b}\n",
        pvcHead + "spec: Invalid value: \"spec.dataSource\": must match dataSourceRef");
    add("pvc data source with cross-namespace ref", PVC + "  dataSource: {kind: PersistentVolumeClaim, name: a}\n"
            + "  dataSourceRef: {kind: PersistentVolumeClaim, name: a, namespace: other}\n",
        pvcHead + "spec: Invalid value: \"spec.dataSource\": may not be specified when dataSourceRef.namespace is specified");
    add("pvc selector In without values", PVC + "  selector: {matchExpressions: [{key: tier, operator: In}]}\n",
        pvcHead + "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
    add("pvc selector with unknown operator", PVC + "  selector: {matchExpressions: [{key: tier, operator: Near}]}\n",
        pvcHead + "spec.selector.matchExpressions[0].operator: Invalid value: \"Near\": not a valid selector operator");
    add("pvc selector Exists with values", PVC + "  selector: {matchExpressions: [{key: tier, operator: Exists, values: [a]}]}\n",
        pvcHead + "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    String longName = "a".repeat(300);
    add("pvc with a 300-character name", PVC.replace("name: data", "name: " + longName),
        "The PersistentVolumeClaim \"" + longName + "\" is invalid: metadata.name: Invalid value: \"" + longName
            + "\": must be no more than 253 characters");
    add("pvc with an upper-case name", PVC.replace("name: data", "name: Data"),
        "The PersistentVolumeClaim \"Data\" is invalid: metadata.name: Invalid value: \"Data\": " + SUBDOMAIN);
    add("pvc without a name", PVC.replace("name: data, ", ""),
        "The PersistentVolumeClaim \"\" is invalid: metadata.name: Required value: name or generateName is required");
    add("pvc with an invalid generateName", PVC.replace("name: data, ", "generateName: Data-, "),
        "The PersistentVolumeClaim \"\" is invalid: metadata.generateName: Invalid value: \"Data-\": " + SUBDOMAIN);
    add("pvc without a namespace", PVC.replace(", namespace: default", ""),
        pvcHead + "metadata.namespace: Required value");
    add("pvc with an invalid namespace", PVC.replace("namespace: default", "namespace: Team_A"),
        pvcHead + "metadata.namespace: Invalid value: \"Team_A\": " + LABEL);
    add("pvc with two errors", pvc("  volumeMode: Block\n"),
        pvcHead + "\n* spec.accessModes: Required value: at least 1 access mode is required\n* spec.resources[storage]: Required value");
    add("pvc with an invalid label value", PVC.replace("namespace: default}", "namespace: default, labels: {tier: \"a b\"}}"),
        pvcHead + "metadata.labels: Invalid value: \"a b\": a valid label must be an empty string or consist of "
            + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    add("pvc with an invalid label key", PVC.replace("namespace: default}", "namespace: default, labels: {\"-tier\": a}}"),
        pvcHead + "metadata.labels: Invalid value: \"-tier\": name part must consist of alphanumeric characters, '-', "
            + "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
            + "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    add("pvc with unknown allocated resource status", PVC + "status:\n  allocatedResourceStatuses: {storage: Shrinking}\n",
        pvcHead + "status.allocatedResourceStatus: Unsupported value: \"Shrinking\": supported values: "
            + "\"ControllerResizeInProgress\", \"ControllerResizeInfeasible\", \"NodeResizeInProgress\", "
            + "\"NodeResizeInfeasible\", \"NodeResizePending\"");

    // ---------------------------------------------------------------- PersistentVolume
    String pvHead = "The PersistentVolume \"pv1\" is invalid: ";
    add("pv without access modes", pvSpec("  capacity: {storage: 1Gi}\n  hostPath: {path: /tmp/pv1}\n"),
        pvHead + "spec.accessModes: Required value");
    add("pv without capacity", pvSpec("  accessModes: [ReadWriteOnce]\n  hostPath: {path: /tmp/pv1}\n"),
        pvHead + "\n* spec.capacity: Required value\n* spec.capacity: Unsupported value: {}: supported values: \"storage\"");
    add("pv with a capacity other than storage", PV.replace("{storage: 1Gi}", "{storage: 1Gi, cpu: \"1\"}"),
        pvHead + "spec.capacity: Unsupported value: {\"cpu\":\"1\",\"storage\":\"1Gi\"}: supported values: \"storage\"");
    add("pv with zero capacity", PV.replace("{storage: 1Gi}", "{storage: \"0\"}"),
        pvHead + "spec.capacity[storage]: Invalid value: \"0\": must be greater than zero");
    add("pv with negative capacity", PV.replace("{storage: 1Gi}", "{storage: -1Ki}"),
        pvHead + "\n* spec.capacity[storage]: Invalid value: -1024: must be a valid resource quantity"
            + "\n* spec.capacity[storage]: Invalid value: \"-1Ki\": must be greater than zero");
    add("pv with unknown reclaim policy", PV + "  persistentVolumeReclaimPolicy: Keep\n",
        pvHead + "spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", \"Recycle\", \"Retain\"");
    add("pv without a volume source", pvSpec("  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n"),
        pvHead + "spec: Required value: must specify a volume type");
    add("pv with two volume sources", PV + "  nfs: {server: nfs.example.com, path: /export}\n",
        pvHead + "spec.nfs: Forbidden: may not specify more than 1 volume type");
    add("local pv without node affinity", PV.replace("hostPath: {path: /tmp/pv1}", "local: {path: /mnt/disk1}"),
        pvHead + "spec.nodeAffinity: Required value: Local volume requires node affinity");
    add("hostPath / with Recycle", PV.replace("/tmp/pv1", "/") + "  persistentVolumeReclaimPolicy: Recycle\n",
        pvHead + "spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath mount of '/'");
    add("pv hostPath with backsteps", PV.replace("/tmp/pv1", "/tmp/../etc"),
        pvHead + "spec.hostPath.path: Invalid value: \"/tmp/../etc\": must not contain '..'");
    add("pv hostPath with unknown type", PV.replace("{path: /tmp/pv1}", "{path: /tmp/pv1, type: Folder}"),
        pvHead + "spec.hostPath.type: Unsupported value: \"Folder\": supported values: \"\", \"BlockDevice\", "
            + "\"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"");
    add("pv with unknown volume mode", PV + "  volumeMode: Raw\n",
        pvHead + "spec.volumeMode: Unsupported value: \"Raw\": supported values: \"Block\", \"Filesystem\"");
    add("pv with empty volume attributes class", PV + "  volumeAttributesClassName: \"\"\n",
        pvHead + "\n* spec.volumeAttributesClassName: Required value: an empty string is disallowed"
            + "\n* spec.csi: Required value: has to be specified when using volumeAttributesClassName");
    add("csi pv without driver and handle", PV.replace("hostPath: {path: /tmp/pv1}", "csi: {fsType: ext4}"),
        pvHead + "\n* spec.csi.driver: Required value\n* spec.csi.driver: Invalid value: \"\": " + SUBDOMAIN
            + "\n* spec.csi.volumeHandle: Required value");
    add("csi pv with secret ref without namespace", PV.replace("hostPath: {path: /tmp/pv1}",
            "csi: {driver: hostpath.csi.volumekit.io, volumeHandle: h, nodeStageSecretRef: {name: creds}}"),
        pvHead + "spec.csi.nodeStageSecretRef.namespace: Required value: namespace is required");
    add("nfs pv with relative path", PV.replace("hostPath: {path: /tmp/pv1}", "nfs: {server: nfs1, path: export}"),
        pvHead + "spec.nfs.path: Invalid value: \"export\": must be an absolute path");
    add("pv with a namespace", PV.replace("{name: pv1}", "{name: pv1, namespace: default}"),
        pvHead + "metadata.namespace: Forbidden: not allowed on this type");
    add("pv node affinity without values", PV + "  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n"
            + "      - matchExpressions: [{key: kubernetes.io/hostname, operator: In}]\n",
        pvHead + "spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values: Required value: "
            + "must be specified when `operator` is 'In' or 'NotIn'");
    add("pv node affinity Gt with two values", PV + "  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n"
            + "      - matchExpressions: [{key: rack, operator: Gt, values: [\"1\", \"2\"]}]\n",
        pvHead + "spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values: Required value: "
            + "must be specified single value when `operator` is 'Lt' or 'Gt'");
    add("pv with in-tree sources missing their ids", PV.replace("hostPath: {path: /tmp/pv1}", "awsElasticBlockStore: {fsType: ext4}"),
        pvHead + "spec.awsElasticBlockStore.volumeID: Required value");

    // ---------------------------------------------------------------- Pod
    String podHead = "The Pod \"p\" is invalid: ";
    add("pod with duplicate volume names", POD + "  - name: data\n    emptyDir: {}\n",
        podHead + "spec.volumes[1].name: Duplicate value: \"data\"");
    add("pod mount of a missing volume", POD.replace("{name: data, mountPath: /data}", "{name: nope, mountPath: /data}"),
        podHead + "spec.containers[0].volumeMounts[0].name: Not found: \"nope\"");
    add("secret item with absolute path", podVolumes("  volumes:\n  - name: data\n    secret:\n      secretName: s\n"
            + "      items: [{key: k, path: /etc/passwd}]\n"),
        podHead + "spec.volumes[0].secret.items[0].path: Invalid value: \"/etc/passwd\": must be a relative path");
    add("configMap item with backsteps", podVolumes("  volumes:\n  - name: data\n    configMap:\n      name: c\n"
            + "      items: [{key: k, path: ../x}]\n"),
        podHead + "spec.volumes[0].configMap.items[0].path: Invalid value: \"../x\": must not contain '..'");
    add("downwardAPI item with backsteps", podVolumes("  volumes:\n  - name: data\n    downwardAPI:\n"
            + "      items: [{path: a/../../b, fieldRef: {fieldPath: metadata.name}}]\n"),
        podHead + "spec.volumes[0].downwardAPI.path: Invalid value: \"a/../../b\": must not contain '..'");
    add("downwardAPI item with unsupported field", podVolumes("  volumes:\n  - name: data\n    downwardAPI:\n"
            + "      items: [{path: node, fieldRef: {fieldPath: spec.nodeName}}]\n"),
        podHead + "spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: \"spec.nodeName\": supported values: "
            + "\"metadata.annotations\", \"metadata.labels\", \"metadata.name\", \"metadata.namespace\", \"metadata.uid\"");
    add("downwardAPI item without a source", podVolumes("  volumes:\n  - name: data\n    downwardAPI:\n      items: [{path: x}]\n"),
        podHead + "spec.volumes[0].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required");
    add("volume without a source", podVolumes("  volumes:\n  - name: data\n"),
        podHead + "spec.volumes[0]: Required value: must specify a volume type");
    add("volume with two sources", podVolumes("  volumes:\n  - name: data\n    emptyDir: {}\n"
            + "    persistentVolumeClaim: {claimName: c}\n"),
        podHead + "spec.volumes[0].persistentVolumeClaim: Forbidden: may not specify more than 1 volume type");
    add("claim volume without claim name", POD.replace("{claimName: c}", "{readOnly: true}"),
        podHead + "\n* spec.volumes[0].persistentVolumeClaim.claimName: Required value"
            + "\n* spec.containers[0].volumeMounts[0].name: Not found: \"data\"");
    add("volume with an invalid name", podSpec("  containers: [{name: app, image: busybox}]\n"
            + "  volumes: [{name: Data_1, emptyDir: {}}]\n"),
        podHead + "spec.volumes[0].name: Invalid value: \"Data_1\": " + LABEL);
    add("pod without containers", podSpec("  volumes: [{name: data, emptyDir: {}}]\n"),
        podHead + "spec.containers: Required value");
    add("pod with duplicate mount paths", POD.replace("- {name: data, mountPath: /data}",
            "- {name: data, mountPath: /data}\n    - {name: data, mountPath: /data}"),
        podHead + "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique");
    add("mount with absolute subPath", POD.replace("{name: data, mountPath: /data}", "{name: data, mountPath: /data, subPath: /x}"),
        podHead + "spec.containers[0].volumeMounts.subPath: Invalid value: \"/x\": must be a relative path");
    add("mount with subPath and subPathExpr", POD.replace("{name: data, mountPath: /data}",
            "{name: data, mountPath: /data, subPath: x, subPathExpr: y}"),
        podHead + "spec.containers[0].volumeMounts[0].subPathExpr: Invalid value: \"y\": subPathExpr and subPath are mutually exclusive");
    add("mount with unknown propagation", POD.replace("{name: data, mountPath: /data}",
            "{name: data, mountPath: /data, mountPropagation: Sideways}"),
        podHead + "spec.containers[0].volumeMounts.mountPropagation: Unsupported value: \"Sideways\": supported values: "
            + "\"Bidirectional\", \"HostToContainer\", \"None\"");
    add("container without image", POD.replace("    image: busybox\n", ""),
        podHead + "spec.containers[0].image: Required value");
    add("duplicate container names", POD + "  initContainers: [{name: app, image: busybox}]\n",
        podHead + "spec.initContainers[0].name: Duplicate value: \"app\"");
    add("ephemeral volume without template", podSource( "ephemeral: {}"),
        podHead + "spec.volumes[0].ephemeral.volumeClaimTemplate: Required value");
    add("ephemeral template without access modes", podSource(
            "ephemeral: {volumeClaimTemplate: {spec: {resources: {requests: {storage: 1Gi}}}}}"),
        podHead + "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes: Required value: at least 1 access mode is required");
    add("ephemeral claim name too long", POD_NO_MOUNT.replace("name: p,", "name: " + "p".repeat(250) + ",")
            .replace("persistentVolumeClaim: {claimName: c}",
                "ephemeral: {volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}"),
        "The Pod \"" + "p".repeat(250) + "\" is invalid: spec.volumes[0].name: Invalid value: \"data\": PVC name \""
            + "p".repeat(250) + "-data\": must be no more than 253 characters");
    add("claim volume naming an ephemeral claim", POD.replace("{claimName: c}", "{claimName: p-scratch}")
            + "  - name: scratch\n    ephemeral: {volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}}\n",
        podHead + "spec.volumes[0].persistentVolumeClaim.claimName: Invalid value: \"p-scratch\": must not reference a PVC "
            + "that gets created for an ephemeral volume");
    add("csi inline volume without driver", podSource( "csi: {readOnly: true}"),
        podHead + "\n* spec.volumes[0].csi.driver: Required value\n* spec.volumes[0].csi.driver: Invalid value: \"\": "
            + SUBDOMAIN);
    add("secret volume with too large default mode", podSource(
            "secret: {secretName: s, defaultMode: 01000}"),
        podHead + "spec.volumes[0].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive");
    add("secret volume without secret name", POD.replace("persistentVolumeClaim: {claimName: c}", "secret: {optional: true}"),
        podHead + "\n* spec.volumes[0].secret.secretName: Required value\n* spec.containers[0].volumeMounts[0].name: Not found: \"data\"");
    add("secret item with negative mode", podSource("secret: {secretName: s, items: [{key: k, path: p, mode: -1}]}"),
        podHead + "spec.volumes[0].secret.items[0].mode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive");
    add("mount of a volume refused by a field constraint", POD.replace("persistentVolumeClaim: {claimName: c}",
            "configMap: {name: c, defaultMode: 4096}"),
        podHead + "\n* spec.volumes[0].configMap.defaultMode: Invalid value: 4096: must be a number between 0 and 0777 (octal), "
            + "both inclusive\n* spec.containers[0].volumeMounts[0].name: Not found: \"data\"");
    add("preferred node term with weight zero", POD + "  affinity:\n    nodeAffinity:\n"
            + "      preferredDuringSchedulingIgnoredDuringExecution: [{weight: 0, preference: {matchExpressions: [{key: a, operator: Exists}]}}]\n",
        podHead + "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: "
            + "must be in the range 1-100");
    add("unknown fsGroupChangePolicy", POD + "  securityContext: {fsGroup: 2000, fsGroupChangePolicy: Sometimes}\n",
        podHead + "spec.securityContext.fsGroupChangePolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnRootMismatch\"");
    add("toleration Exists with a value", POD + "  tolerations: [{key: k, operator: Exists, value: v}]\n",
        podHead + "spec.tolerations[0].operator: Invalid value: {\"key\":\"k\",\"operator\":\"Exists\",\"value\":\"v\"}: "
            + "value must be empty when `operator` is 'Exists'");
    add("toleration with unknown effect", POD + "  tolerations: [{key: k, operator: Equal, value: v, effect: NoRun}]\n",
        podHead + "spec.tolerations[0].effect: Unsupported value: \"NoRun\": supported values: \"NoSchedule\", "
            + "\"PreferNoSchedule\", \"NoExecute\"");
    add("container port zero", POD.replace("    image: busybox\n", "    image: busybox\n    ports: [{containerPort: 0}]\n"),
        podHead + "spec.containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive");
    add("block device from an emptyDir", podSpec("  containers:\n  - name: app\n    image: busybox\n"
            + "    volumeDevices: [{name: scratch, devicePath: /dev/xvda}]\n  volumes: [{name: scratch, emptyDir: {}}]\n"),
        podHead + "spec.containers[0].volumeDevices[0].name: Invalid value: \"scratch\": can only use volume source "
            + "type of PersistentVolumeClaim or Ephemeral for block mode");
    add("node affinity without terms", POD + "  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {}}}\n",
        podHead + "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: "
            + "Required value: must have at least one node selector term");
    add("short-lived projected token", podSource(
            "projected: {sources: [{serviceAccountToken: {path: token, expirationSeconds: 60}}]}"),
        podHead + "spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: "
            + "may not specify a duration less than 10 minutes");
    add("projected sources with the same path", podSource(
            "projected: {sources: [{secret: {name: a, items: [{key: k, path: x}]}}, {configMap: {name: b, items: [{key: k, path: x}]}}]}"),
        podHead + "spec.volumes[0].projected: Invalid value: \"b\": conflicting duplicate paths");
    add("hostPath volume with unknown type", podSource( "hostPath: {path: /var/log, type: Dir}"),
        podHead + "spec.volumes[0].hostPath.type: Unsupported value: \"Dir\": supported values: \"\", \"BlockDevice\", "
            + "\"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"");

    // ---------------------------------------------------------------- storage.k8s.io
    String scHead = "The StorageClass \"fast\" is invalid: ";
    add("class without provisioner", SC.replace("provisioner: hostpath.csi.volumekit.io\n", ""),
        scHead + "provisioner: Required value");
    add("class with Recycle", SC + "reclaimPolicy: Recycle\n",
        scHead + "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"");
    add("class with unknown binding mode", SC + "volumeBindingMode: Lazy\n",
        scHead + "volumeBindingMode: Unsupported value: \"Lazy\": supported values: \"Immediate\", \"WaitForFirstConsumer\"");
    add("class with an empty parameter key", SC + "parameters: {\"\": x}\n",
        scHead + "parameters: Invalid value: \"\": field can not be empty.");
    add("class with an invalid provisioner", SC.replace("hostpath.csi.volumekit.io", "\"my provisioner\""),
        scHead + "provisioner: Invalid value: \"my provisioner\": name part must consist of alphanumeric characters, "
            + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
            + "or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    add("class with a duplicate topology term", SC + "allowedTopologies:\n"
            + "- matchLabelExpressions: [{key: zone, values: [a]}]\n- matchLabelExpressions: [{key: zone, values: [a]}]\n",
        scHead + "allowedTopologies[1].matchLabelExpressions: Duplicate value: \"\"");
    add("class topology requirement without values", SC + "allowedTopologies:\n- matchLabelExpressions: [{key: zone}]\n",
        scHead + "allowedTopologies[0].matchLabelExpressions[0].values: Required value");
    add("class with oversized parameters", SC + "parameters: {big: " + "x".repeat(256 * 1024) + "}\n",
        scHead + "parameters: Too long: must have at most 262144 bytes");
    add("volume attributes class without parameters",
        "apiVersion: storage.k8s.io/v1\nkind: VolumeAttributesClass\nmetadata: {name: gold}\ndriverName: hostpath.csi.volumekit.io\n",
        "The VolumeAttributesClass \"gold\" is invalid: parameters: Required value: must contain at least one key/value pair");
    add("volume attributes class without driver",
        "apiVersion: storage.k8s.io/v1\nkind: VolumeAttributesClass\nmetadata: {name: gold}\nparameters: {iops: \"3000\"}\n",
        "The VolumeAttributesClass \"gold\" is invalid: driverName: Required value");
    add("csi driver with short allocatable update period",
        "apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: hostpath.csi.volumekit.io}\n"
            + "spec: {nodeAllocatableUpdatePeriodSeconds: 5}\n",
        "The CSIDriver \"hostpath.csi.volumekit.io\" is invalid: spec.nodeAllocatableUpdatePeriodSeconds: Invalid value: 5: "
            + "must be greater than or equal to 10 seconds");
    add("csi driver with unknown lifecycle mode",
        "apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: d.example.com}\nspec: {volumeLifecycleModes: [Forever]}\n",
        "The CSIDriver \"d.example.com\" is invalid: spec.volumeLifecycleModes: Unsupported value: \"Forever\": "
            + "supported values: \"Ephemeral\", \"Persistent\"");
    add("csi driver with short token expiry",
        "apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: d.example.com}\n"
            + "spec: {tokenRequests: [{audience: a, expirationSeconds: 60}]}\n",
        "The CSIDriver \"d.example.com\" is invalid: spec.tokenRequests[0].expirationSeconds: Invalid value: 60: "
            + "may not specify a duration less than 10 minutes");
    add("csi node with a long node id",
        "apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata: {name: node-1}\n"
            + "spec: {drivers: [{name: d.example.com, nodeID: " + "n".repeat(129) + "}]}\n",
        "The CSINode \"node-1\" is invalid: spec.drivers[0].nodeID: Invalid value: \"" + "n".repeat(129)
            + "\": must be 128 characters or less");
    add("csi node with an invalid topology key", "apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata: {name: node-1}\n"
            + "spec: {drivers: [{name: d.example.com, nodeID: a, topologyKeys: [\"zone/a/b\"]}]}\n",
        "The CSINode \"node-1\" is invalid: spec.drivers[0]: Invalid value: \"zone/a/b\": a qualified name must consist of "
            + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') "
            + "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    add("csi node with a negative volume limit",
        "apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata: {name: node-1}\n"
            + "spec: {drivers: [{name: d.example.com, nodeID: a, allocatable: {count: -1}}]}\n",
        "The CSINode \"node-1\" is invalid: spec.drivers[0].allocatable.count: Invalid value: -1: must be greater than or equal to 0");
    add("csi node with a driver twice",
        "apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata: {name: node-1}\n"
            + "spec: {drivers: [{name: d.example.com, nodeID: a}, {name: d.example.com, nodeID: b}]}\n",
        "The CSINode \"node-1\" is invalid: spec.drivers[1].name: Duplicate value: \"d.example.com\"");
    add("volume attachment without attacher",
        "apiVersion: storage.k8s.io/v1\nkind: VolumeAttachment\nmetadata: {name: csi-1}\n"
            + "spec: {nodeName: node-1, source: {persistentVolumeName: pv1}}\n",
        "The VolumeAttachment \"csi-1\" is invalid: spec.attacher: Required value");
    add("volume attachment with two sources",
        "apiVersion: storage.k8s.io/v1\nkind: VolumeAttachment\nmetadata: {name: csi-1}\n"
            + "spec: {attacher: d.example.com, nodeName: node-1, source: {persistentVolumeName: pv1, "
            + "inlineVolumeSpec: {csi: {driver: d.example.com, volumeHandle: h}}}}\n",
        "The VolumeAttachment \"csi-1\" is invalid: spec.source: Forbidden: must specify exactly one of "
            + "inlineVolumeSpec and persistentVolumeName");
    add("volume attachment without node", "apiVersion: storage.k8s.io/v1\nkind: VolumeAttachment\nmetadata: {name: csi-1}\n"
            + "spec: {attacher: d.example.com, source: {persistentVolumeName: pv1}}\n",
        "The VolumeAttachment \"csi-1\" is invalid: spec.nodeName: Invalid value: \"\": " + SUBDOMAIN);
    add("storage capacity below zero",
        "apiVersion: storage.k8s.io/v1\nkind: CSIStorageCapacity\nmetadata: {name: cap, namespace: kube-system}\n"
            + "storageClassName: fast\ncapacity: \"-1\"\n",
        "The CSIStorageCapacity \"cap\" is invalid: capacity: Invalid value: \"-1\": must be greater than or equal to 0");

    // ---------------------------------------------------------------- other core kinds
    add("node with unknown taint effect", "apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n"
            + "spec: {taints: [{key: dedicated, value: db, effect: NoRun}]}\n",
        "The Node \"node-1\" is invalid: spec.taints[0].effect: Unsupported value: \"NoRun\": supported values: "
            + "\"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"");
    add("node with a duplicate taint", "apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n"
            + "spec: {taints: [{key: k, effect: NoSchedule}, {key: k, value: v, effect: NoSchedule}]}\n",
        "The Node \"node-1\" is invalid: spec.taints[1]: Duplicate value: {\"key\":\"k\",\"value\":\"v\",\"effect\":\"NoSchedule\"}: "
            + "taints must be unique by key and effect pair");
    add("namespace with a subdomain name", "apiVersion: v1\nkind: Namespace\nmetadata: {name: team.a}\n",
        "The Namespace \"team.a\" is invalid: metadata.name: Invalid value: \"team.a\": " + LABEL);
    add("secret with an invalid key", "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\n"
            + "data: {\"bad key\": YQ==}\n",
        "The Secret \"s\" is invalid: data[bad key]: Invalid value: \"bad key\": a valid config key must consist of "
            + "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used "
            + "for validation is '[-._a-zA-Z0-9]+')");
    add("secret with undecodable data", "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\n"
            + "data: {password: \"hunter2!\"}\n",
        "The Secret \"s\" is invalid: data[password]: Invalid value: \"<secret contents redacted>\": must be base64-encoded");
    add("basic-auth secret without username or password", "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\n"
            + "type: kubernetes.io/basic-auth\ndata: {user: YQ==}\n",
        "The Secret \"s\" is invalid: \n* data[username]: Required value\n* data[password]: Required value");
    add("tls secret without key", "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\n"
            + "type: kubernetes.io/tls\nstringData: {tls.crt: cert}\n",
        "The Secret \"s\" is invalid: data[tls.key]: Required value");
    add("config map key in data and binaryData", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\n"
            + "data: {a: x}\nbinaryData: {a: eA==}\n",
        "The ConfigMap \"c\" is invalid: data[a]: Invalid value: \"a\": duplicate of key present in binaryData");
    add("event with unknown type", "apiVersion: v1\nkind: Event\nmetadata: {name: e, namespace: default}\n"
            + "involvedObject: {kind: Pod, name: p, namespace: default}\ntype: Info\n",
        "The Event \"e\" is invalid: type: Unsupported value: \"Info\": supported values: \"Normal\", \"Warning\"");

    // ---------------------------------------------------------------- snapshots
    add("snapshot with two sources", "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\n"
            + "metadata: {name: snap, namespace: default}\n"
            + "spec: {source: {persistentVolumeClaimName: data, volumeSnapshotContentName: c}}\n",
        "The VolumeSnapshot \"snap\" is invalid: spec.source: Invalid value: \"object\": exactly one of "
            + "volumeSnapshotContentName and persistentVolumeClaimName must be set");
    add("snapshot with empty class name", "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshot\n"
            + "metadata: {name: snap, namespace: default}\n"
            + "spec: {volumeSnapshotClassName: \"\", source: {persistentVolumeClaimName: data}}\n",
        "The VolumeSnapshot \"snap\" is invalid: spec.volumeSnapshotClassName: Invalid value: \"string\": "
            + "volumeSnapshotClassName must not be the empty string when set");
    add("snapshot content with unknown deletion policy", "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotContent\n"
            + "metadata: {name: content}\nspec: {deletionPolicy: Keep, driver: d.example.com, "
            + "volumeSnapshotRef: {name: snap, namespace: default}, source: {snapshotHandle: h}}\n",
        "The VolumeSnapshotContent \"content\" is invalid: spec.deletionPolicy: Unsupported value: \"Keep\": "
            + "supported values: \"Delete\", \"Retain\"");
    add("snapshot content without ref namespace", "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotContent\n"
            + "metadata: {name: content}\nspec: {deletionPolicy: Delete, driver: d.example.com, "
            + "volumeSnapshotRef: {name: snap}, source: {volumeHandle: h}}\n",
        "The VolumeSnapshotContent \"content\" is invalid: spec: Invalid value: \"object\": both "
            + "spec.volumeSnapshotRef.name and spec.volumeSnapshotRef.namespace must be set");
    add("snapshot class without driver", "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\n"
            + "metadata: {name: snaps}\ndeletionPolicy: Delete\n",
        "The VolumeSnapshotClass \"snaps\" is invalid: driver: Required value");
    add("volume populator without a source kind", "apiVersion: populator.storage.k8s.io/v1beta1\nkind: VolumePopulator\n"
            + "metadata: {name: hello}\nsourceKind: {group: hello.example.com}\n",
        "The VolumePopulator \"hello\" is invalid: sourceKind.kind: Required value");
    add("reference grant without to and a from without namespace", "apiVersion: gateway.networking.k8s.io/v1beta1\n"
            + "kind: ReferenceGrant\nmetadata: {name: snaps, namespace: b}\nspec: {from: [{group: '', kind: PersistentVolumeClaim}]}\n",
        "The ReferenceGrant \"snaps\" is invalid: \n* spec.to: Required value\n* spec.from[0].namespace: Required value");
  }

  static Stream<Arguments> cases() {
    return CASES.stream().map(Arguments::of);
  }

  @Test
  void tableHasAtLeastSixtyCases() {
    assertThat(CASES).hasSizeGreaterThanOrEqualTo(60);
    assertThat(CASES.stream().map(Case::name).distinct()).hasSameSizeAs(CASES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedWithTheApiServersWords(Case c) {
    ApiObject object = CODEC.withMode(ObjectCodec.Mode.STRICT).decode(c.yaml()).single();
    assertThatThrownBy(() -> Validation.check(object))
        .isInstanceOf(InvalidObjectException.class)
        .hasMessage(c.message());
  }

  @Test
  void validBaseObjectsPass() {
    for (String yaml : List.of(PVC, PV, POD, SC, PVC.replace("name: data, ", "generateName: data-, "))) {
      assertThat(Validation.validate(CODEC.decode(yaml).single())).isEmpty();
    }
  }

  @Test
  void serverMessageJoinsErrorsInBrackets() {
    ApiObject o = CODEC.decode(pvc("  volumeMode: Block\n")).single();
    InvalidObjectException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidObjectException.class,
        () -> Validation.check(o));
    assertThat(e.serverMessage()).isEqualTo("PersistentVolumeClaim \"data\" is invalid: [spec.accessModes: Required "
        + "value: at least 1 access mode is required, spec.resources[storage]: Required value]");
    assertThat(e.errors()).extracting(FieldError::type).containsExactly(ErrorType.REQUIRED, ErrorType.REQUIRED);
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("spec.accessModes", "spec.resources[storage]");
  }
}
