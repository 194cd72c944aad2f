package swiftlet

import (
	"fmt"
	"strings"
)

func fmtSscan(s string, v *int) (int, error) { return fmt.Sscan(strings.TrimSpace(s), v) }

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}
