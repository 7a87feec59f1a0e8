package secretbox

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func testBox(t testing.TB) (*Box, []byte) {
	t.Helper()
	key := GenerateKey()
	b, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	return b, key
}

func TestRoundTrip(t *testing.T) {
	b, _ := testBox(t)
	for _, plain := range [][]byte{nil, {}, []byte(`{"access_token":"a#b+c"}`), bytes.Repeat([]byte{0xff}, 4096)} {
		sealed, err := b.Seal(plain, []byte("hin:user:42"))
		if err != nil {
			t.Fatal(err)
		}
		if len(plain) > 8 && bytes.Contains(sealed, plain[:8]) {
			t.Fatal("plaintext visible in the ciphertext")
		}
		got, err := b.Open(sealed, []byte("hin:user:42"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, plain) {
			t.Fatalf("got %q, want %q", got, plain)
		}
	}
}

func TestSealIsRandomised(t *testing.T) {
	b, _ := testBox(t)
	one, _ := b.Seal([]byte("same"), nil)
	two, _ := b.Seal([]byte("same"), nil)
	if bytes.Equal(one, two) {
		t.Fatal("two seals of the same text are equal: nonce reused")
	}
}

func TestOpenRefuses(t *testing.T) {
	b, _ := testBox(t)
	other, _ := testBox(t)
	aad := []byte("hin:user:42")
	sealed, err := b.Seal([]byte("refresh#token+"), aad)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		c := bytes.Clone(sealed)
		c[i] ^= 0x01
		return c
	}
	tests := []struct {
		name string
		box  *Box
		ct   []byte
		aad  []byte
	}{
		{"wrong key", other, sealed, aad},
		{"other row", b, sealed, []byte("hin:user:43")},
		{"no associated data", b, sealed, nil},
		{"version altered", b, flip(0), aad},
		{"nonce altered", b, flip(3), aad},
		{"ciphertext altered", b, flip(14), aad},
		{"tag altered", b, flip(len(sealed) - 1), aad},
		{"truncated", b, sealed[:len(sealed)-1], aad},
		{"too short", b, sealed[:10], aad},
		{"empty", b, nil, aad},
		{"extended", b, append(bytes.Clone(sealed), 0), aad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.box.Open(tt.ct, tt.aad)
			if !errors.Is(err, ErrOpen) || got != nil {
				t.Fatalf("Open = %q, %v", got, err)
			}
		})
	}
}

func TestNewKeySize(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33, 64} {
		if _, err := New(make([]byte, n)); !errors.Is(err, ErrKeySize) {
			t.Errorf("%d-byte key: %v", n, err)
		}
	}
}

func TestNewCopiesKey(t *testing.T) {
	key := GenerateKey()
	b, _ := New(key)
	sealed, _ := b.Seal([]byte("x"), nil)
	for i := range key {
		key[i] = 0
	}
	if _, err := b.Open(sealed, nil); err != nil {
		t.Fatal("box depends on the caller's key slice")
	}
}

func TestParseKey(t *testing.T) {
	key := GenerateKey()
	key[0], key[1] = 0xfb, 0xff // '+' and '/' in standard base64, '-' and '_' in URL base64
	std := EncodeKey(key)
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"standard", std, true},
		{"surrounding space", "  " + std + "\n", true},
		{"unpadded", strings.TrimRight(std, "="), true},
		{"URL alphabet", strings.NewReplacer("+", "-", "/", "_").Replace(std), true},
		{"16 bytes", EncodeKey(make([]byte, 16)), false},
		{"33 bytes", EncodeKey(make([]byte, 33)), false},
		{"not base64", "this is not a key!", false},
		{"hex", strings.Repeat("ab", 32), false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseKey(tt.in)
			if tt.ok {
				if err != nil || !bytes.Equal(got, key) {
					t.Fatalf("ParseKey = %x, %v", got, err)
				}
				return
			}
			if !errors.Is(err, ErrKeyFormat) {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(err.Error(), tt.in) && tt.in != "" {
				t.Fatal("error quotes the key")
			}
		})
	}
}

func TestGenerateKeyDiffers(t *testing.T) {
	if bytes.Equal(GenerateKey(), GenerateKey()) {
		t.Fatal("two generated keys are equal")
	}
}

