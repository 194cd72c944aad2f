//go:build !linux

package sidecar

import "syscall"

// sysProcAttr: only Linux has a parent-death signal; elsewhere the server's
// --exit-with-parent (it polls its parent id) ends an orphaned server.
func sysProcAttr() *syscall.SysProcAttr { return nil }
