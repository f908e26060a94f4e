package main

import (
	"context"
	"sync"
	"time"

	"google.golang.org/grpc/metadata"

	ipb "grpcinterop/gen/go/interop"
)

// callLog remembers what the server saw of calls tagged "x-interop-tag", so a client can ask
// afterwards (GetCallReport) whether the server received its deadline and saw the cancellation.
type callLog struct {
	mu      sync.Mutex
	records map[string]*ipb.CallReport
	order   []string
}

const maxRecords = 10000

func newCallLog() *callLog { return &callLog{records: map[string]*ipb.CallReport{}} }

// start records a tagged call and returns the function to call when the handler returns.
func (l *callLog) start(ctx context.Context) (finish func()) {
	md, _ := metadata.FromIncomingContext(ctx)
	tags := md.Get("x-interop-tag")
	if len(tags) == 0 {
		return func() {}
	}
	rec := &ipb.CallReport{Found: true}
	if d, ok := ctx.Deadline(); ok {
		rec.HasDeadline = true
		rec.DeadlineMs = time.Until(d).Milliseconds()
	}
	l.mu.Lock()
	if len(l.order) >= maxRecords {
		delete(l.records, l.order[0])
		l.order = l.order[1:]
	}
	l.records[tags[0]] = rec
	l.order = append(l.order, tags[0])
	l.mu.Unlock()

	// The context ends when the client cancels or the deadline passes, and also (later) when a
	// call completes normally: only an end seen before the handler returned is a cancellation.
	var cancelledAt time.Time
	go func() {
		<-ctx.Done()
		l.mu.Lock()
		if !rec.Finished {
			rec.Cancelled = true
			cancelledAt = time.Now()
		}
		l.mu.Unlock()
	}()
	return func() {
		l.mu.Lock()
		if !rec.Cancelled && ctx.Err() != nil {
			rec.Cancelled, cancelledAt = true, time.Now()
		}
		if rec.Cancelled {
			// How long the handler ran on after the cancel: one that stops its work reports ~0.
			rec.MsAfterCancel = time.Since(cancelledAt).Milliseconds()
		}
		rec.Finished = true
		l.mu.Unlock()
	}
}

// lateCancelWindow: a client's cancel can reach the handler as a clean end of the request
// stream, with the RST_STREAM a moment later (seen with grpc-js clients). So a tagged call whose
// requests ended waits this long for a cancellation before it finishes normally.
// 250 ms (it was 50): on a busy 2-core machine (both cores loaded, the matrix running) the reset
// came more than 50 ms after the end of the requests, and the report said "not cancelled".
const lateCancelWindow = 250 * time.Millisecond

// awaitLateCancel returns the call's error if it is cancelled within the window (tagged calls only).
func awaitLateCancel(ctx context.Context) error {
	md, _ := metadata.FromIncomingContext(ctx)
	if len(md.Get("x-interop-tag")) == 0 {
		return nil
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(lateCancelWindow):
		return nil
	}
}

// report waits up to wait for the tagged call to finish, then tells what was seen.
func (l *callLog) report(tag string, wait time.Duration) *ipb.CallReport {
	deadline := time.Now().Add(wait)
	for {
		l.mu.Lock()
		rec, ok := l.records[tag]
		var out *ipb.CallReport
		if ok {
			out = &ipb.CallReport{Found: true, HasDeadline: rec.HasDeadline, DeadlineMs: rec.DeadlineMs, Cancelled: rec.Cancelled, Finished: rec.Finished, MsAfterCancel: rec.MsAfterCancel}
		}
		l.mu.Unlock()
		if (ok && out.Finished) || time.Now().After(deadline) {
			if !ok {
				return &ipb.CallReport{}
			}
			return out
		}
		time.Sleep(5 * time.Millisecond)
	}
}
