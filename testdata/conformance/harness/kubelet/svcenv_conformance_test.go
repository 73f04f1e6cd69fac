// The conformance harness: added to k8s.io/kubernetes/pkg/kubelet with
// `go test -overlay` (testdata/conformance/run_kubelet.sh writes the overlay),
// so it calls the kubelet's real makeEnvironmentVariables and
// kubecontainer.ExpandContainerCommandAndArgs with the kubelet's own test
// scaffolding (newTestKubelet, testServiceLister, testNodeLister, the fake
// clientset behind the simple ConfigMap and Secret managers). Nothing of the
// kubelet is copied: this file is compiled inside the downloaded module.
//
// SVCENV_CASES names a JSON Lines file of cases (docs/conformance.md);
// SVCENV_OUT receives one JSON line per case with what the kubelet returned.
package kubelet

import (
	"bufio"
	"encoding/json"
	"os"
	"sort"
	"testing"

	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	core "k8s.io/client-go/testing"
	corev1defaults "k8s.io/kubernetes/pkg/apis/core/v1"
	kubecontainer "k8s.io/kubernetes/pkg/kubelet/container"
	netutils "k8s.io/utils/net"
)

type svcenvCase struct {
	Name       string          `json:"name"`
	Pod        *v1.Pod         `json:"pod"`
	Container  string          `json:"container"`
	Services   *[]*v1.Service  `json:"services"`
	ConfigMaps []*v1.ConfigMap `json:"configMaps"`
	Secrets    []*v1.Secret    `json:"secrets"`
	Node       struct {
		HostIPs     []string        `json:"hostIPs"`
		NodeIPs     []string        `json:"nodeIPs"`
		Allocatable v1.ResourceList `json:"allocatable"`
	} `json:"node"`
	PodIPs []string `json:"podIPs"`
}

type svcenvResult struct {
	Name    string            `json:"name"`
	Env     map[string]string `json:"env"`
	Error   *string           `json:"error"`
	Command []string          `json:"command"`
	Args    []string          `json:"args"`
	// Service variables two Services of different names produce with
	// different values: the kubelet's winner depends on Go map order.
	Ambiguous map[string][]string `json:"ambiguous,omitempty"`
}

func TestSvcenvConformance(t *testing.T) {
	in, out := os.Getenv("SVCENV_CASES"), os.Getenv("SVCENV_OUT")
	if in == "" || out == "" {
		t.Skip("SVCENV_CASES and SVCENV_OUT not set")
	}
	cases, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer cases.Close()
	sink, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	writer := bufio.NewWriter(sink)
	defer writer.Flush()

	testKubelet := newTestKubelet(t, false /* controllerAttachDetachEnabled */)
	defer testKubelet.Cleanup()
	kl := testKubelet.kubelet
	// A missing object is NotFound with the resource named as the kubelet's
	// default (Watch) ConfigMap and Secret managers name it
	// (NewWatchingConfigMapManager: corev1.Resource("configmap")): the simple
	// managers newTestKubelet installs would pass the fake API's text on.
	var current *svcenvCase
	testKubelet.fakeKubeClient.AddReactor("get", "configmaps", func(action core.Action) (bool, runtime.Object, error) {
		get := action.(core.GetAction)
		for _, cm := range current.ConfigMaps {
			if cm.Name == get.GetName() && (cm.Namespace == "" || cm.Namespace == get.GetNamespace()) {
				return true, cm, nil
			}
		}
		return true, nil, apierrors.NewNotFound(v1.Resource("configmap"), get.GetName())
	})
	testKubelet.fakeKubeClient.AddReactor("get", "secrets", func(action core.Action) (bool, runtime.Object, error) {
		get := action.(core.GetAction)
		for _, s := range current.Secrets {
			if s.Name == get.GetName() && (s.Namespace == "" || s.Namespace == get.GetNamespace()) {
				return true, s, nil
			}
		}
		return true, nil, apierrors.NewNotFound(v1.Resource("secret"), get.GetName())
	})

	scanner := bufio.NewScanner(cases)
	scanner.Buffer(make([]byte, 1<<20), 64<<20)
	for scanner.Scan() {
		var c svcenvCase
		if err := json.Unmarshal(scanner.Bytes(), &c); err != nil {
			t.Fatalf("case line: %v", err)
		}
		current = &c
		result := svcenvRun(t, kl, &c)
		line, err := json.Marshal(result)
		if err != nil {
			t.Fatal(err)
		}
		writer.Write(line)
		writer.WriteString("\n")
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}
}

