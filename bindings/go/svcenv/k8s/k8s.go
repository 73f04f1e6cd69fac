// Package k8s computes a container's environment from client-go's typed
// objects (*corev1.Pod, *corev1.Service, ConfigMaps and Secrets through
// lister-style getters) and returns []corev1.EnvVar with where each value
// came from. It wraps package svcenv (the JSON API over the C library) and
// is a module of its own, so that users of the JSON API do not get the
// k8s.io/api dependency.
//
// A node agent feeds an Index from its Service informer and asks for a
// container's environment when it starts the container:
//
//	index := k8s.NewIndex()
//	defer index.Close()
//	// Service informer: index.Upsert(svc) on add/update, index.Delete on delete.
//	res, err := index.ContainerEnv(pod, "app", k8s.Lookups{
//		ConfigMap: func(ns, name string) (*corev1.ConfigMap, error) {
//			return configMapLister.ConfigMaps(ns).Get(name)
//		},
//		Secret: func(ns, name string) (*corev1.Secret, error) {
//			return secretLister.Secrets(ns).Get(name)
//		},
//	}, nil)
//	if svcenv.IsRefused(err) { ... } // the kubelet would refuse the container
//	for i, v := range res.Env { fmt.Println(v.Name, v.Value, res.Sources[i].Kind) }
//
// Building: cgo, as package svcenv (PKG_CONFIG_PATH at an installed svcenv;
// bindings/go/README.md).
//
// Thread safety: an Index may be used from any number of goroutines at once.
package k8s

import (
	"encoding/json"
	"fmt"
	"reflect"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"

	"svcenv/bindings/go/svcenv"
)

// ConfigMapGetter returns a ConfigMap by namespace and name, as
// lister.ConfigMaps(ns).Get(name) does: an error for which
// apierrors.IsNotFound holds means it does not exist (the kubelet's rules
// for a missing one then apply); any other error fails the call.
type ConfigMapGetter func(namespace, name string) (*corev1.ConfigMap, error)

// SecretGetter is ConfigMapGetter for Secrets.
type SecretGetter func(namespace, name string) (*corev1.Secret, error)

// NodeGetter returns a Node by name (for status.hostIP and unset
// resourceFieldRef limits, which the kubelet reads from the pod's node).
type NodeGetter func(name string) (*corev1.Node, error)

// Lookups are where ContainerEnv reads the objects the container refers
// to. A nil getter reads nothing: references to that kind find no object.
type Lookups struct {
	ConfigMap ConfigMapGetter
	Secret    SecretGetter
	Node      NodeGetter
}

// Provenance says where one variable's value came from.
type Provenance struct {
	// "Service", "ConfigMap", "Secret", "value", "fieldRef",
	// "resourceFieldRef", ... (docs/env.md).
	Kind      string
	Namespace string // Of the Service, ConfigMap or Secret.
	Name      string // Its name.
	Key       string // The ConfigMap or Secret key.
	// Where in the container spec: "env[2]", "envFrom[0]"; empty for a
	// Service variable.
	Path string
	// The library's whole source object (port, prefix, references, ...).
	Raw map[string]interface{}
}

// String is the provenance as svcenv env prints it: "ConfigMap
// shop/web-config key LOG_LEVEL", "Service shop/api", "env[2] value".
func (p Provenance) String() string {
	switch p.Kind {
	case "ConfigMap", "Secret":
		return fmt.Sprintf("%s %s/%s key %s", p.Kind, p.Namespace, p.Name, p.Key)
	case "Service":
		return fmt.Sprintf("Service %s/%s", p.Namespace, p.Name)
	}
	if p.Path != "" {
		return p.Path + " " + p.Kind
	}
	return p.Kind
}

// Result is one container's environment.
type Result struct {
	// In the order the container receives them; Secret-derived values are
	// "<secret ...>" placeholders unless Options.ShowSecrets.
	Env []corev1.EnvVar
	// Sources[i] is where Env[i] came from.
	Sources []Provenance
	// Command and Args with $(VAR) expanded, as the kubelet runs them.
	Command, Args []string
	Warnings      []string
}

// Index is an incremental index of Services (svcenv.Index) fed with typed
// objects.
type Index struct{ ix *svcenv.Index }

// NewIndex returns an empty index; Close it when done.
func NewIndex() *Index { return &Index{ix: svcenv.NewIndex()} }

// Close frees the index.
func (x *Index) Close() { x.ix.Close() }

// Len is the number of Services in the index.
func (x *Index) Len() int { return x.ix.Len() }

// Upsert adds or replaces a Service.
func (x *Index) Upsert(svc *corev1.Service) error {
	data, err := marshal(svc, "Service")
	if err != nil {
		return err
	}
	return x.ix.Upsert(data)
}

// Delete removes a Service; svcenv.IsNotFound(err) when the index lacks it.
func (x *Index) Delete(namespace, name string) error { return x.ix.Delete(namespace, name) }

