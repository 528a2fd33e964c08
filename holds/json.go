package holds

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"helpforce/fault"
)

// jsonSource reads an array of products one element at a time, so a large
// upload is never held whole. Products are named by their position in the
// array ("item 7"): a JSON document may be on one line.
type jsonSource struct {
	dec *json.Decoder
	n   int
}

type jsonItem struct {
	SKU    string       `json:"sku"`
	Name   string       `json:"name"`
	OnHand json.Number  `json:"on_hand"`
	Price  *json.Number `json:"price"`
	GTIN   string       `json:"gtin"`
}

func newJSONSource(r io.Reader) (*jsonSource, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, fault.Invalid("body", `the body is empty; send an array [{"sku", "name", "on_hand", "price"}]`)
	}
	if err != nil {
		return nil, jsonError("the body", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, fault.Invalid("body", `send an array of products: [{"sku", "name", "on_hand", "price"}]`)
	}
	return &jsonSource{dec: dec}, nil
}

func (s *jsonSource) at() (string, int) { return "item", s.n }

func (s *jsonSource) next() (item, error) {
	if !s.dec.More() {
		if _, err := s.dec.Token(); err != nil { // the closing ]
			return item{}, jsonError("the array", err)
		}
		if _, err := s.dec.Token(); !errors.Is(err, io.EOF) {
			return item{}, fault.Invalid("body", "there is more after the array of products")
		}
		return item{}, io.EOF
	}
	s.n++
	where := fmt.Sprintf("item %d", s.n)
	var j jsonItem
	if err := s.dec.Decode(&j); err != nil {
		return item{}, jsonError(where, err)
	}
	price := ""
	if j.Price != nil {
		price = j.Price.String()
	}
	it, err := check("item", s.n, j.SKU, j.Name, j.OnHand.String(), price)
	return checkGTIN(it, err, "item", s.n, j.GTIN)
}

// jsonError says what is wrong with the document, and where. Errors reading
// the upload itself stay wrapped for the caller.
func jsonError(where string, err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return fault.Invalid("body", `%s: each product is an object {"sku", "name", "on_hand", "price"}`, where)
	case errors.As(err, &typeErr):
		return fault.Invalid("body", "%s: %s cannot be a %s", where, typeErr.Field, typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fault.Invalid("body", "%s: malformed JSON at byte %d: %v", where, syntaxErr.Offset, err)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fault.Invalid("body", "%s: the JSON ends too early", where)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no type for this one.
		return fault.Invalid("body", "%s: %s; the fields are sku, name, on_hand and price",
			where, strings.TrimPrefix(err.Error(), "json: "))
	}
	return fmt.Errorf("holds: read the upload: %w", err)
}