func svcenvRun(t *testing.T, kl *Kubelet, c *svcenvCase) svcenvResult {
	// What the kubelet sees is what the API server stored: its defaulting.
	corev1defaults.SetObjectDefaults_Pod(c.Pod)
	var services []*v1.Service
	if c.Services != nil {
		services = *c.Services
		for _, s := range services {
			corev1defaults.SetObjectDefaults_Service(s)
		}
		kl.serviceLister = testServiceLister{services}
	} else {
		kl.serviceLister = nil
	}
	kl.serviceHasSynced = func() bool { return true }
	node := &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: string(kl.nodeName)}}
	for _, ip := range c.Node.HostIPs {
		node.Status.Addresses = append(node.Status.Addresses, v1.NodeAddress{Type: v1.NodeInternalIP, Address: ip})
	}
	node.Status.Allocatable = c.Node.Allocatable
	if node.Status.Allocatable == nil {
		node.Status.Allocatable = v1.ResourceList{}
	}
	kl.nodeLister = testNodeLister{nodes: []*v1.Node{node}}
	// --node-ip: sortPodIPs puts its first family first.
	kl.nodeIPs = nil
	for _, ip := range c.Node.NodeIPs {
		kl.nodeIPs = append(kl.nodeIPs, netutils.ParseIPSloppy(ip))
	}

	container := svcenvFindContainer(c.Pod, c.Container)
	podIP := ""
	if len(c.PodIPs) > 0 {
		podIP = c.PodIPs[0]
	}
	result := svcenvResult{Name: c.Name}
	envs, err := svcenvMakeEnv(t, kl, c.Pod, container, podIP, c.PodIPs)
	if err != nil {
		text := err.Error()
		result.Error = &text
		return result
	}
	result.Env = map[string]string{}
	for _, e := range envs {
		result.Env[e.Name] = e.Value
	}
	result.Command, result.Args = kubecontainer.ExpandContainerCommandAndArgs(container, envs)
	if result.Command == nil {
		result.Command = []string{}
	}
	if result.Args == nil {
		result.Args = []string{}
	}
	result.Ambiguous = svcenvAmbiguous(kl, c.Pod, services)
	return result
}

// svcenvAmbiguous asks the kubelet's getServiceEnvVarMap for the variables
// of each Service name alone (all Services of that name, so the kubelet
// itself settles default/kubernetes against a namespace's own "kubernetes")
// and lists every variable that two names give different values.
func svcenvAmbiguous(kl *Kubelet, pod *v1.Pod, services []*v1.Service) map[string][]string {
	byName := map[string][]*v1.Service{}
	for _, s := range services {
		byName[s.Name] = append(byName[s.Name], s)
	}
	values := map[string]map[string]bool{}
	for _, group := range byName {
		kl.serviceLister = testServiceLister{group}
		m, err := kl.getServiceEnvVarMap(pod.Namespace, *pod.Spec.EnableServiceLinks)
		if err != nil {
			continue
		}
		for k, v := range m {
			if values[k] == nil {
				values[k] = map[string]bool{}
			}
			values[k][v] = true
		}
	}
	kl.serviceLister = testServiceLister{services}
	ambiguous := map[string][]string{}
	for k, set := range values {
		if len(set) < 2 {
			continue
		}
		for v := range set {
			ambiguous[k] = append(ambiguous[k], v)
		}
		sort.Strings(ambiguous[k])
	}
	return ambiguous
}

func svcenvFindContainer(pod *v1.Pod, name string) *v1.Container {
	for i := range pod.Spec.Containers {
		if name == "" || pod.Spec.Containers[i].Name == name {
			return &pod.Spec.Containers[i]
		}
	}
	for i := range pod.Spec.InitContainers {
		if pod.Spec.InitContainers[i].Name == name {
			return &pod.Spec.InitContainers[i]
		}
	}
	return &pod.Spec.Containers[0]
}