// ContainerEnv computes the environment of container (its name; "" for the
// first app container) of pod with the Services in the index, reading each
// ConfigMap and Secret the container refers to (and the pod's Node) through
// lookups. svcenv.IsRefused(err) when the kubelet would refuse to create it.
func (x *Index) ContainerEnv(pod *corev1.Pod, container string, lookups Lookups, opts *svcenv.Options) (*Result, error) {
	podJSON, err := marshal(pod, "Pod")
	if err != nil {
		return nil, err
	}
	objects, err := referencedObjects(pod, container, lookups)
	if err != nil {
		return nil, err
	}
	env, err := x.ix.ContainerEnv(podJSON, container, objects, opts)
	if err != nil {
		return nil, err
	}
	res := &Result{Command: env.Command, Args: env.Args, Warnings: env.Warnings}
	for _, v := range env.Env {
		res.Env = append(res.Env, corev1.EnvVar{Name: v.Name, Value: v.Value})
		res.Sources = append(res.Sources, provenance(v.Source))
	}
	return res, nil
}

// ContainerEnv is Index.ContainerEnv with the Services given as a slice
// (those of the pod's namespace and default/kubernetes, as the kubelet
// reads them; others are ignored).
func ContainerEnv(pod *corev1.Pod, container string, services []*corev1.Service, lookups Lookups, opts *svcenv.Options) (*Result, error) {
	x := NewIndex()
	defer x.Close()
	for _, s := range services {
		if err := x.Upsert(s); err != nil {
			return nil, err
		}
	}
	return x.ContainerEnv(pod, container, lookups, opts)
}

// marshal is the object as `kubectl get -o json` prints it. Objects from an
// informer's cache have an empty TypeMeta, which the library needs to tell
// kinds apart: apiVersion and kind are then written in front of the
// object's JSON, without copying the object.
func marshal(obj interface{}, kind string) ([]byte, error) {
	o, ok := obj.(runtime.Object)
	if !ok {
		return nil, fmt.Errorf("svcenv/k8s: cannot marshal %T", obj)
	}
	if v := reflect.ValueOf(o); v.Kind() == reflect.Pointer && v.IsNil() {
		return nil, fmt.Errorf("svcenv/k8s: nil %s", kind)
	}
	data, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	if o.GetObjectKind().GroupVersionKind().Kind != "" {
		return data, nil
	}
	head := fmt.Sprintf(`{"apiVersion":"v1","kind":%q`, kind)
	if len(data) > 2 { // Not `{}`: more fields follow.
		head += ","
	}
	return append([]byte(head), data[1:]...), nil
}

// referencedObjects fetches what the container refers to, as one List.
func referencedObjects(pod *corev1.Pod, container string, lookups Lookups) ([]byte, error) {
	if pod == nil {
		return nil, fmt.Errorf("svcenv/k8s: nil Pod")
	}
	var c *corev1.Container
	all := append(append([]corev1.Container{}, pod.Spec.InitContainers...), pod.Spec.Containers...)
	for i := range all {
		if (container == "" && i == len(pod.Spec.InitContainers)) || all[i].Name == container {
			c = &all[i]
			break
		}
	}
	if c == nil {
		// The library reports a missing container with the pod's names.
		return nil, nil
	}
	ns := pod.Namespace
	if ns == "" {
		ns = "default"
	}
	var items []json.RawMessage
	seen := map[string]bool{}
	add := func(kind, name string, get func() (interface{}, error)) error {
		if name == "" || seen[kind+"/"+name] {
			return nil
		}
		seen[kind+"/"+name] = true
		obj, err := get()
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("svcenv/k8s: reading %s %s/%s: %w", kind, ns, name, err)
		}
		data, err := marshal(obj, kind)
		if err != nil {
			return err
		}
		items = append(items, data)
		return nil
	}
	configMap := func(name string) error {
		if lookups.ConfigMap == nil {
			return nil
		}
		return add("ConfigMap", name, func() (interface{}, error) { return lookups.ConfigMap(ns, name) })
	}
	secret := func(name string) error {
		if lookups.Secret == nil {
			return nil
		}
		return add("Secret", name, func() (interface{}, error) { return lookups.Secret(ns, name) })
	}
	for _, from := range c.EnvFrom {
		var err error
		if from.ConfigMapRef != nil {
			err = configMap(from.ConfigMapRef.Name)
		} else if from.SecretRef != nil {
			err = secret(from.SecretRef.Name)
		}
		if err != nil {
			return nil, err
		}
	}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			continue
		}
		var err error
		if r := e.ValueFrom.ConfigMapKeyRef; r != nil {
			err = configMap(r.Name)
		} else if r := e.ValueFrom.SecretKeyRef; r != nil {
			err = secret(r.Name)
		}
		if err != nil {
			return nil, err
		}
	}
	if lookups.Node != nil && pod.Spec.NodeName != "" {
		if err := add("Node", pod.Spec.NodeName, func() (interface{}, error) { return lookups.Node(pod.Spec.NodeName) }); err != nil {
			return nil, err
		}
	}
	return json.Marshal(map[string]interface{}{"apiVersion": "v1", "kind": "List", "items": items})
}

func provenance(source map[string]interface{}) Provenance {
	str := func(k string) string { s, _ := source[k].(string); return s }
	return Provenance{Kind: str("kind"), Namespace: str("namespace"), Name: str("name"),
		Key: str("key"), Path: str("path"), Raw: source}
}
