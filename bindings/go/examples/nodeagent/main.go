// Command nodeagent is an example node agent: it keeps client-go informers
// on Pods, Services, ConfigMaps and Secrets, feeds a svcenv/k8s Index from
// the Service informer, and prints the environment the kubelet would give
// each container of the pods it is asked about, one line a variable:
//
//	NAMESPACE/POD CONTAINER NAME=VALUE  # SOURCE
//
// A real agent would do this when it is about to start the container (or
// to check one that runs); here it prints once the caches have synced and
// the pod is there, and exits. testdata/live/run.sh runs it against the
// test API server (run_live.sh).
//
//	nodeagent --kubeconfig FILE --namespace shop --pod web [--timeout 60s]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"

	"svcenv/bindings/go/svcenv"
	"svcenv/bindings/go/svcenv/k8s"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file")
	namespace := flag.String("namespace", "default", "the pod's namespace")
	podName := flag.String("pod", "", "the pod whose containers' environments to print")
	timeout := flag.Duration("timeout", time.Minute, "give up after this long")
	flag.Parse()
	if *podName == "" {
		fmt.Fprintln(os.Stderr, "nodeagent: --pod is required")
		os.Exit(2)
	}
	if err := run(*kubeconfig, *namespace, *podName, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "nodeagent:", err)
		os.Exit(1)
	}
}

func run(kubeconfig, namespace, podName string, timeout time.Duration) error {
	config, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	index := k8s.NewIndex()
	defer index.Close()
	factory := informers.NewSharedInformerFactory(client, 10*time.Minute)
	services := factory.Core().V1().Services().Informer()
	// The index follows the Service informer: the kubelet's Service
	// variables come from the Services that exist when a container starts.
	_, err = services.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj interface{}) { upsert(index, obj) },
		UpdateFunc: func(_, obj interface{}) { upsert(index, obj) },
		DeleteFunc: func(obj interface{}) {
			if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = d.Obj
			}
			if s, ok := obj.(*corev1.Service); ok {
				_ = index.Delete(s.Namespace, s.Name)
			}
		},
	})
	if err != nil {
		return err
	}
	pods := factory.Core().V1().Pods().Lister()
	configMaps := factory.Core().V1().ConfigMaps().Lister()
	secrets := factory.Core().V1().Secrets().Lister()
	factory.Start(ctx.Done())
	for typ, synced := range factory.WaitForCacheSync(ctx.Done()) {
		if !synced {
			return fmt.Errorf("the %v informer did not sync", typ)
		}
	}
	lookups := k8s.Lookups{
		ConfigMap: func(ns, name string) (*corev1.ConfigMap, error) { return configMaps.ConfigMaps(ns).Get(name) },
		Secret:    func(ns, name string) (*corev1.Secret, error) { return secrets.Secrets(ns).Get(name) },
	}
	pod, err := pods.Pods(namespace).Get(podName)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "nodeagent: %d Services indexed\n", index.Len())
	for _, c := range pod.Spec.Containers {
		res, err := index.ContainerEnv(pod, c.Name, lookups, nil)
		if svcenv.IsRefused(err) {
			fmt.Printf("%s/%s %s refused by the kubelet: %v\n", pod.Namespace, pod.Name, c.Name, err)
			continue
		}
		if err != nil {
			return err
		}
		for i, v := range res.Env {
			fmt.Printf("%s/%s %s %s=%s  # %s\n", pod.Namespace, pod.Name, c.Name, v.Name, v.Value, res.Sources[i])
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(os.Stderr, "nodeagent: warning: %s\n", w)
		}
	}
	return nil
}

func upsert(index *k8s.Index, obj interface{}) {
	if s, ok := obj.(*corev1.Service); ok {
		if err := index.Upsert(s); err != nil {
			fmt.Fprintf(os.Stderr, "nodeagent: Service %s/%s: %v\n", s.Namespace, s.Name, err)
		}
	}
}
