package main

import (
	"encoding/json"
	"strings"
	"testing"

	"grpcinterop/interop/peers/go/internal/contract"
	"grpcinterop/interop/peers/go/internal/testcontract"
)

func TestLinesFollowDesignSeven(t *testing.T) {
	ct, err := contract.Parse(testcontract.Set(false))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		v    vector
		want string
	}{
		// id = 2^53 + 1 (int64 as a string), map entries re-encoded in key order, field 99 unknown.
		{vector{"a", "acme.route.v1.Point", "088180808080808010" + "2a060a0162120178" + "2a060a0161120179" + "980601"},
			`{"hex":"0881808080808080102a060a01611201792a060a0162120178980601","id":"a","json":{"id":"9007199254740993","kind":"KIND_UNSPECIFIED","labels":{"a":"y","b":"x"},"ratio":0,"tags":[]},"unknown":[99]}`},
		{vector{"empty", "acme.route.v1.Child", ""}, `{"hex":"","id":"empty","json":{"note":""},"unknown":[]}`},
		{vector{"cut", "acme.route.v1.Child", "0a05"}, `{"error":"decode: `},
		{vector{"nope", "acme.route.v1.Nope", ""}, `{"error":"unknown message type \"acme.route.v1.Nope\"`},
	}
	for _, c := range cases {
		raw, _ := json.Marshal(lineFor(ct, c.v))
		var v any
		_ = json.Unmarshal(raw, &v)
		sorted, _ := json.Marshal(v)
		if !strings.HasPrefix(string(sorted), c.want) {
			t.Errorf("%s:\n got  %s\n want %s", c.v.ID, sorted, c.want)
		}
	}
}
