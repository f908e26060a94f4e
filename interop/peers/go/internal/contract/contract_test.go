package contract

import (
	"math"
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"

	"grpcinterop/interop/peers/go/internal/testcontract"
)

func load(t *testing.T) *Contract {
	t.Helper()
	ct, err := Parse(testcontract.Set(true))
	if err != nil {
		t.Fatalf("a set with every file twice must load (the second copy skipped): %v", err)
	}
	return ct
}

func TestMethodsResolveFromTheSetAlone(t *testing.T) {
	ct := load(t)
	md, err := ct.Method("acme.route.v1.RouteService/Bidi")
	if err != nil {
		t.Fatal(err)
	}
	if !md.IsStreamingClient() || !md.IsStreamingServer() || md.Input().FullName() != "acme.route.v1.Point" {
		t.Fatalf("wrong method resolved: %v", md.FullName())
	}
	for name, want := range map[string]string{
		"acme.route.v1.Nope/Unary":         `unknown service "acme.route.v1.Nope"`,
		"acme.route.v1.RouteService/Nope":  `has no method "Nope"`,
		"acme.route.v1.RouteService.Unary": "not of the form package.Service/Method",
	} {
		if _, err := ct.Method(name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want error containing %q, got %v", name, want, err)
		}
	}
}

func TestCanonicalJSON(t *testing.T) {
	ct := load(t)
	md, _ := ct.Method("acme.route.v1.RouteService/Unary")
	m := New(md.Input())
	if err := ct.FromJSON([]byte(`{"id":"9007199254740993","kind":"KIND_A","labels":{"b":"2","a":"1"},"text":"t"}`), m); err != nil {
		t.Fatal(err)
	}
	js, _ := ct.JSON(m)
	got := compact(js)
	// int64 as a string, defaults of implicit fields present (ratio, tags), the unset message
	// field (child) left out, the oneof member that is set present and the other absent.
	want := `{"id":"9007199254740993","ratio":0,"kind":"KIND_A","tags":[],"labels":{"a":"1","b":"2"},"text":"t"}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}

	ratio := md.Input().Fields().ByName("ratio")
	kind := md.Input().Fields().ByName("kind")
	for _, c := range []struct {
		v    float64
		want string
	}{{math.NaN(), `"ratio":"NaN"`}, {math.Inf(-1), `"ratio":"-Infinity"`}, {math.Copysign(0, -1), `"ratio":-0`}} {
		m := New(md.Input())
		m.Set(ratio, protoreflect.ValueOfFloat64(c.v))
		m.Set(kind, protoreflect.ValueOfEnum(7)) // a number the enum does not name stays a number
		js, _ := ct.JSON(m)
		if s := compact(js); !strings.Contains(s, c.want) || !strings.Contains(s, `"kind":7`) {
			t.Errorf("%v: got %s, want %s and \"kind\":7", c.v, s, c.want)
		}
	}
}

func TestStrictRequestJSONNamesTheField(t *testing.T) {
	ct := load(t)
	md, _ := ct.Method("acme.route.v1.RouteService/Unary")
	for raw, want := range map[string]string{
		`{"idd":"1"}`:          `unknown field "idd"`,
		`{"kind":"NOPE"}`:      `field "kind"`,
		`{"child":{"note":5}}`: `field "child.note"`,
		`{"tags":"x"}`:         "tags",
	} {
		if err := ct.FromJSON([]byte(raw), New(md.Input())); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want error naming %q, got %v", raw, want, err)
		}
	}
}

func TestPathPrefersFlagThenEnv(t *testing.T) {
	t.Setenv(EnvVar, "/from/env")
	if p, _ := Path("/from/flag"); p != "/from/flag" {
		t.Errorf("flag must win, got %s", p)
	}
	if p, _ := Path(""); p != "/from/env" {
		t.Errorf("env must come next, got %s", p)
	}
}

func TestNotADescriptorSet(t *testing.T) {
	if _, err := Parse([]byte("not protobuf at all")); err == nil || !strings.Contains(err.Error(), "not a FileDescriptorSet") {
		t.Fatalf("got %v", err)
	}
}

// compact drops the whitespace protojson randomises, for comparing.
func compact(js []byte) string {
	return strings.NewReplacer(" ", "", "\n", "").Replace(string(js))
}
