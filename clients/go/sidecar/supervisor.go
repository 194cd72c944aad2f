package sidecar

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// Config describes the server a Supervisor runs. Zero values take the defaults noted.
type Config struct {
	// Binary is the swiftlet executable; "" looks up "swiftlet" on PATH.
	Binary string
	// Socket is the Unix socket path; "" uses a fresh private directory, removed on stop.
	// Keep it short: Unix socket paths are limited to 107 bytes.
	Socket string
	// Args follow `serve --socket PATH --exit-with-parent`: models, --threads, caps, …
	Args []string
	// Env is the server's environment; nil inherits this process's.
	Env []string
	// Stdout and Stderr receive the server's output (its log is on stderr). nil discards
	// stdout and sends stderr to this process's stderr.
	Stdout, Stderr io.Writer

	// MinBackoff is the first restart delay after the server dies (default 250ms); each
	// further death doubles it up to MaxBackoff (default 30s), so a server that cannot
	// start does not spin a core.
	MinBackoff, MaxBackoff time.Duration
	// StableAfter: a server that ran at least this long before dying is restarted after
	// MinBackoff again, as its death is news rather than a crash loop (default 30s).
	StableAfter time.Duration
	// StartTimeout bounds how long a new server may take to answer /healthz with 200
	// (loading and warming every model) before it is killed and restarted (default 2m).
	StartTimeout time.Duration
	// StopGrace is how long the server may drain after SIGTERM before SIGKILL (default
	// 10s). The server's own --drain-timeout (default 30s) should not exceed it.
	StopGrace time.Duration
	// PollInterval is the /healthz period while a server starts (default 50ms);
	// HealthInterval the period once it is ready (default 2s).
	PollInterval, HealthInterval time.Duration
	// Logf receives one line per lifecycle event (spawn, ready, exit, restart); nil = silent.
	Logf func(format string, args ...interface{})
}

// Supervisor keeps one `swiftlet serve` process running for as long as its context
// lives: spawned on first use (or Start), gated on /healthz, restarted with exponential
// backoff when it dies, and terminated (SIGTERM, then SIGKILL) when the context ends.
type Supervisor struct {
	cfg       Config
	ctx       context.Context
	stop      context.CancelFunc
	transport *http.Transport
	probe     *Client
	tempDir   string

	startOnce sync.Once
	done      chan struct{}

	mu      sync.Mutex
	ready   chan struct{} // closed while the current server is healthy
	isReady bool
	pid     int
	starts  int
	lastErr error // why the last server is gone or not ready, for Ready's timeout message
	fatal   error // why the supervisor gave up (a server of another protocol version)
}

// healthFailures in a row mark a ready server unready: one slow probe under load should
// not hold every caller back.
const healthFailures = 3

// NewSupervisor prepares a supervisor whose server lives until ctx ends. Nothing is
// spawned until Start, Ready or a request through Client.
func NewSupervisor(ctx context.Context, cfg Config) (*Supervisor, error) {
	if cfg.Binary == "" {
		cfg.Binary = "swiftlet"
	}
	bin, err := exec.LookPath(cfg.Binary)
	if err != nil {
		return nil, fmt.Errorf("sidecar: swiftlet binary: %w", err)
	}
	cfg.Binary = bin
	setDefault(&cfg.MinBackoff, 250*time.Millisecond)
	setDefault(&cfg.MaxBackoff, 30*time.Second)
	setDefault(&cfg.StableAfter, 30*time.Second)
	setDefault(&cfg.StartTimeout, 2*time.Minute)
	setDefault(&cfg.StopGrace, 10*time.Second)
	setDefault(&cfg.PollInterval, 50*time.Millisecond)
	setDefault(&cfg.HealthInterval, 2*time.Second)
	if cfg.Stderr == nil {
		cfg.Stderr = os.Stderr
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...interface{}) {}
	}
	s := &Supervisor{cfg: cfg, done: make(chan struct{}), ready: make(chan struct{})}
	if s.cfg.Socket == "" {
		dir, err := os.MkdirTemp("", "swl")
		if err != nil {
			return nil, fmt.Errorf("sidecar: socket directory: %w", err)
		}
		s.tempDir, s.cfg.Socket = dir, filepath.Join(dir, "s.sock")
	}
	if len(s.cfg.Socket) > 107 {
		return nil, fmt.Errorf("sidecar: socket path %q is %d bytes; Unix sockets allow at most 107", s.cfg.Socket, len(s.cfg.Socket))
	}
	s.ctx, s.stop = context.WithCancel(ctx)
	s.transport = newTransport(s.cfg.Socket)
	s.probe = newClient(s.cfg.Socket, s.transport, []Option{WithTenant("supervisor")})
	// A supervisor never used still closes Done and removes its socket directory when its
	// context ends: run sees the ended context and only cleans up.
	go func() {
		<-s.ctx.Done()
		s.startOnce.Do(func() { go s.run() })
	}()
	return s, nil
}

