// Package contract loads the contract, one FileDescriptorSet (README: Any contract), into registries the Go
// peers resolve methods and message types from at run time. No generated package is consulted,
// so a .proto the harness never compiled into Go is callable and servable as it is.
package contract

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// EnvVar names the descriptor set when no --descriptor-set flag is given.
const EnvVar = "INTEROP_DESCRIPTOR_SET"

// defaultRel is where `npm run interop` writes the set, relative to the repository root.
var defaultRel = filepath.Join(".build", "contract", "descriptors.binpb")

// Contract is the loaded set: its files and every message, enum and extension type in them.
type Contract struct {
	Path  string
	Files *protoregistry.Files
	Types *protoregistry.Types
}

// Path picks the set: the flag wins, then the environment, then the repository's default,
// found by walking up from the executable (.build/bin/go-x) and then from the working directory.
func Path(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if env := os.Getenv(EnvVar); env != "" {
		return env, nil
	}
	var starts []string
	if exe, err := os.Executable(); err == nil {
		starts = append(starts, filepath.Dir(exe))
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, dir := range starts {
		for {
			candidate := filepath.Join(dir, defaultRel)
			if _, err := os.Stat(candidate); err == nil {
				return candidate, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "", errors.New("no descriptor set: pass --descriptor-set PATH or set " + EnvVar + " (npm run interop builds " + defaultRel + ")")
}

// Load reads and links the set at path (see Path for how flagValue is used).
func Load(flagValue string) (*Contract, error) {
	path, err := Path(flagValue)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read descriptor set: %v", err)
	}
	c, err := Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("descriptor set %s: %v", path, err)
	}
	c.Path = path
	return c, nil
}

// Parse links a serialized FileDescriptorSet. The set may be the concatenation of several
// (buf's output plus grpc-go's own descriptors): a file name seen before is skipped, as every
// reader of the set does, so the first copy of a shared import wins.
func Parse(raw []byte) (*Contract, error) {
	set := &descriptorpb.FileDescriptorSet{}
	if err := proto.Unmarshal(raw, set); err != nil {
		return nil, fmt.Errorf("not a FileDescriptorSet: %v", err)
	}
	seen := map[string]bool{}
	unique := &descriptorpb.FileDescriptorSet{}
	for _, f := range set.File {
		if seen[f.GetName()] {
			continue
		}
		seen[f.GetName()] = true
		unique.File = append(unique.File, f)
	}
	files, err := protodesc.NewFiles(unique)
	if err != nil {
		return nil, err
	}
	types, err := typesOf(files)
	if err != nil {
		return nil, err
	}
	return &Contract{Files: files, Types: types}, nil
}
