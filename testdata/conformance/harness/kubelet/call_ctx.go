// makeEnvironmentVariables with a context (kubelet 1.36 and later).
package kubelet

import (
	"testing"

	v1 "k8s.io/api/core/v1"
	kubecontainer "k8s.io/kubernetes/pkg/kubelet/container"
	"k8s.io/kubernetes/test/utils/ktesting"
)

func svcenvMakeEnv(t *testing.T, kl *Kubelet, pod *v1.Pod, container *v1.Container, podIP string, podIPs []string) ([]kubecontainer.EnvVar, error) {
	return kl.makeEnvironmentVariables(ktesting.Init(t), pod, container, podIP, podIPs, kubecontainer.VolumeMap{})
}
