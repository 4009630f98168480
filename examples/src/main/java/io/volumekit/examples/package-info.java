/**
 * Small programs that embed volumekit; each has a {@code main} and a {@code run(...)} method that
 * returns what it observed (the module's tests run them, so they keep working).
 *
 * <ul>
 *   <li>{@link io.volumekit.examples.BindAndMount}: static and dynamic provisioning with the
 *       in-memory CSI driver, objects built in Java; the pod's host paths from {@code podVolumes}.
 *   <li>{@link io.volumekit.examples.RealCsiDriver}: the hostpath driver served on a unix socket,
 *       driven through {@code GrpcCsiDriver}; a file written through the pod's mount lands in the
 *       driver's volume.
 *   <li>{@link io.volumekit.examples.HelloPopulator}: a volume populator plugged in with {@code
 *       VolumeKit.builder().populator(...)}; a claim with a {@code Hello} data source gets a volume
 *       that already holds the file, with the hostpath driver.
 *   <li>{@link io.volumekit.examples.WatchEvents}: reacting to changes and Kubernetes Events with
 *       {@code watch}.
 * </ul>
 *
 * <p>{@link io.volumekit.examples.Kubectl} decodes YAML manifests as {@code kubectl apply -f} does
 * (with the model's codec, namespace {@code default} filled in). The YAML examples are in
 * {@code examples/manifests}; see the README there.
 *
 * <pre>
 * mvn -q -pl examples compile exec:java -Dexec.mainClass=io.volumekit.examples.RealCsiDriver
 * </pre>
 */
package io.volumekit.examples;
