package contract

import (
	"encoding/json"
	"fmt"
	"sort"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// fieldAt names the field of a JSON object that protojson rejects. protojson names unknown
// fields itself, but for a value of the wrong type inside a list or map it only says
// `unexpected token "x"` at a line and column; a case author needs the field. Each key is tried
// on its own (recursing into message fields), and the path of the first bad one is returned.
func fieldAt(raw []byte, md protoreflect.MessageDescriptor, types *protoregistry.Types) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	opts := protojson.UnmarshalOptions{Resolver: types}
	for _, k := range keys {
		one, _ := json.Marshal(map[string]json.RawMessage{k: obj[k]})
		if opts.Unmarshal(one, New(md)) == nil {
			continue
		}
		fd := md.Fields().ByJSONName(k)
		if fd == nil {
			fd = md.Fields().ByName(protoreflect.Name(k))
		}
		if fd != nil && fd.Message() != nil && !fd.IsList() && !fd.IsMap() {
			if inner := fieldAt(obj[k], fd.Message(), types); inner != "" {
				return k + "." + inner
			}
		}
		return k
	}
	return ""
}

// withField adds the offending field's path to a protojson error that lacks it.
func withField(err error, raw []byte, md protoreflect.MessageDescriptor, types *protoregistry.Types) error {
	if path := fieldAt(raw, md, types); path != "" {
		return fmt.Errorf("field %q: %v", path, err)
	}
	return err
}
