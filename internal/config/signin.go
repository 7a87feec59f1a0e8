package config

// LocalSignIn is how a local account proves itself: INFOPATIENT_LOCAL_SIGNIN.
type LocalSignIn string

// The policies, from the weakest. A passkey alone always signs in.
const (
	// SignInPassword: the password alone is enough (accounts required to
	// use a passkey by `infopatient account require-passkey` excepted).
	SignInPassword LocalSignIn = "password"
	// SignInPasswordPasskey: the password, then a passkey as a second step.
	SignInPasswordPasskey LocalSignIn = "password+passkey"
	// SignInPasskey: a passkey only; the password serves only an account
	// without one yet, to register it.
	SignInPasskey LocalSignIn = "passkey"
)

// Strict tells whether the policy asks every account for a passkey.
func (p LocalSignIn) Strict() bool { return p == SignInPasswordPasskey || p == SignInPasskey }

func loadLocalSignIn(l *loader) LocalSignIn {
	return LocalSignIn(l.oneOf("INFOPATIENT_LOCAL_SIGNIN", string(SignInPassword),
		string(SignInPassword), string(SignInPasswordPasskey), string(SignInPasskey)))
}
