// Package cli implements infopatient's subcommands.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/infopatient/infopatient/internal/config"
)

// IO is where a command reads and writes.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, cfg *config.Config, args []string, io IO) error
}

var commands = map[string]command{
	"serve":   {"serve the portal (the default)", serve},
	"migrate": {"apply pending database migrations", migrate},
	"config":  {"print the effective configuration, secrets masked", printConfig},
	"account": {"manage local accounts: list, create, passwd, link, unlink", account},
	"check":   {"reach the database and every configured authority", check},
	"sandbox": {"run the Pro Santé Connect, HIN and Covercard simulators alone", sandboxCmd},
}

// errUsage marks a wrongly typed command line (exit status 2).
var errUsage = errors.New("usage")

// Run executes the subcommand named by args[0] ("serve" when absent) and
// returns the process exit status.
func Run(ctx context.Context, args []string, in io.Reader, out, errw io.Writer) int {
	name := "serve"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	if name == "help" || name == "-h" || name == "--help" {
		usage(out)
		return 0
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(errw, "infopatient: unknown command %q\n", name)
		usage(errw)
		return 2
	}
	cfg, err := config.FromEnvironment()
	if err != nil {
		fmt.Fprintln(errw, err)
		return 1
	}
	if err := cmd.run(ctx, cfg, args, IO{In: in, Out: out, Err: errw}); err != nil {
		if errors.Is(err, errUsage) {
			fmt.Fprintln(errw, err)
			return 2
		}
		fmt.Fprintln(errw, "infopatient:", err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: infopatient [command] [arguments]\n\ncommands:")
	for _, n := range slices.Sorted(maps.Keys(commands)) {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nConfiguration comes from INFOPATIENT_* environment variables; see README.md.")
}

// usageError is errUsage with the text to print, as it is: how to type
// the command, or what is wrong with an argument.
func usageError(format string, args ...any) error {
	return usageText(fmt.Sprintf(format, args...))
}

type usageText string

func (e usageText) Error() string      { return string(e) }
func (usageText) Is(target error) bool { return target == errUsage }
