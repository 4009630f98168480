/**
 * The SELinux warning controller of kube-controller-manager ({@link
 * io.volumekit.core.selinuxwarning.SELinuxWarningController}): events on pods that share a volume
 * but want it with different SELinux labels or change policies, before they meet on one node.
 */
package io.volumekit.core.selinuxwarning;
