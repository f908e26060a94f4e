package main

import "grpcinterop/interop/peers/go/internal/contract"

// goldenVector and goldenResult are the protocol of the golden files (interop/compat/vectors.ts).
type goldenVector struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Hex  string `json:"hex"`
}

type goldenResult struct {
	Name    string `json:"name"`
	Hex     string `json:"hex"`
	Unknown []int  `json:"unknownFields"`
	Missing bool   `json:"missingType,omitempty"`
	Error   string `json:"error,omitempty"`
}

func golden(ct *contract.Contract, v goldenVector) goldenResult {
	r := goldenResult{Name: v.Name, Unknown: []int{}}
	if _, err := ct.Message(v.Type); err != nil {
		r.Missing = true // the compat check reports a type the contract lacks as skipped
		return r
	}
	_, out, unknown, err := roundTrip(ct, v.Type, v.Hex)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.Hex, r.Unknown = out, unknown
	return r
}
