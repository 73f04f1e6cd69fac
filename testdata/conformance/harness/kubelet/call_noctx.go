// makeEnvironmentVariables without a context (kubelet 1.34 and 1.35).
package kubelet

import (
	"testing"

	v1 "k8s.io/api/core/v1"
	kubecontainer "k8s.io/kubernetes/pkg/kubelet/container"
)

func svcenvMakeEnv(_ *testing.T, kl *Kubelet, pod *v1.Pod, container *v1.Container, podIP string, podIPs []string) ([]kubecontainer.EnvVar, error) {
	return kl.makeEnvironmentVariables(pod, container, podIP, podIPs, kubecontainer.VolumeMap{})
}
