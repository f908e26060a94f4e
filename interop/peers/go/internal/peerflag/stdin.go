// Package peerflag holds small process helpers shared by the Go peers.
package peerflag

import (
	"io"
	"os"
)

// ExitWhenStdinCloses stops the process once stdin reaches EOF. The harness keeps the pipe
// open for as long as it wants the peer; if the harness dies (even by SIGKILL) the pipe
// closes and the peer goes with it, so no orphan server survives a run.
func ExitWhenStdinCloses(stop func()) {
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
		os.Exit(0)
	}()
}
