package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/password"
	"github.com/infopatient/infopatient/internal/store"
)

const accountUsage = `usage:
  infopatient account list
  infopatient account create -login N -given NAME -family NAME [-profession P] [-rpps N] [-gln N]   (password on standard input)
  infopatient account passwd LOGIN                                                          (password on standard input)
  infopatient account link LOGIN psc|hin SUBJECT        (SUBJECT: the idNat for psc, the hin_id for hin)
  infopatient account unlink psc|hin SUBJECT
  infopatient account require-passkey [-off] LOGIN       (the account must use a passkey, whatever INFOPATIENT_LOCAL_SIGNIN)
  infopatient account passkeys LOGIN                     (list the account's passkeys)
  infopatient account reset-passkeys LOGIN               (recovery: remove every passkey of the account)`

func account(ctx context.Context, cfg *config.Config, args []string, io IO) error {
	if len(args) == 0 {
		return usageError(accountUsage)
	}
	st, err := store.Open(ctx, cfg.DSN())
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list":
		return listAccounts(ctx, st, io.Out)
	case "create":
		return createAccount(ctx, st, args, io)
	case "passwd":
		if len(args) != 1 {
			return usageError(accountUsage)
		}
		return setPassword(ctx, st, args[0], io)
	case "link":
		if len(args) != 3 || !knownProvider(args[1]) {
			return usageError(accountUsage)
		}
		a, err := st.AccountByLogin(ctx, args[0])
		if err != nil {
			return fmt.Errorf("account %s: %w", args[0], err)
		}
		if err := st.LinkIdentity(ctx, args[1], args[2], a.ID); err != nil {
			return fmt.Errorf("link %s %s: %w", args[1], args[2], err)
		}
		fmt.Fprintf(io.Out, "%s %s is now linked to account %s\n", args[1], args[2], a.Login)
		return nil
	case "unlink":
		if len(args) != 2 || !knownProvider(args[0]) {
			return usageError(accountUsage)
		}
		if err := st.UnlinkIdentity(ctx, args[0], args[1]); err != nil {
			return fmt.Errorf("unlink %s %s: %w", args[0], args[1], err)
		}
		fmt.Fprintf(io.Out, "%s %s is no longer linked\n", args[0], args[1])
		return nil
	case "require-passkey":
		return requirePasskey(ctx, st, args, io)
	case "passkeys":
		if len(args) != 1 {
			return usageError(accountUsage)
		}
		return listPasskeys(ctx, st, args[0], io.Out)
	case "reset-passkeys":
		if len(args) != 1 {
			return usageError(accountUsage)
		}
		return resetPasskeys(ctx, st, args[0], io.Out)
	}
	return usageError(accountUsage)
}

func knownProvider(p string) bool { return p == "psc" || p == "hin" }

