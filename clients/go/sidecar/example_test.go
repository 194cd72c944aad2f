package sidecar_test

import (
	"context"
	"fmt"
	"log"
	"os/signal"
	"syscall"
	"time"

	"swiftlet.dev/clients/go/sidecar"
)

// A daemon runs one swiftlet server for its whole life: spawned on the first request,
// restarted if it dies, stopped (and its socket removed) when the daemon's context ends.
func Example() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	sup, err := sidecar.NewSupervisor(ctx, sidecar.Config{
		Binary: "/usr/local/bin/swiftlet",
		Args:   []string{"--model", "/var/lib/app/models/all-MiniLM-L6-v2.swl", "--threads", "2"},
	})
	if err != nil {
		log.Fatal(err)
	}
	embedder := sup.Client(sidecar.WithTenant("indexer"))

	// The deadline travels to the server as X-Deadline: work it cannot start in time is
	// dropped there, not computed for nobody.
	reqCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	vecs, err := embedder.Embed(reqCtx, []string{"first document", "second document"}, sidecar.ModePassage)
	if err != nil {
		log.Fatal(err) // *sidecar.APIError for the server's refusals (429: see Temporary and RetryAfter)
	}
	fmt.Println(len(vecs), len(vecs[0]))

	stop()       // as on SIGTERM: the server drains and exits
	<-sup.Done() // process reaped, socket gone
}
