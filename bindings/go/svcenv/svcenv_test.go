package svcenv

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func service(ns, name, ip string, port int) []byte {
	return []byte(fmt.Sprintf(`{"apiVersion": "v1", "kind": "Service",
  "metadata": {"namespace": %q, "name": %q},
  "spec": {"clusterIP": %q, "ports": [{"name": "http", "port": %d, "protocol": "TCP"}]}}`,
		ns, name, ip, port))
}

const pod = `{"apiVersion": "v1", "kind": "Pod",
  "metadata": {"namespace": "shop", "name": "web"},
  "spec": {"containers": [{"name": "app", "image": "app",
    "envFrom": [{"configMapRef": {"name": "settings"}}],
    "env": [
      {"name": "BACKEND", "value": "http://$(REDIS_SERVICE_HOST):$(REDIS_SERVICE_PORT)"},
      {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}
    ]}]}}`

const objects = `{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "ConfigMap",
   "metadata": {"namespace": "shop", "name": "settings"},
   "data": {"LOG_LEVEL": "debug"}},
  {"apiVersion": "v1", "kind": "Secret",
   "metadata": {"namespace": "shop", "name": "db"},
   "data": {"password": "aHVudGVyMg=="}}]}`

func TestVersion(t *testing.T) {
	if v := Version(); len(strings.Split(v, ".")) != 3 {
		t.Fatalf("Version() = %q, want MAJOR.MINOR.PATCH", v)
	}
}