func listAccounts(ctx context.Context, st *store.Store, out io.Writer) error {
	accounts, err := st.ListAccounts(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGIN\tNAME\tPROFESSION\tRPPS\tGLN\tPASSWORD\tLINKED")
	for _, a := range accounts {
		ids, err := st.IdentitiesOf(ctx, a.ID)
		if err != nil {
			return err
		}
		var linked []string
		for _, id := range ids {
			linked = append(linked, shown(id.Provider+":"+id.Subject))
		}
		pw := "no"
		if a.PasswordHash != "" {
			pw = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", shown(a.Login), shown(a.GivenName+" "+a.FamilyName), shown(a.Profession), shown(a.RPPS), shown(a.GLN), pw, strings.Join(linked, ", "))
	}
	return tw.Flush()
}

func createAccount(ctx context.Context, st *store.Store, args []string, io IO) error {
	fs := flag.NewFlagSet("account create", flag.ContinueOnError)
	fs.SetOutput(io.Err)
	var a store.Account
	fs.StringVar(&a.Login, "login", "", "N° d'Assurance Maladie (the login)")
	fs.StringVar(&a.GivenName, "given", "", "given name")
	fs.StringVar(&a.FamilyName, "family", "", "family name")
	fs.StringVar(&a.Profession, "profession", "", "profession, e.g. Médecin")
	fs.StringVar(&a.RPPS, "rpps", "", "RPPS number (optional)")
	fs.StringVar(&a.GLN, "gln", "", "GLN, the Swiss professional's 13-digit number in HIN's directory (optional): the HIN identity whose directory profile names it is linked at its first sign-in")
	if err := fs.Parse(args); err != nil || a.Login == "" || a.FamilyName == "" || fs.NArg() > 0 {
		return usageError(accountUsage)
	}
	var err error
	if a.Login, err = checkLogin(a.Login); err != nil {
		return err
	}
	if a.RPPS, err = checkRPPS(a.RPPS); err != nil {
		return err
	}
	if a.GLN, err = checkGLN(a.GLN); err != nil {
		return err
	}
	if a.GLN != "" {
		// A clear word before the database's unique index says it.
		if other, err := st.AccountByGLN(ctx, a.GLN); err == nil {
			return fmt.Errorf("-gln %s: already the GLN of account %s", a.GLN, other.Login)
		}
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"given", &a.GivenName}, {"family", &a.FamilyName}, {"profession", &a.Profession}} {
		if *f.v, err = checkName(f.name, *f.v); err != nil {
			return err
		}
	}
	if a.FamilyName == "" {
		return usageError(accountUsage)
	}
	pw, err := readPassword(io.In)
	if err != nil {
		return err
	}
	if a.PasswordHash, err = password.Default.Hash(pw); err != nil {
		return err
	}
	created, err := st.CreateAccount(ctx, a)
	if err != nil {
		return fmt.Errorf("create account %s: %w", a.Login, err)
	}
	fmt.Fprintf(io.Out, "account %s created (id %d)\n", created.Login, created.ID)
	return nil
}

// checkLogin normalises a N° d'Assurance Maladie as the login form does
// (spaces dropped) and refuses one nobody could sign in with: the login
// form compares the typed number, spaces removed, with this one.
func checkLogin(login string) (string, error) {
	n := strings.Join(strings.Fields(login), "")
	if !allDigits(n, 9) {
		return "", fmt.Errorf("-login %q: a N° d'Assurance Maladie has 9 digits (spaces allowed), e.g. 751234567", login)
	}
	return n, nil
}

// checkRPPS normalises an optional RPPS number: 11 digits when given.
func checkRPPS(rpps string) (string, error) {
	n := strings.Join(strings.Fields(rpps), "")
	if n != "" && !allDigits(n, 11) {
		return "", fmt.Errorf("-rpps %q: an RPPS number has 11 digits, e.g. 10001234567", rpps)
	}
	return n, nil
}

// checkGLN normalises an optional GLN: 13 digits (spaces and dots
// dropped) whose last is the GS1 check digit, as HIN's directory sends it.
func checkGLN(gln string) (string, error) {
	n := strings.ReplaceAll(strings.Join(strings.Fields(gln), ""), ".", "")
	if n != "" && !hin.ValidGLN(n) {
		return "", fmt.Errorf("-gln %q: a GLN has 13 digits, the last a GS1 check digit, e.g. 7601001000032", gln)
	}
	return n, nil
}

func allDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func setPassword(ctx context.Context, st *store.Store, login string, io IO) error {
	a, err := st.AccountByLogin(ctx, login)
	if err != nil {
		return fmt.Errorf("account %s: %w", login, err)
	}
	pw, err := readPassword(io.In)
	if err != nil {
		return err
	}
	hash, err := password.Default.Hash(pw)
	if err != nil {
		return err
	}
	if err := st.SetPasswordHash(ctx, a.ID, hash); err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "password of %s changed\n", login)
	return nil
}

// readPassword takes the first line of standard input, so that a password
// never appears in a command line or shell history.
func readPassword(in io.Reader) (string, error) {
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if len([]rune(pw)) < password.MinLength {
		return "", fmt.Errorf("the password (read from standard input) must have at least %d characters", password.MinLength)
	}
	return pw, nil
}
