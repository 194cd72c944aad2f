// Embeds a sentence and OCRs an image (tools/test-clients.sh runs it).
// usage: go run ./example EMBEDDER.swl DET.swl REC.swl CLS.swl IMAGE
package main

import (
	"fmt"
	"log"
	"os"

	"swiftlet.dev/clients/go/swiftlet"
)

func main() {
	a := os.Args[1:]
	e, err := swiftlet.OpenEmbedder(a[0], swiftlet.EmbedderOptions{Threads: 2})
	if err != nil {
		log.Fatal(err) // *swiftlet.Error: Status, Name, Message
	}
	defer e.Close()
	v, err := e.Embed([]string{"Swiftlet runs on the CPU"}, swiftlet.PrefixNone)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("embedding: %d floats, first %.4f\n", len(v[0]), v[0][0])
	ocr, err := swiftlet.OpenOCR(a[1], a[2], a[3], swiftlet.OCROptions{Threads: 2})
	if err != nil {
		log.Fatal(err)
	}
	defer ocr.Close()
	res, err := ocr.RunFile(a[4]) // or RunEncoded(bytes), RunPixels(pixels, w, h, stride, format)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range res.Lines {
		fmt.Printf("(%.0f, %.0f) %s  %.3f\n", l.Box[0], l.Box[1], l.Text, l.Score)
	}
}