func TestIndexUpsertReplaceDelete(t *testing.T) {
	ix := NewIndex()
	defer ix.Close()
	for _, s := range [][]byte{
		service("shop", "redis", "10.0.0.1", 6379),
		service("shop", "api", "10.0.0.2", 80),
		service("shop", "redis", "10.0.0.9", 6380), // replaces shop/redis
	} {
		if err := ix.Upsert(s); err != nil {
			t.Fatal(err)
		}
	}
	if ix.Len() != 2 {
		t.Fatalf("Len() = %d after upserting 2 Services, one twice", ix.Len())
	}
	env, err := ix.ContainerEnv([]byte(pod), "app", []byte(objects), nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := env.Lookup("REDIS_SERVICE_HOST"); v != "10.0.0.9" {
		t.Errorf("REDIS_SERVICE_HOST = %q, want the replacement's 10.0.0.9", v)
	}
	if err := ix.Delete("shop", "redis"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete("shop", "redis"); !IsNotFound(err) {
		t.Errorf("second Delete: %v, want a NotFound error", err)
	}
	env, err = ix.ContainerEnv([]byte(pod), "app", []byte(objects), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := env.Lookup("REDIS_SERVICE_HOST"); ok {
		t.Error("REDIS_SERVICE_HOST still set after Delete")
	}
	if v, _ := env.Lookup("API_SERVICE_PORT_HTTP"); v != "80" {
		t.Errorf("API_SERVICE_PORT_HTTP = %q, want 80", v)
	}
}

func TestUpsertRejectsWhatIsNotOneService(t *testing.T) {
	ix := NewIndex()
	defer ix.Close()
	for _, in := range []string{`{"kind": "Service", `, `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}`, ``} {
		err := ix.Upsert([]byte(in))
		var e *Error
		if !errorAs(err, &e) || e.Code != InvalidArgument || e.Message == "" {
			t.Errorf("Upsert(%q) = %v, want an InvalidArgument error with a message", in, err)
		}
	}
	if ix.Len() != 0 {
		t.Errorf("Len() = %d after only failed upserts", ix.Len())
	}
}

func TestContainerEnvironment(t *testing.T) {
	ix := NewIndex()
	defer ix.Close()
	if err := ix.Upsert(service("shop", "redis", "10.0.0.1", 6379)); err != nil {
		t.Fatal(err)
	}
	// Another namespace's Service is not visible to the pod.
	if err := ix.Upsert(service("other", "mail", "10.0.0.3", 25)); err != nil {
		t.Fatal(err)
	}
	env, err := ix.ContainerEnv([]byte(pod), "", []byte(objects), nil)
	if err != nil {
		t.Fatal(err)
	}
	if env.Pod.Namespace != "shop" || env.Container != "app" {
		t.Errorf("pod %+v container %q", env.Pod, env.Container)
	}
	want := map[string]string{
		"LOG_LEVEL":              "debug",
		"BACKEND":                "http://10.0.0.1:6379",
		"PASSWORD":               "<secret shop/db key password>",
		"REDIS_PORT_6379_TCP":    "tcp://10.0.0.1:6379",
		"REDIS_SERVICE_PORT_HTTP": "6379",
	}
	for name, value := range want {
		if got, ok := env.Lookup(name); !ok || got != value {
			t.Errorf("%s = %q (set: %v), want %q", name, got, ok, value)
		}
	}
	if _, ok := env.Lookup("MAIL_SERVICE_HOST"); ok {
		t.Error("a Service of another namespace leaked into the environment")
	}
	for _, v := range env.Env {
		if v.Name == "LOG_LEVEL" && (v.Source["kind"] != "ConfigMap" || v.Source["name"] != "settings") {
			t.Errorf("LOG_LEVEL source = %v", v.Source)
		}
	}
	shown, err := ix.ContainerEnv([]byte(pod), "app", []byte(objects), &Options{ShowSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := shown.Lookup("PASSWORD"); v != "hunter2" {
		t.Errorf("PASSWORD with ShowSecrets = %q, want hunter2", v)
	}
}

func TestRefusal(t *testing.T) {
	ix := NewIndex()
	defer ix.Close()
	// No ConfigMap "settings": the kubelet refuses to create the container.
	_, err := ix.ContainerEnv([]byte(pod), "app", nil, nil)
	if !IsRefused(err) {
		t.Fatalf("err = %v, want a refusal", err)
	}
	if !strings.Contains(err.Error(), "settings") {
		t.Errorf("refusal %q does not name the missing ConfigMap", err)
	}
	_, err = ix.ContainerEnv([]byte(pod), "no-such-container", []byte(objects), nil)
	var e *Error
	if !errorAs(err, &e) || e.Code != InvalidArgument || !strings.Contains(e.Message, "no-such-container") {
		t.Errorf("unknown container: %v", err)
	}
	_, err = ix.ContainerEnv([]byte("{not json"), "app", nil, nil)
	if !errorAs(err, &e) || e.Code != InvalidArgument {
		t.Errorf("bad pod JSON: %v", err)
	}
}

// Lookups from many goroutines while Services come and go: every result is
// complete and consistent with one state of the index.
func TestConcurrentLookups(t *testing.T) {
	ix := NewIndex()
	defer ix.Close()
	if err := ix.Upsert(service("shop", "redis", "10.0.0.1", 6379)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			name := fmt.Sprintf("svc%d", i%20)
			if i%3 == 2 {
				_ = ix.Delete("shop", name)
			} else if err := ix.Upsert(service("shop", name, fmt.Sprintf("10.1.0.%d", i%20+1), 8000+i%20)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	errs := make(chan error, 8)
	var readers sync.WaitGroup
	for g := 0; g < 8; g++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for i := 0; i < 200; i++ {
				env, err := ix.ContainerEnv([]byte(pod), "app", []byte(objects), nil)
				if err != nil {
					errs <- err
					return
				}
				if v, _ := env.Lookup("BACKEND"); v != "http://10.0.0.1:6379" {
					errs <- fmt.Errorf("BACKEND = %q", v)
					return
				}
				// Each svcN present has all of its variables.
				for _, v := range env.Env {
					if strings.HasSuffix(v.Name, "_SERVICE_HOST") {
						prefix := strings.TrimSuffix(v.Name, "_SERVICE_HOST")
						if _, ok := env.Lookup(prefix + "_SERVICE_PORT_HTTP"); !ok {
							errs <- fmt.Errorf("%s without %s_SERVICE_PORT_HTTP", v.Name, prefix)
							return
						}
					}
				}
			}
		}()
	}
	readers.Wait()
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestClosedIndex(t *testing.T) {
	ix := NewIndex()
	ix.Close()
	ix.Close() // twice is fine
	if err := ix.Upsert(service("a", "b", "10.0.0.1", 1)); err == nil {
		t.Error("Upsert on a closed index succeeded")
	}
}

func errorAs(err error, target **Error) bool {
	e, ok := err.(*Error)
	if ok {
		*target = e
	}
	return ok
}