// FuzzOpen feeds stored bytes to Open: it never panics and never opens
// anything but what Seal produced.
func FuzzOpen(f *testing.F) {
	b, err := New(bytes.Repeat([]byte{7}, KeySize))
	if err != nil {
		f.Fatal(err)
	}
	sealed, _ := b.Seal([]byte("seed"), []byte("k"))
	f.Add(sealed, []byte("k"))
	f.Add([]byte{}, []byte{})
	f.Add([]byte{1}, []byte("k"))
	f.Add(bytes.Repeat([]byte{1}, 29), []byte("k"))
	f.Fuzz(func(t *testing.T, ct, aad []byte) {
		plain, err := b.Open(ct, aad)
		// The key sealed nothing but "seed" under "k" (in this process or
		// the one that generated the corpus).
		if err == nil && (string(aad) != "k" || string(plain) != "seed") {
			t.Fatalf("opened foreign bytes: %q", plain)
		}
	})
}

// A rolling rotation: the new box opens what the old key sealed, seals
// with the new key only, and still refuses a key it was not given or a
// ciphertext moved to another row.
func TestPreviousKeyOpensDuringRotation(t *testing.T) {
	oldKey, newKey := GenerateKey(), GenerateKey()
	old, _ := New(oldKey)
	rotating, err := New(newKey, oldKey)
	if err != nil {
		t.Fatal(err)
	}
	aad := []byte("hin:user:42")
	byOld, _ := old.Seal([]byte("sealed before"), aad)
	if got, err := rotating.Open(byOld, aad); err != nil || string(got) != "sealed before" {
		t.Fatalf("the previous key's ciphertext: %q %v", got, err)
	}
	if _, err := rotating.Open(byOld, []byte("hin:user:43")); !errors.Is(err, ErrOpen) {
		t.Errorf("another row's associated data opened: %v", err)
	}
	// What the rotating box seals is the new key's alone.
	byNew, _ := rotating.Seal([]byte("sealed after"), aad)
	newOnly, _ := New(newKey)
	if got, err := newOnly.Open(byNew, aad); err != nil || string(got) != "sealed after" {
		t.Fatalf("the new key alone: %q %v", got, err)
	}
	if _, err := old.Open(byNew, aad); !errors.Is(err, ErrOpen) {
		t.Error("sealed with the previous key")
	}
	// An instance not yet rotated opens the new key's ciphertext when it
	// has the new key as its previous one (rolling back).
	back, _ := New(oldKey, newKey)
	if _, err := back.Open(byNew, aad); err != nil {
		t.Errorf("rolling back: %v", err)
	}
	// A third key opens neither.
	stranger, _ := New(GenerateKey(), GenerateKey())
	for _, ct := range [][]byte{byOld, byNew} {
		if _, err := stranger.Open(ct, aad); !errors.Is(err, ErrOpen) {
			t.Errorf("a stranger opened: %v", err)
		}
	}
}

func TestPreviousKeySize(t *testing.T) {
	if _, err := New(GenerateKey(), make([]byte, 16)); !errors.Is(err, ErrKeySize) {
		t.Fatalf("short previous key: %v", err)
	}
	if _, err := New(GenerateKey(), nil...); err != nil {
		t.Fatalf("no previous key: %v", err)
	}
}

// A signature verifies for its purpose and message only, under the key or
// one it replaced; never under an unrelated key.
func TestSignVerify(t *testing.T) {
	old, cur := GenerateKey(), GenerateKey()
	prev, _ := New(old)
	box, _ := New(cur, old)
	other, _ := New(GenerateKey())
	mac := box.Sign("csrf", []byte("session"))
	switch {
	case !box.Verify("csrf", []byte("session"), mac):
		t.Error("its own signature is refused")
	case box.Verify("other", []byte("session"), mac):
		t.Error("a signature for another purpose is accepted")
	case box.Verify("csrf", []byte("session2"), mac):
		t.Error("a signature of another message is accepted")
	case other.Verify("csrf", []byte("session"), mac):
		t.Error("another key accepts the signature")
	case !box.Verify("csrf", []byte("m"), prev.Sign("csrf", []byte("m"))):
		t.Error("a signature of the previous key is refused")
	case box.Verify("csrf", []byte("session"), nil):
		t.Error("an empty signature is accepted")
	}
}
