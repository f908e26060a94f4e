package main

import (
	"sync/atomic"
	"time"
)

// replyPacer serves sendOnReply (interop/contract.ts): the pause after request i ends as soon as
// reply i has arrived, so sendIntervalMs is only the longest wait. The receiving goroutine calls
// arrived after each reply and ended when the call is over; the sending goroutine waits.
type replyPacer struct {
	replies atomic.Int64
	notify  chan struct{} // one pending wake-up is enough: the waiter re-reads the count
	done    chan struct{}
}

func newReplyPacer() *replyPacer {
	return &replyPacer{notify: make(chan struct{}, 1), done: make(chan struct{})}
}

func (p *replyPacer) arrived() {
	p.replies.Add(1)
	select {
	case p.notify <- struct{}{}:
	default:
	}
}

func (p *replyPacer) ended() { close(p.done) }

// wait returns once n replies have arrived, the call has ended, or max has passed; true when the
// call has ended (then there is nothing left to send or to half-close, as in the TS and Python
// drivers).
func (p *replyPacer) wait(n int, max time.Duration) (ended bool) {
	timer := time.NewTimer(max)
	defer timer.Stop()
	for p.replies.Load() < int64(n) {
		select {
		case <-p.notify:
		case <-p.done:
			return true
		case <-timer.C:
			return false
		}
	}
	return false
}
