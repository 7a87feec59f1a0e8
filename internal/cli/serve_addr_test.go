package cli

import (
	"net"
	"strings"
	"testing"
)

// A port already taken stops serve with a message naming INFOPATIENT_ADDR.
func TestServeOnATakenPortNamesTheVariable(t *testing.T) {
	demoEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	t.Setenv("INFOPATIENT_ADDR", ln.Addr().String())
	code, out, errOut := run(t, "", "serve")
	if code == 0 {
		t.Fatalf("serve on a taken port exited 0: %s", out)
	}
	if !strings.Contains(errOut, "INFOPATIENT_ADDR="+ln.Addr().String()) || !strings.Contains(errOut, "port taken") {
		t.Errorf("the error does not name INFOPATIENT_ADDR: %q", errOut)
	}
}
