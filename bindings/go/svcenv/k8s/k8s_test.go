package k8s

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"svcenv/bindings/go/svcenv"
)

// Objects as an informer's cache holds them: no TypeMeta.
func pod() *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "shop"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name:  "web",
			Image: "web:1",
			Env: []corev1.EnvVar{
				{Name: "LEVEL", ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{
					LocalObjectReference: corev1.LocalObjectReference{Name: "cfg"}, Key: "level"}}},
				{Name: "PASSWORD", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
					LocalObjectReference: corev1.LocalObjectReference{Name: "db"}, Key: "password"}}},
				{Name: "URL", Value: "http://$(API_SERVICE_HOST):$(API_SERVICE_PORT)"},
			},
		}}},
	}
}

func service(ns, name, ip string, port int32) *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec:       corev1.ServiceSpec{ClusterIP: ip, Ports: []corev1.ServicePort{{Port: port, Protocol: corev1.ProtocolTCP}}},
	}
}

func lookups(configMaps map[string]*corev1.ConfigMap, secrets map[string]*corev1.Secret) Lookups {
	return Lookups{
		ConfigMap: func(ns, name string) (*corev1.ConfigMap, error) {
			if c, ok := configMaps[ns+"/"+name]; ok {
				return c, nil
			}
			return nil, apierrors.NewNotFound(schema.GroupResource{Resource: "configmaps"}, name)
		},
		Secret: func(ns, name string) (*corev1.Secret, error) {
			if s, ok := secrets[ns+"/"+name]; ok {
				return s, nil
			}
			return nil, apierrors.NewNotFound(schema.GroupResource{Resource: "secrets"}, name)
		},
	}
}

func value(t *testing.T, r *Result, name string) (string, Provenance) {
	t.Helper()
	for i, v := range r.Env {
		if v.Name == name {
			return v.Value, r.Sources[i]
		}
	}
	t.Fatalf("no %s in %v", name, r.Env)
	return "", Provenance{}
}

func TestTypedObjectsGiveTheKubeletsEnvironmentWithProvenance(t *testing.T) {
	cfg := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cfg", Namespace: "shop"}, Data: map[string]string{"level": "debug"}}
	db := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: "shop"}, Data: map[string][]byte{"password": []byte("hunter2")}}
	services := []*corev1.Service{service("shop", "api", "10.96.0.7", 8080), service("default", "kubernetes", "10.96.0.1", 443)}
	r, err := ContainerEnv(pod(), "web", services, lookups(map[string]*corev1.ConfigMap{"shop/cfg": cfg}, map[string]*corev1.Secret{"shop/db": db}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, p := value(t, r, "LEVEL"); v != "debug" || p.Kind != "ConfigMap" || p.Name != "cfg" || p.Key != "level" {
		t.Errorf("LEVEL = %q from %v", v, p)
	}
	if v, p := value(t, r, "PASSWORD"); v != "<secret shop/db key password>" || p.String() != "Secret shop/db key password" {
		t.Errorf("PASSWORD = %q from %v", v, p)
	}
	if v, _ := value(t, r, "URL"); v != "http://10.96.0.7:8080" {
		t.Errorf("URL = %q", v)
	}
	if v, p := value(t, r, "KUBERNETES_SERVICE_HOST"); v != "10.96.0.1" || p.String() != "Service default/kubernetes" {
		t.Errorf("KUBERNETES_SERVICE_HOST = %q from %v", v, p)
	}
	r, err = ContainerEnv(pod(), "web", services, lookups(map[string]*corev1.ConfigMap{"shop/cfg": cfg}, map[string]*corev1.Secret{"shop/db": db}), &svcenv.Options{ShowSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := value(t, r, "PASSWORD"); v != "hunter2" {
		t.Errorf("PASSWORD with ShowSecrets = %q", v)
	}
}

func TestMissingConfigMapIsTheKubeletsRefusal(t *testing.T) {
	_, err := ContainerEnv(pod(), "web", nil, lookups(nil, nil), nil)
	if !svcenv.IsRefused(err) {
		t.Fatalf("err = %v, want the kubelet's refusal", err)
	}
}

func TestAGetterErrorOtherThanNotFoundFailsTheCall(t *testing.T) {
	boom := errors.New("cache not synced")
	l := Lookups{ConfigMap: func(string, string) (*corev1.ConfigMap, error) { return nil, boom }}
	_, err := ContainerEnv(pod(), "web", nil, l, nil)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want it to wrap %v", err, boom)
	}
}

func TestIndexFollowsUpsertAndDelete(t *testing.T) {
	x := NewIndex()
	defer x.Close()
	if err := x.Upsert(service("shop", "api", "10.96.0.7", 8080)); err != nil {
		t.Fatal(err)
	}
	if x.Len() != 1 {
		t.Fatalf("Len = %d", x.Len())
	}
	if err := x.Delete("shop", "api"); err != nil {
		t.Fatal(err)
	}
	if err := x.Delete("shop", "api"); !svcenv.IsNotFound(err) {
		t.Fatalf("second Delete: %v", err)
	}
	if err := x.Upsert(nil); err == nil {
		t.Fatal("Upsert(nil) did not fail")
	}
}

func TestMarshalNamesTheKindOnceAndRefusesNil(t *testing.T) {
	cached := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cfg", Namespace: "shop"}}
	data, err := marshal(cached, "ConfigMap")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]interface{}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	if doc["kind"] != "ConfigMap" || doc["apiVersion"] != "v1" ||
		doc["metadata"].(map[string]interface{})["name"] != "cfg" {
		t.Errorf("marshal(informer ConfigMap) = %s", data)
	}
	if cached.Kind != "" {
		t.Errorf("the cached object was changed: kind %q", cached.Kind)
	}
	typed := &corev1.ConfigMap{TypeMeta: metav1.TypeMeta{Kind: "ConfigMap", APIVersion: "v1"}}
	data, err = marshal(typed, "ConfigMap")
	if err != nil || strings.Count(string(data), `"kind"`) != 1 {
		t.Errorf("marshal(typed ConfigMap) = %s, %v", data, err)
	}
	var missing *corev1.Secret
	if _, err := marshal(missing, "Secret"); err == nil || !strings.Contains(err.Error(), "nil Secret") {
		t.Errorf("marshal(nil Secret) error = %v", err)
	}
	if _, err := marshal("text", "Secret"); err == nil {
		t.Error("marshal(string) succeeded")
	}
}
