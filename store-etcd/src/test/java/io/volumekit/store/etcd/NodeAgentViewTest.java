package io.volumekit.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.codec.ObjectCodec;
import io.volumekit.model.core.Pod;
import io.volumekit.model.meta.ApiObject;
import io.volumekit.testkit.etcd.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node agent's store ({@link EtcdStore.Builder#podsOfNodes}) lists and watches only its nodes'
 * pods, as the kubelet's pod watch with {@code spec.nodeName=<node>}: other pods never reach it,
 * not even as watch events.
 */
class NodeAgentViewTest {

  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(30);
  @RegisterExtension
  static final EtcdServer.PerClass ETCD = new EtcdServer.PerClass();

  private final String prefix = "/volumekit/agent-view-" + CLUSTERS.incrementAndGet();
  private final List<EtcdStore> opened = new ArrayList<>();
  /** Every change the agent's store reported, drained by {@link #agentChanges}. */
  private final List<Change> heard = new ArrayList<>();

  @AfterEach
  void closeStores() {
    opened.forEach(EtcdStore::close);
  }

  private EtcdStore open(String... nodes) {
    return openAt(prefix, nodes);
  }

  private EtcdStore openAt(String prefix, String... nodes) {
    EtcdStore.Builder b = EtcdStore.connect(ETCD.server().endpoint()).prefix(prefix)
        .operationFormat(new SameJvmOperationFormat());
    EtcdStore s = (nodes.length == 0 ? b : b.podsOfNodes(nodes)).open();
    opened.add(s);
    return s;
  }

  private static ApiObject decode(String yaml) {
    return ObjectCodec.standard().decode(yaml).single();
  }