func setDefault(d *time.Duration, v time.Duration) {
	if *d <= 0 {
		*d = v
	}
}

// Socket is the path the server listens on.
func (s *Supervisor) Socket() string { return s.cfg.Socket }

// Client returns a client bound to the supervised server. Each request starts the
// supervisor if needed, waits (within the request's context) until the server is
// healthy, and is sent again if it lost its connection because the server had just died.
func (s *Supervisor) Client(opts ...Option) *Client {
	c := newClient(s.cfg.Socket, s.transport, opts)
	c.prepare = s.Ready
	c.retries = 2
	return c
}

// Start spawns the server and its supervision loop once; later calls do nothing. It does
// not wait for the server to be ready (see Ready).
func (s *Supervisor) Start() error {
	s.startOnce.Do(func() { go s.run() })
	select {
	case <-s.done:
		return s.stoppedErr()
	default:
		return nil
	}
}

// Ready starts the supervisor if needed and blocks until the server answers /healthz
// with 200, ctx ends (the error then wraps ctx.Err() and says why the server is not
// ready), or the supervisor stops.
func (s *Supervisor) Ready(ctx context.Context) error {
	if err := s.Start(); err != nil {
		return err
	}
	s.mu.Lock()
	ch := s.ready
	s.mu.Unlock()
	select {
	case <-s.done:
		return s.stoppedErr()
	default:
	}
	select {
	case <-ch:
		return nil
	case <-s.done:
		return s.stoppedErr()
	case <-ctx.Done():
		s.mu.Lock()
		last := s.lastErr
		s.mu.Unlock()
		if last != nil {
			return fmt.Errorf("sidecar: server not ready: %w (last: %v)", ctx.Err(), last)
		}
		return fmt.Errorf("sidecar: server not ready: %w", ctx.Err())
	}
}

// Done is closed once the supervisor has stopped: context ended (or a fatal error), the
// server reaped and the private socket directory removed.
func (s *Supervisor) Done() <-chan struct{} { return s.done }

// Err is nil while running and after a stop by context; otherwise why the supervisor
// gave up (a *ProtocolVersionError when the binary speaks another protocol version).
func (s *Supervisor) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fatal
}

// PID is the running server's process id, 0 between processes.
func (s *Supervisor) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pid
}

// Starts counts the processes spawned so far; above 1 means restarts happened.
func (s *Supervisor) Starts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.starts
}

func (s *Supervisor) stoppedErr() error {
	if err := s.Err(); err != nil {
		return err
	}
	return ErrStopped
}

func (s *Supervisor) run() {
	defer close(s.done)
	defer func() {
		s.transport.CloseIdleConnections()
		if s.tempDir != "" {
			os.RemoveAll(s.tempDir)
		}
	}()
	backoff := s.cfg.MinBackoff
	for s.ctx.Err() == nil {
		began := time.Now()
		err := s.runOnce()
		if s.ctx.Err() != nil {
			return
		}
		if time.Since(began) >= s.cfg.StableAfter {
			backoff = s.cfg.MinBackoff
		}
		s.mu.Lock()
		s.lastErr = err
		s.mu.Unlock()
		s.cfg.Logf("sidecar: swiftlet serve: %v; restarting in %v", err, backoff)
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-s.ctx.Done():
			t.Stop()
			return
		}
		if backoff *= 2; backoff > s.cfg.MaxBackoff {
			backoff = s.cfg.MaxBackoff
		}
	}
}

