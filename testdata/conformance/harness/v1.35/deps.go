// Package deps keeps the kubelet package, whose tests the harness extends
// (../kubelet/svcenv_conformance_test.go), in this module's build list.
package deps

import _ "k8s.io/kubernetes/pkg/kubelet"
