// Package svcenv computes the environment a Kubernetes container receives,
// exactly as the kubelet builds it, by calling the svcenv C library
// (svcenv/c_api.h) through cgo. It has no Go dependencies beyond the
// standard library.
//
// A node agent keeps one Index, fed from its Service informer (Upsert on
// add/update, Delete on delete), and asks for a container's environment when
// it starts the container:
//
//	index := svcenv.NewIndex()
//	defer index.Close()
//	if err := index.Upsert(serviceJSON); err != nil { ... }
//	env, err := index.ContainerEnv(podJSON, "app", configMapsAndSecretsJSON, nil)
//	if svcenv.IsRefused(err) { ... } // the kubelet would refuse the container
//	for _, v := range env.Env { fmt.Println(v.Name, v.Value) }
//
// Objects are passed as JSON (or YAML) bytes, as `kubectl get -o json` or
// json.Marshal of a client-go object prints them.
//
// Building: the package links libsvcenv.a through pkg-config
// (`svcenv-static`), so point PKG_CONFIG_PATH at an installed svcenv:
//
//	cmake --install build --prefix $HOME/.local/svcenv
//	PKG_CONFIG_PATH=$HOME/.local/svcenv/lib/pkgconfig go test ./...
//
// Thread safety: an Index may be used from any number of goroutines at
// once; Close waits for calls in progress and makes later calls fail.
package svcenv

/*
#cgo pkg-config: svcenv-static
#include <stdlib.h>
#include "svcenv/c_api.h"
*/
import "C"

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// Code is the result of a library call (svcenv_code).
type Code int

const (
	OK              Code = C.SVCENV_OK
	Refused         Code = C.SVCENV_REFUSED          // The kubelet would refuse the container.
	InvalidArgument Code = C.SVCENV_INVALID_ARGUMENT // Unreadable or unusable input.
	NotFound        Code = C.SVCENV_NOT_FOUND        // Delete of an unknown Service.
	Internal        Code = C.SVCENV_INTERNAL
)

func (c Code) String() string {
	switch c {
	case OK:
		return "ok"
	case Refused:
		return "refused"
	case InvalidArgument:
		return "invalid argument"
	case NotFound:
		return "not found"
	case Internal:
		return "internal error"
	}
	return fmt.Sprintf("code %d", int(c))
}

// Error is a failed call: its code and the library's message, which names
// the input, object and field.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return "svcenv: " + e.Message }

// IsRefused reports whether err says the kubelet would refuse to create the
// container (a missing ConfigMap, Secret or key, ...).
func IsRefused(err error) bool { return codeOf(err) == Refused }

// IsNotFound reports whether err is a Delete of a Service the index lacks.
func IsNotFound(err error) bool { return codeOf(err) == NotFound }

func codeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return OK
}

// Version is the C library's version, "MAJOR.MINOR.PATCH".
func Version() string { return C.GoString(C.svcenv_version()) }

// check turns a code and message from the C API into an error, freeing the
// message.
func check(code C.svcenv_code, message *C.char) error {
	defer C.svcenv_free(message)
	if code == C.SVCENV_OK {
		return nil
	}
	text := "unknown error"
	if message != nil {
		text = C.GoString(message)
	}
	return &Error{Code: Code(code), Message: text}
}

// bytesArg passes b to C without copying; the C API only reads it during the
// call and keeps no pointer.
func bytesArg(b []byte) (*C.char, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// Index is an incremental, thread-safe index of Services (svcenv_index).
type Index struct {
	mu sync.RWMutex // Held shared by calls, exclusively by Close.
	p  *C.svcenv_index
}

// NewIndex returns an empty index. Close it when done (a finalizer frees a
// forgotten one).
func NewIndex() *Index {
	ix := &Index{p: C.svcenv_index_create()}
	if ix.p == nil {
		panic("svcenv: out of memory")
	}
	runtime.SetFinalizer(ix, (*Index).Close)
	return ix
}

// Close frees the index; later calls fail with InvalidArgument.
func (ix *Index) Close() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.p != nil {
		C.svcenv_index_free(ix.p)
		ix.p = nil
	}
}

