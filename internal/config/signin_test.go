package config

import "testing"

func TestLocalSignIn(t *testing.T) {
	c, err := Load(env(map[string]string{}))
	if err != nil {
		t.Fatal(err)
	}
	if c.LocalSignIn != SignInPassword || c.LocalSignIn.Strict() {
		t.Errorf("default %q", c.LocalSignIn)
	}
	for _, p := range []LocalSignIn{SignInPassword, SignInPasswordPasskey, SignInPasskey} {
		c, err := Load(env(map[string]string{"INFOPATIENT_LOCAL_SIGNIN": string(p)}))
		if err != nil || c.LocalSignIn != p || c.LocalSignIn.Strict() != (p != SignInPassword) {
			t.Errorf("%q: %+v %v", p, c, err)
		}
	}
	problems := problemsOf(t, map[string]string{"INFOPATIENT_LOCAL_SIGNIN": "passkey+password"})
	reportedOnce(t, problems, "INFOPATIENT_LOCAL_SIGNIN", "password")
}
