package sidecar

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"testing"
)

// fakeServerEnv makes the test binary itself play a misbehaving `swiftlet serve`, so the
// supervisor's failure paths run against a real child process without a second binary.
const fakeServerEnv = "SIDECAR_TEST_FAKE_SERVER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(fakeServerEnv); mode != "" {
		os.Exit(runFakeServer(mode, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// runFakeServer: "crash" exits at once with status 3; "protocol2" serves /healthz as a
// protocol-2 server would.
func runFakeServer(mode string, args []string) int {
	if mode == "crash" {
		fmt.Fprintln(os.Stderr, "fake swiftlet serve: crashing")
		return 3
	}
	var socket string
	for i, a := range args {
		if a == "--socket" && i+1 < len(args) {
			socket = args[i+1]
		}
	}
	l, err := net.Listen("unix", socket)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM)
	go func() {
		<-sig
		l.Close() // unlinks the socket file, as the real server does
		os.Exit(0)
	}()
	http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Protocol-Version", "2")
		w.Write([]byte(`{"status":"ok","protocol":2,"version":"9.0.0","models":[]}`))
	}))
	return 1
}
