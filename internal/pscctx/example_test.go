package pscctx_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/infopatient/infopatient/internal/pscctx"
)

func Example() {
	c, _ := pscctx.New("https://context.example/api", nil)
	_, err := c.ReadPatient(context.Background(), "", "899700000001")
	fmt.Println(errors.Is(err, pscctx.ErrNoToken))
	// Output: true
}
