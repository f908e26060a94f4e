package contract

import (
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"
)

// typesOf registers a dynamic type for every message, enum and extension of files. A
// protoregistry.Types (rather than dynamicpb.Types) also ranges extensions by message, which
// the reflection service needs, and resolves Any type URLs for protojson.
func typesOf(files *protoregistry.Files) (*protoregistry.Types, error) {
	types := &protoregistry.Types{}
	var err error
	files.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		err = registerAll(types, fd.Messages(), fd.Enums(), fd.Extensions())
		return err == nil
	})
	return types, err
}

func registerAll(types *protoregistry.Types, msgs protoreflect.MessageDescriptors, enums protoreflect.EnumDescriptors, exts protoreflect.ExtensionDescriptors) error {
	for i := 0; i < enums.Len(); i++ {
		if err := types.RegisterEnum(dynamicpb.NewEnumType(enums.Get(i))); err != nil {
			return err
		}
	}
	for i := 0; i < exts.Len(); i++ {
		if err := types.RegisterExtension(dynamicpb.NewExtensionType(exts.Get(i))); err != nil {
			return err
		}
	}
	for i := 0; i < msgs.Len(); i++ {
		md := msgs.Get(i)
		if err := types.RegisterMessage(dynamicpb.NewMessageType(md)); err != nil {
			return err
		}
		if err := registerAll(types, md.Messages(), md.Enums(), md.Extensions()); err != nil {
			return err
		}
	}
	return nil
}
