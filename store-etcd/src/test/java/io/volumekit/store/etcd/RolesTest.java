package io.volumekit.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.Role;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.testkit.etcd.EtcdServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control plane and a node agent in two engines on one etcd: the control plane provisions,
 * schedules and attaches; the agent of node-1, whose store holds only node-1's pods, stages and
 * mounts its pods and no other node's.
 */
class RolesTest {

  private static final String DRIVER = "memory.csi.volumekit.io";
  private static final Duration WAIT = Duration.ofSeconds(30);
  @RegisterExtension
  static final EtcdServer.PerClass ETCD = new EtcdServer.PerClass();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @TempDir
  Path kubelet;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private EtcdStore open(String... podsOfNodes) {
    EtcdStore.Builder b = EtcdStore.connect(ETCD.server().endpoint()).prefix("/volumekit/roles")
        .operationFormat(new SameJvmOperationFormat());
    EtcdStore s = (podsOfNodes.length == 0 ? b : b.podsOfNodes(podsOfNodes)).open();
    opened.add(s);
    return s;
  }

  private static ApiObject decode(String yaml) {
    return ObjectCodec.standard().decode(yaml).single();
  }

  private static ApiObject pod(String name, String node, String claim) {
    return decode("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default}
        spec:
          nodeName: %s
          containers: [{name: app, image: busybox, volumeMounts: [{name: data, mountPath: /data}]}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: %s}}]
        """.formatted(name, node, claim));
  }

  private static ApiObject claim(String name) {
    return decode("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: %s, namespace: default}
        spec:
          storageClassName: fast
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """.formatted(name));
  }

  @Test
  void theControlPlaneAndANodeAgentShareTheWork() throws Exception {
    InMemoryCsiDriver backend = new InMemoryCsiDriver();
    EtcdStore cpStore = open();
    EtcdStore agentStore = open("node-1"); // as serve --node opens it: only node-1's pods
    VolumeKit cp = VolumeKit.builder().driver(DRIVER, backend).role(Role.controlPlane())
        .kubeletRoot(Files.createDirectories(kubelet.resolve("cp"))).store(c -> cpStore).build();
    VolumeKit agent = VolumeKit.builder().driver(DRIVER, backend).role(Role.nodeAgent("node-1"))
        .kubeletRoot(Files.createDirectories(kubelet.resolve("node-1"))).store(c -> agentStore).build();
    assertThat(cp.runtime().controllers()).extracting(Controller::name)
        .doesNotContain("kubelet-pod-volumes", "kubelet-device-staging", "plugin-manager")
        .contains("binding");
    assertThat(agent.runtime().controllers()).extracting(Controller::name)
        .containsExactlyInAnyOrder("plugin-manager", "kubelet-pod-volumes", "kubelet-device-staging",
            "kubelet-orphan-sweeper");

    agent.apply(decode("apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n"));
    agent.apply(decode("apiVersion: v1\nkind: Node\nmetadata: {name: node-2}\n"));
    cp.apply(decode("""
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: fast}
        provisioner: %s
        """.formatted(DRIVER)));
    cp.apply(claim("a"));
    cp.apply(claim("b"));
    cp.apply(pod("on-1", "node-1", "a"));
    cp.apply(pod("on-2", "node-2", "b"));

    for (int round = 0; round < 10 && !running(agent, "on-1"); round++) {
      cpStore.awaitCurrent(WAIT);
      cp.settle();
      agentStore.awaitCurrent(WAIT);
      agent.settle();
    }
    cpStore.awaitCurrent(WAIT);
    assertThat(running(cp, "on-1")).isTrue();
    assertThat(running(cp, "on-2")).isFalse(); // node-2 has no agent: nothing mounts its volume
    assertThat(agent.get(Pod.class, "default", "on-2")).isEmpty(); // never reached the agent
    assertThat(Files.exists(kubelet.resolve("node-1"))).isTrue();
  }

  private static boolean running(VolumeKit kit, String pod) {
    return kit.get(Pod.class, "default", pod).flatMap(p -> p.status().phase()).filter("Running"::equals).isPresent();
  }
}
