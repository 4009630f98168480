/**
 * Image volume pullers for tests: {@link io.volumekit.testkit.image.OciLayoutImagePuller} fills a
 * pod's {@code image} volume from local OCI image layouts.
 */
package io.volumekit.testkit.image;