var errClosed = &Error{Code: InvalidArgument, Message: "the index is closed"}

// Upsert adds or replaces (by namespace and name) one Service, given as
// JSON or YAML.
func (ix *Index) Upsert(service []byte) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.p == nil {
		return errClosed
	}
	data, n := bytesArg(service)
	var message *C.char
	code := C.svcenv_index_upsert(ix.p, data, n, &message)
	runtime.KeepAlive(service)
	return check(code, message)
}

// Delete removes a Service; IsNotFound(err) when the index has none by that
// name.
func (ix *Index) Delete(namespace, name string) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.p == nil {
		return errClosed
	}
	cns, cname := C.CString(namespace), C.CString(name)
	defer C.free(unsafe.Pointer(cns))
	defer C.free(unsafe.Pointer(cname))
	var message *C.char
	return check(C.svcenv_index_delete(ix.p, cns, cname, &message), message)
}

// Len is the number of Services in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.p == nil {
		return 0
	}
	return int(C.svcenv_index_size(ix.p))
}

// Options change how an environment is computed; nil means the defaults.
type Options struct {
	// Follow the kubelet of minor version 1.N where results differ; 0 is
	// the current one.
	KubeletMinorVersion int
	// Return Secret-derived values instead of "<secret ...>" placeholders.
	ShowSecrets bool
}

// Environment is one container's environment, the document
// `svcenv env -o json` prints (docs/env.md).
type Environment struct {
	Pod struct {
		Namespace string `json:"namespace"`
		Name      string `json:"name"`
	} `json:"pod"`
	Container string   `json:"container"`
	Env       []EnvVar `json:"env"`
	Command   []string `json:"command"`
	Args      []string `json:"args"`
	Warnings  []string `json:"warnings"`
	// The document as the library returned it.
	JSON []byte `json:"-"`
}

// EnvVar is one variable, in the order the container receives them.
type EnvVar struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// Where the value came from: {"kind": "Service"|"ConfigMap"|"Secret"|
	// "value"|..., "namespace", "name", "key", ...} (docs/env.md).
	Source map[string]interface{} `json:"source"`
	// What it replaced, earliest first, in the same form.
	Shadows []map[string]interface{} `json:"shadows"`
}

// Lookup returns the value of the variable name and whether it is set.
func (e *Environment) Lookup(name string) (string, bool) {
	for _, v := range e.Env {
		if v.Name == name {
			return v.Value, true
		}
	}
	return "", false
}

// ContainerEnv computes the environment of container (its name; "" for the
// first app container) of the pod in pod (one Pod, JSON or YAML), with the
// Services of the index and the ConfigMaps, Secrets and Nodes in objects
// (one object, a List or a YAML stream; nil for none).
func (ix *Index) ContainerEnv(pod []byte, container string, objects []byte, opts *Options) (*Environment, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.p == nil {
		return nil, errClosed
	}
	var copts C.svcenv_env_options
	if opts != nil {
		copts.kubelet_minor_version = C.int(opts.KubeletMinorVersion)
		if opts.ShowSecrets {
			copts.show_secrets = 1
		}
	}
	podData, podLen := bytesArg(pod)
	objData, objLen := bytesArg(objects)
	cname := C.CString(container)
	defer C.free(unsafe.Pointer(cname))
	var out, message *C.char
	code := C.svcenv_container_env(ix.p, podData, podLen, cname, objData,
		objLen, &copts, &out, &message)
	runtime.KeepAlive(pod)
	runtime.KeepAlive(objects)
	defer C.svcenv_free(out)
	if err := check(code, message); err != nil {
		return nil, err
	}
	env := &Environment{JSON: []byte(C.GoString(out))}
	if err := json.Unmarshal(env.JSON, env); err != nil {
		return nil, &Error{Code: Internal, Message: "decoding the library's JSON: " + err.Error()}
	}
	return env, nil
}
