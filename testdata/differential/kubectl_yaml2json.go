// kubectl_yaml2json converts YAML files to JSON the way kubectl reads them:
// the reference side of svcenv's differential test (run.sh in this
// directory). Per file:
//   - the bytes are read as kubectl's FileVisitor reads them
//     (unicode.BOMOverride over a UTF-8 decoder: a UTF-8 or UTF-16 byte order
//     mark is honoured and dropped, invalid UTF-8 becomes U+FFFD byte by
//     byte);
//   - the stream is split into documents as
//     k8s.io/apimachinery/pkg/util/yaml.YAMLReader.Read splits it (lines read
//     with bufio.Reader.ReadLine, so "\r\n" ends a line; a line starting
//     with "---" followed by anything but spaces or a comment is an error);
//   - each document is converted by sigs.k8s.io/yaml.YAMLToJSON (go-yaml v2),
//     and, as kubectl's StreamVisitor does, an empty or "null" one skipped;
//   - a file whose first non-blank byte is "{" is a JSON stream for kubectl
//     (GuessJSONStream): "SKIP json", not compared.
//
// Output: "== FILE", then one line per document with its JSON, or
// "ERROR: message" where kubectl would stop reading the file. Built offline
// from Debian's packages (golang-k8s-sigs-yaml-dev, golang-gopkg-yaml.v2-dev):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build kubectl_yaml2json.go
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"sigs.k8s.io/yaml"
)

// text returns data as kubectl's FileVisitor decodes it.
func text(data []byte) []byte {
	var units []uint16
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		little := data[0] == 0xFF
		data = data[2:]
		for i := 0; i+1 < len(data); i += 2 {
			if little {
				units = append(units, uint16(data[i])|uint16(data[i+1])<<8)
			} else {
				units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
			}
		}
		out := []byte(string(utf16.Decode(units)))
		if len(data)%2 == 1 {
			out = append(out, "\uFFFD"...)
		}
		return out
	}
	var out []byte
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			out = append(out, "\uFFFD"...)
		} else {
			out = append(out, data[:size]...)
		}
		data = data[size:]
	}
	return out
}

// readLine is apimachinery's LineReader.Read.
func readLine(r *bufio.Reader) ([]byte, error) {
	var buffer bytes.Buffer
	isPrefix, err := true, error(nil)
	var line []byte
	for isPrefix && err == nil {
		line, isPrefix, err = r.ReadLine()
		buffer.Write(line)
	}
	buffer.WriteByte('\n')
	return buffer.Bytes(), err
}

// readDocument is apimachinery's YAMLReader.Read.
func readDocument(r *bufio.Reader) ([]byte, error) {
	var buffer bytes.Buffer
	for {
		line, err := readLine(r)
		if err != nil && err != io.EOF {
			return nil, err
		}
		if bytes.Index(line, []byte("---")) == 0 {
			trimmed := strings.TrimSpace(string(line[3:]))
			if len(trimmed) > 0 && trimmed[0] != '#' {
				return nil, fmt.Errorf("invalid Yaml document separator: %s", trimmed)
			}
			if buffer.Len() != 0 {
				return buffer.Bytes(), nil
			}
			if err == io.EOF {
				return nil, err
			}
		}
		if err == io.EOF {
			if buffer.Len() != 0 {
				return buffer.Bytes(), nil
			}
			return nil, err
		}
		buffer.Write(line)
	}
}

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, name := range os.Args[1:] {
		fmt.Fprintf(out, "== %s\n", name)
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(out, "ERROR: %v\n", err)
			continue
		}
		data = text(data)
		if bytes.HasPrefix(bytes.TrimLeftFunc(data, unicode.IsSpace), []byte("{")) {
			// kubectl's GuessJSONStream: a JSON stream, not compared here.
			fmt.Fprintf(out, "SKIP json\n")
			continue
		}
		r := bufio.NewReader(bytes.NewReader(data))
		for {
			doc, err := readDocument(r)
			if err == io.EOF {
				break
			}
			if err != nil {
				fmt.Fprintf(out, "ERROR: %v\n", err)
				break
			}
			j, err := yaml.YAMLToJSON(doc)
			if err != nil {
				fmt.Fprintf(out, "ERROR: %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
				break
			}
			j = bytes.TrimSpace(j)
			if len(j) == 0 || string(j) == "null" {
				continue
			}
			fmt.Fprintf(out, "%s\n", j)
		}
	}
}