// runOnce runs one server process until it exits (returning why) or the supervisor's
// context ends (reaping it and returning nil).
func (s *Supervisor) runOnce() error {
	args := append([]string{"serve", "--socket", s.cfg.Socket, "--exit-with-parent"}, s.cfg.Args...)
	cmd := exec.Command(s.cfg.Binary, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = s.cfg.Env, s.cfg.Stdout, s.cfg.Stderr
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("spawn: %w", err)
	}
	s.mu.Lock()
	s.pid = cmd.Process.Pid
	s.starts++
	s.mu.Unlock()
	s.cfg.Logf("sidecar: started swiftlet serve (pid %d) on %s", cmd.Process.Pid, s.cfg.Socket)

	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	gate, stopGate := context.WithCancel(s.ctx)
	go s.healthGate(gate, cmd.Process)

	var err error
	select {
	case err = <-exited:
		if err == nil {
			err = errors.New("exited with status 0")
		} else {
			err = fmt.Errorf("exited: %w", err)
		}
	case <-s.ctx.Done():
		s.reap(cmd.Process, exited)
	}
	// Stop the gate before clearing readiness: markReady checks the gate's context under
	// the lock, so a probe that succeeded just before the exit cannot mark a dead server ready.
	stopGate()
	s.mu.Lock()
	s.pid = 0
	s.markUnreadyLocked()
	s.mu.Unlock()
	return err
}

// healthGate polls /healthz: quickly until the server is ready (killing it if it takes
// longer than StartTimeout), slowly afterwards.
func (s *Supervisor) healthGate(ctx context.Context, p *os.Process) {
	deadline := time.Now().Add(s.cfg.StartTimeout)
	everReady, fails := false, 0
	for {
		interval := s.cfg.PollInterval
		if everReady {
			interval = s.cfg.HealthInterval
		}
		probeCtx, cancel := context.WithTimeout(ctx, interval+5*time.Second)
		_, err := s.probe.Health(probeCtx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		var pv *ProtocolVersionError
		switch {
		case err == nil:
			if !everReady {
				s.cfg.Logf("sidecar: swiftlet serve (pid %d) ready", p.Pid)
			}
			everReady, fails = true, 0
			s.markReady(ctx)
		case errors.As(err, &pv):
			// Restarting the same binary cannot fix this: stop and tell every waiter why.
			s.mu.Lock()
			s.fatal = err
			s.mu.Unlock()
			s.cfg.Logf("%v; stopping the supervisor", err)
			s.stop()
			return
		case everReady:
			if fails++; fails == healthFailures {
				s.cfg.Logf("sidecar: swiftlet serve (pid %d) unhealthy: %v", p.Pid, err)
				s.mu.Lock()
				s.lastErr = err
				s.markUnreadyLocked()
				s.mu.Unlock()
			}
		default:
			s.mu.Lock()
			s.lastErr = err
			s.mu.Unlock()
			if time.Now().After(deadline) {
				s.cfg.Logf("sidecar: swiftlet serve (pid %d) not ready after %v (%v); killing it", p.Pid, s.cfg.StartTimeout, err)
				p.Kill()
				return
			}
		}
		t := time.NewTimer(interval)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
	}
}

func (s *Supervisor) markReady(gate context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if gate.Err() == nil && !s.isReady {
		close(s.ready)
		s.isReady = true
		s.lastErr = nil
	}
}

func (s *Supervisor) markUnreadyLocked() {
	if s.isReady {
		s.ready = make(chan struct{})
		s.isReady = false
	}
}

// reap asks the server to drain and exit (it then removes its socket itself) and kills it
// after StopGrace; a killed server leaves its socket file behind, so it is removed here.
func (s *Supervisor) reap(p *os.Process, exited <-chan error) {
	if err := p.Signal(syscall.SIGTERM); err == nil {
		t := time.NewTimer(s.cfg.StopGrace)
		defer t.Stop()
		select {
		case <-exited:
			s.cfg.Logf("sidecar: swiftlet serve (pid %d) stopped", p.Pid)
			return
		case <-t.C:
			s.cfg.Logf("sidecar: swiftlet serve (pid %d) still running %v after SIGTERM; killing it", p.Pid, s.cfg.StopGrace)
		}
	}
	p.Kill()
	<-exited
	os.Remove(s.cfg.Socket)
}
