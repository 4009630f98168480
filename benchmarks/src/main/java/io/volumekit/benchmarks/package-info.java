/** volumekit benchmarks module. */
package io.volumekit.benchmarks;
