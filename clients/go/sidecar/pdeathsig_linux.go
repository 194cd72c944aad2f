package sidecar

import "syscall"

// sysProcAttr makes the kernel send SIGTERM to the server when this process dies, even
// by SIGKILL, so a crashed daemon never leaves an orphaned server holding the socket.
// (The signal fires when the spawning OS thread exits; Go only retires threads of
// goroutines that locked them, which the supervisor never does.) --exit-with-parent is
// the server's own, slower, portable fallback.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
