package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"grpcinterop/interop/peers/go/internal/contract"
	"grpcinterop/interop/peers/go/internal/testcontract"
)

func TestBadStubBlocksAreOneClearErrorAtStart(t *testing.T) {
	ct, err := contract.Parse(testcontract.Set(false))
	if err != nil {
		t.Fatal(err)
	}
	for block, want := range map[string]string{
		`{"method":"acme.route.v1.RouteService/Unary","responses":[{"idd":"1"}]}`: `case c: responses[0] is not a valid acme.route.v1.Point: field "idd"`,
		`{"responses":[{"nowhere":1}]}`:                                           "case c: responses[0] is not valid proto3 JSON for the output type of any method",
		`{"status":{"code":"NOTFOUND"}}`:                                          `case c: status.code "NOTFOUND" is not a status name`,
		`{"status":{"code":17}}`:                                                  "case c: status.code 17 is not a gRPC status code",
		`{"status":{"code":5,"details":[{"@type":"type.googleapis.com/x.Y"}]}}`:   "case c: status.details[0] is not an Any of a message in the descriptor set",
		`{"headers":{"x-b-bin":["!"]}}`:                                           `case c: headers x-b-bin: value "!" is not base64`,
		`{"trailers":{"grpc-status":["0"]}}`:                                      `case c: trailers key "grpc-status"`,
		`{"bidi":"pong"}`:                                                         `case c: bidi is "pong"`,
		`{"respones":[]}`:                                                         `case c: stub block: json: unknown field "respones"`,
		`{"method":"acme.route.v1.RouteService/Nope"}`:                            `case c: service "acme.route.v1.RouteService" has no method "Nope"`,
	} {
		file := filepath.Join(t.TempDir(), "stubs.json")
		_ = os.WriteFile(file, []byte(`{"c":`+block+`}`), 0o644)
		if _, err := loadStubs(ct, file); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s:\n want error containing %q\n got %v", block, want, err)
		}
	}
}
