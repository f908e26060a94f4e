// netns runs a server that can only listen on every interface (grpc-go's official interop
// server: net.Listen("tcp", ":port"), no host flag) inside a network namespace of its own, whose
// only interface is loopback, and makes it reachable on 127.0.0.1 of the host. So nothing it
// opens is visible beyond this machine's loopback.
//
//	go-netns --server "SERVER ARGS..." [--host 127.0.0.1] [--port 0] [--watch-stdin]
//	("{port}" in ARGS becomes the port inside the namespace)
//
// It prints "LISTENING host:port" (the host side) once the server accepts connections, like
// every other server of the harness. How: the host-side listener is opened first, in the host's
// namespace; a child (this program again, with --inner) is started in a new namespace
// (CLONE_NEWNET: as root, or inside a user namespace of its own otherwise) and inherits that listener's descriptor. The child brings up
// lo, starts the server, and forwards each connection accepted on the inherited (host) socket
// to the server on its own loopback: bytes are copied as they are, both ways.
//
// Flags the harness passes to every server (--tick-ms, --tls-*) are accepted and ignored.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

const innerPort = 10000 // the namespace is private: any fixed port is free

func main() {
	host := flag.String("host", "127.0.0.1", "host-side address to listen on")
	port := flag.Int("port", 0, "host-side port (0 picks a free one)")
	watchStdin := flag.Bool("watch-stdin", false, "exit when stdin closes")
	serverCmd := flag.String("server", "", "the server's command line, split at spaces; {port} is the port inside the namespace")
	inner := flag.Bool("inner", false, "internal: running inside the new namespace")
	flag.Int("tick-ms", 0, "ignored")
	flag.String("tls-cert", "", "ignored")
	flag.String("tls-key", "", "ignored")
	flag.String("tls-client-ca", "", "ignored")
	flag.Parse()
	server := strings.Fields(*serverCmd)
	if len(server) == 0 {
		fail(2, "usage: go-netns --server \"SERVER ARGS...\" [--host H] [--port P] [--watch-stdin] (\"{port}\" in ARGS is the port inside the namespace)")
	}
	if *inner {
		runInner(server, *watchStdin)
		return
	}
	runOuter(*host, *port, *watchStdin, *serverCmd)
}

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "go-netns: "+format+"\n", args...)
	os.Exit(code)
}

// runOuter opens the host-side listener and starts the child in a new network namespace.
func runOuter(host string, port int, watchStdin bool, serverCmd string) {
	lis, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		fail(2, "cannot listen on %s:%d: %v (pass another --port; 0 picks a free one)", host, port, err)
	}
	file, err := lis.(*net.TCPListener).File()
	if err != nil {
		fail(1, "%v", err)
	}
	args := []string{"--inner", "--server", serverCmd}
	if watchStdin {
		args = append(args, "--watch-stdin")
	}
	// Pdeathsig is tied to the thread that starts the child: keep main on one thread.
	runtime.LockOSThread()
	child := exec.Command("/proc/self/exe", args...)
	child.Stdin, child.Stdout, child.Stderr = os.Stdin, os.Stdout, os.Stderr
	child.ExtraFiles = []*os.File{file} // fd 3 in the child
	child.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET, Pdeathsig: syscall.SIGKILL}
	if os.Geteuid() != 0 {
		// Not root: a user namespace of our own (where we are root) can own the network one,
		// where the kernel allows unprivileged user namespaces.
		child.SysProcAttr.Cloneflags |= syscall.CLONE_NEWUSER
		child.SysProcAttr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Geteuid(), Size: 1}}
		child.SysProcAttr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getegid(), Size: 1}}
	}
	if err := child.Start(); err != nil {
		fail(1, "cannot start a process in a new network namespace (%v): run as root, or where unprivileged user namespaces are allowed", err)
	}
	file.Close() // the child holds the socket now
	lis.Close()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		s := <-signals
		_ = child.Process.Signal(s)
	}()
	err = child.Wait()
	if exit, ok := err.(*exec.ExitError); ok {
		os.Exit(exit.ExitCode())
	}
}

// runInner runs in the new namespace: loopback up, the server started, then the forwarder.
func runInner(server []string, watchStdin bool) {
	if err := loopbackUp(); err != nil {
		fail(1, "cannot bring up lo in the new namespace (%v): run as root, or where unprivileged user namespaces are allowed", err)
	}
	inherited := os.NewFile(3, "host-listener")
	lis, err := net.FileListener(inherited) // a dup with close-on-exec
	if err != nil {
		fail(1, "no inherited listener: %v", err)
	}
	inherited.Close() // so the server does not inherit the host-side socket
	args := make([]string, len(server)-1)
	for i, a := range server[1:] {
		args[i] = strings.ReplaceAll(a, "{port}", strconv.Itoa(innerPort))
	}
	cmd := exec.Command(server[0], args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr // stdout is for our LISTENING line only
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	runtime.LockOSThread()
	if err := cmd.Start(); err != nil {
		fail(1, "cannot start %s: %v", server[0], err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func(code int) {
		_ = cmd.Process.Kill()
		os.Exit(code)
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		stop(0)
	}()
	if watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop(0)
		}()
	}
	target := net.JoinHostPort("127.0.0.1", strconv.Itoa(innerPort))
	waitReady(target, exited)
	go func() {
		err := <-exited
		fail(1, "%s exited: %v", server[0], err)
	}()
	fmt.Printf("LISTENING %s\n", lis.Addr())
	for {
		conn, err := lis.Accept()
		if err != nil {
			fail(1, "accept: %v", err)
		}
		go forward(conn, target)
	}
}

// waitReady returns once the server accepts connections; it gives up after 15 s or when the
// server exits first.
func waitReady(target string, exited chan error) {
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case err := <-exited:
			fail(1, "the server exited before it accepted connections: %v", err)
		default:
		}
		if c, err := net.DialTimeout("tcp", target, time.Second); err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			fail(1, "the server did not accept connections on %s within 15 s", target)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// forward copies bytes both ways, passing each side's half-close on to the other.
func forward(client net.Conn, target string) {
	server, err := net.Dial("tcp", target)
	if err != nil {
		client.Close()
		return
	}
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		_ = dst.(*net.TCPConn).CloseWrite()
		done <- struct{}{}
	}
	go pipe(server, client)
	go pipe(client, server)
	<-done
	<-done
	client.Close()
	server.Close()
}

// loopbackUp sets IFF_UP on lo (a new namespace starts with lo down).
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}