  private static Pod pod(String name, Optional<String> node) {
    Pod p = (Pod) decode("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default}
        spec:
          containers: [{name: app, image: busybox}]
        """.formatted(name));
    return p.withSpec(p.spec().withNodeName(node));
  }

  private static ApiObject node(String name) {
    return decode("apiVersion: v1\nkind: Node\nmetadata: {name: %s}\n".formatted(name));
  }

  private static ObjectKey podKey(String name) {
    return new ObjectKey(Pod.KIND, "default", name);
  }

  private static List<String> pods(EtcdStore store) {
    return store.state().list(Pod.KIND).stream().map(o -> o.metadata().name()).sorted().toList();
  }

  /** The pods named in every change the agent reported so far (drained), in order. */
  private List<String> agentChanges(EtcdStore agent) {
    heard.addAll(agent.drainChanges());
    return heard.stream().filter(c -> c.key().kind().equals(Pod.KIND)).map(c -> c.type() + " " + c.key().name())
        .toList();
  }

  @Test
  void anAgentListsAndWatchesOnlyItsNodesPodsAndEveryOtherObject() throws Exception {
    EtcdStore cp = open();
    cp.create(node("node-1"));
    cp.create(node("node-2"));
    cp.create(pod("listed-1", Optional.of("node-1")));
    cp.create(pod("listed-2", Optional.of("node-2")));
    cp.create(pod("listed-unscheduled", Optional.empty()));
    EtcdStore agent = open("node-1");
    cp.create(pod("watched-1", Optional.of("node-1")));
    cp.create(pod("watched-2", Optional.of("node-2")));
    cp.create(pod("watched-unscheduled", Optional.empty()));
    cp.create(node("node-3"));
    agent.awaitCurrent(WAIT);

    assertThat(pods(agent)).containsExactly("listed-1", "watched-1");
    assertThat(agent.state().list("Node")).hasSize(3);
    assertThat(agentChanges(agent)).containsExactlyInAnyOrder("ADDED listed-1", "ADDED watched-1");
    assertThat(agent.get(podKey("watched-1"))).isEqualTo(cp.get(podKey("watched-1")));
    assertThat(pods(cp)).hasSize(6);
  }

  @Test
  void aPodScheduledOntoTheNodeLaterAppearsAndDisappearsWhenDeleted() throws Exception {
    EtcdStore cp = open();
    EtcdStore agent = open("node-1");
    Pod waiting = (Pod) cp.create(pod("web", Optional.empty()));
    Pod elsewhere = (Pod) cp.create(pod("db", Optional.empty()));
    agent.awaitCurrent(WAIT);
    assertThat(pods(agent)).isEmpty();

    ApiObject scheduled = cp.update(waiting.withSpec(waiting.spec().withNodeName(Optional.of("node-1"))));
    cp.update(elsewhere.withSpec(elsewhere.spec().withNodeName(Optional.of("node-2"))));
    agent.awaitCurrent(WAIT);
    assertThat(agent.get(podKey("web"))).contains(scheduled);
    assertThat(pods(agent)).containsExactly("web");
    assertThat(copy("node-1", "web")).map(KeyValue::getModRevision)
        .contains(Long.parseLong(scheduled.metadata().resourceVersion().orElseThrow()));

    cp.delete(podKey("web"), Optional.empty());
    cp.delete(podKey("db"), Optional.empty());
    agent.awaitCurrent(WAIT);
    assertThat(pods(agent)).isEmpty();
    assertThat(agentChanges(agent)).containsExactly("ADDED web", "DELETED web");
    assertThat(copy("node-1", "web")).isEmpty();
    assertThat(copy("node-2", "db")).isEmpty();
  }

  @Test
  void anAgentWritesItsPodsWithTheirCopyAndDoesNotKeepAnotherNodesPod() throws Exception {
    EtcdStore cp = open();
    EtcdStore agent = open("node-1");
    cp.create(pod("mine", Optional.of("node-1")));
    agent.awaitCurrent(WAIT);
    Pod mine = (Pod) agent.get(podKey("mine")).orElseThrow();
    ApiObject running = agent.update(mine.withStatus(mine.status().withPhase(Optional.of("Running"))));
    ApiObject foreign = agent.create(pod("theirs", Optional.of("node-2")));

    assertThat(agent.get(podKey("mine"))).contains(running);
    assertThat(agent.get(podKey("theirs"))).isEmpty();
    assertThat(agentChanges(agent)).containsExactly("ADDED mine", "MODIFIED mine");
    cp.awaitCurrent(WAIT);
    assertThat(cp.get(podKey("mine"))).contains(running);
    assertThat(cp.get(podKey("theirs"))).contains(foreign);
    assertThat(copy("node-1", "mine").orElseThrow().getValue().toString(StandardCharsets.UTF_8)).contains("Running");
    agent.awaitCurrent(WAIT);
    assertThat(agent.get(podKey("theirs"))).isEmpty();
  }

  @Test
  void aWatchBehindACompactionListsItsNodesPodsAgain() throws Exception {
    EtcdStore cp = open();
    EtcdStore agent = open("node-1");
    Pod kept = (Pod) cp.create(pod("kept", Optional.of("node-1")));
    cp.create(pod("gone", Optional.of("node-1")));
    Pod later = (Pod) cp.create(pod("later", Optional.empty()));
    agent.awaitCurrent(WAIT);
    agentChanges(agent);
    heard.clear();
    agent.suspendWatch();

    ApiObject keptNow = cp.update(kept.withStatus(kept.status().withPhase(Optional.of("Running"))));
    cp.delete(podKey("gone"), Optional.empty());
    cp.update(later.withSpec(later.spec().withNodeName(Optional.of("node-1"))));
    cp.create(pod("other", Optional.of("node-2")));
    ApiObject last = cp.create(pod("added", Optional.of("node-1")));
    try (Client raw = Client.builder().endpoints(ETCD.server().endpoint()).build()) {
      raw.getKVClient().compact(Long.parseLong(last.metadata().resourceVersion().orElseThrow()))
          .get(10, TimeUnit.SECONDS);
    }
    CountDownLatch relisted = new CountDownLatch(1);
    agent.onRemoteChange(() -> {
      if (agent.get(podKey("added")).isPresent()) {
        relisted.countDown();
      }
    });
    agent.resumeWatch(); // from a compacted revision: every range's watch fails, the store lists again once
    assertThat(relisted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    assertThat(pods(agent)).containsExactly("added", "kept", "later");
    assertThat(agent.get(podKey("kept"))).contains(keptNow);
    assertThat(agentChanges(agent)).containsExactlyInAnyOrder("MODIFIED kept", "DELETED gone", "ADDED later",
        "ADDED added");
    cp.create(pod("after", Optional.of("node-1")));
    cp.create(pod("after-2", Optional.of("node-2")));
    agent.awaitCurrent(WAIT);
    assertThat(pods(agent)).containsExactly("added", "after", "kept", "later");
  }

  @Test
  void anAgentsWatchesResumeAfterEtcdRestarts() throws Exception {
    EtcdStore cp = open();
    EtcdStore agent = open("node-1");
    cp.create(pod("before", Optional.of("node-1")));
    agent.awaitCurrent(WAIT);
    ETCD.server().restart();
    EtcdStoreTest.retryUnavailable(() -> cp.create(pod("after", Optional.of("node-1"))));
    cp.create(pod("other", Optional.of("node-2")));
    agent.awaitCurrent(WAIT);
    assertThat(pods(agent)).containsExactly("after", "before");
    assertThat(agentChanges(agent)).containsExactly("ADDED before", "ADDED after");
  }

  /**
   * Whatever pods are created, scheduled, updated and deleted, an agent's snapshot (watched, and
   * listed afresh) equals the whole cluster's pods of its node, and no change it reported was
   * about another node's pod.
   */
  @Test
  void anAgentsPodsAreTheClustersPodsOfItsNode() {
    String[] nodes = {"", "node-1", "node-2"};
    qt().withExamples(12).forAll(lists().of(integers().between(0, 47)).ofSizeBetween(1, 12)).checkAssert(ops -> {
      String cluster = prefix + "-" + CLUSTERS.incrementAndGet();
      EtcdStore cp = openAt(cluster);
      EtcdStore agent = openAt(cluster, "node-1");
      try {
        List<Change> reported = new ArrayList<>();
        for (int op : ops) {
          ObjectKey key = podKey("p" + (op / 4) % 4);
          Optional<String> node = Optional.of(nodes[(op / 16) % 3]).filter(n -> !n.isEmpty());
          Optional<Pod> current = cp.get(key).map(Pod.class::cast);
          switch (op % 4) {
            case 0 -> {
              if (current.isEmpty()) {
                cp.create(pod(key.name(), node));
              }
            }
            case 1 -> current.filter(p -> p.nodeName().isEmpty())
                .ifPresent(p -> cp.update(p.withSpec(p.spec().withNodeName(node))));
            case 2 -> current.ifPresent(p -> cp.update(p.withStatus(p.status().withPhase(Optional.of("Phase" + op)))));
            default -> current.ifPresent(p -> cp.delete(key, Optional.empty()));
          }
          reported.addAll(agent.drainChanges());
        }
        awaitCurrent(agent);
        reported.addAll(agent.drainChanges());
        List<ApiObject> expected = cp.state().list(Pod.KIND).stream()
            .filter(p -> ((Pod) p).nodeName().equals(Optional.of("node-1"))).toList();
        assertThat(agent.state().list(Pod.KIND)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(openAt(cluster, "node-1").state().list(Pod.KIND)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(reported).filteredOn(c -> c.key().kind().equals(Pod.KIND))
            .allSatisfy(c -> assertThat(c.before().or(c::after).map(p -> ((Pod) p).nodeName()).orElseThrow())
                .contains("node-1"));
      } finally {
        opened.forEach(EtcdStore::close);
        opened.clear();
      }
    });
  }

  private static void awaitCurrent(EtcdStore store) {
    try {
      store.awaitCurrent(WAIT);
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  /** The copy of a pod under its node, read directly from etcd. */
  private Optional<KeyValue> copy(String node, String pod) throws Exception {
    try (Client raw = Client.builder().endpoints(ETCD.server().endpoint()).build()) {
      List<KeyValue> kvs = raw.getKVClient().get(ByteSequence.from(prefix + "/_pods-by-node/" + node + "/default/" + pod,
          StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS).getKvs();
      return kvs.stream().findFirst();
    }
  }
}
