// Command infopatient runs the InfoPatient portal. With no argument it
// serves; `infopatient help` lists the other subcommands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Europe/Paris in images without a zoneinfo database

	"github.com/infopatient/infopatient/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
