package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

// requirePasskey sets (or with -off clears) the account's own passkey
// requirement; the change is in the account's security trail.
func requirePasskey(ctx context.Context, st *store.Store, args []string, io IO) error {
	fs := flag.NewFlagSet("account require-passkey", flag.ContinueOnError)
	fs.SetOutput(io.Err)
	off := fs.Bool("off", false, "no longer require a passkey (the portal's policy applies)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return usageError(accountUsage)
	}
	login := fs.Arg(0)
	a, err := st.AccountByLogin(ctx, login)
	if err != nil {
		return fmt.Errorf("account %s: %w", login, err)
	}
	if err := st.SetPasskeyRequired(ctx, a.ID, !*off); err != nil {
		return err
	}
	if *off {
		fmt.Fprintf(io.Out, "account %s follows INFOPATIENT_LOCAL_SIGNIN again\n", login)
		return nil
	}
	n, err := st.CountPasskeys(ctx, a.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "account %s must now use a passkey (%d registered", login, n)
	if n == 0 {
		fmt.Fprint(io.Out, "; it will be asked to register one at its next password sign-in")
	}
	fmt.Fprintln(io.Out, ")")
	return nil
}

func listPasskeys(ctx context.Context, st *store.Store, login string, out io.Writer) error {
	a, err := st.AccountByLogin(ctx, login)
	if err != nil {
		return fmt.Errorf("account %s: %w", login, err)
	}
	keys, err := st.PasskeysOf(ctx, a.ID)
	if err != nil {
		return err
	}
	required, err := st.PasskeyRequired(ctx, a.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "account %s: %d passkey(s), required for this account: %v\n", login, len(keys), required)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tREGISTERED\tLAST USED")
	for _, k := range keys {
		used := "never"
		if !k.LastUsedAt.IsZero() {
			used = k.LastUsedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", k.Name, k.CreatedAt.Format(time.RFC3339), used)
	}
	return tw.Flush()
}

// resetPasskeys is the recovery of a professional who lost every passkey:
// they go, and the next password sign-in asks for a new one when the
// policy wants one.
func resetPasskeys(ctx context.Context, st *store.Store, login string, out io.Writer) error {
	a, err := st.AccountByLogin(ctx, login)
	if err != nil {
		return fmt.Errorf("account %s: %w", login, err)
	}
	n, err := st.ResetPasskeys(ctx, a.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d passkey(s) of %s removed; the next sign-in with the password registers a new one where one is required\n", n, login)
	return nil
}
