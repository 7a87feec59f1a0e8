package nir_test

import (
	"errors"
	"fmt"

	"github.com/infopatient/infopatient/internal/nir"
)

func ExampleParse() {
	n, err := nir.Parse("1 85 02 2a 123 456 82")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n.String(), n.Key())
	fmt.Println(n.Formatted())
	fmt.Println(n.Sex(), n.Department(), n.PlaceCode())
	// Output:
	// 185022A123456 82
	// 1 85 02 2A 123 456 82
	// male 2A 2A123
}

func ExampleParse_wrongKey() {
	_, err := nir.Parse("1 85 02 2A 123 456 83")
	fmt.Println(errors.Is(err, nir.ErrKey), err)
	// Output: true nir: key does not match
}

func ExampleComputeKey() {
	key, err := nir.ComputeKey("2840297105123")
	fmt.Println(key, err)
	// Output: 12 <nil>
}
