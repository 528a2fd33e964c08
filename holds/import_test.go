package holds_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"helpforce/fault"
	"helpforce/holds"
	"helpforce/pg/pgtest"
)

func TestImportCSV(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.stock("KEEP-PRICE", "Old name", 1)
	ctx := context.Background()
	csv := "\ufeffSKU, Name ,On_Hand,PRICE\n" +
		"TV-1,\"OLED TV, 55\"\"\",4,1299.00\n" +
		"TV-2,LCD TV,0,\n" +
		"\n" + // blank lines are skipped
		"KEEP-PRICE,New name,9,\n"
	var calls []int
	res, err := s.k.ImportCSV(ctx, s.store.ID, strings.NewReader(csv), func(n int) { calls = append(calls, n) })
	if err != nil || res.Upserted != 3 || len(res.BelowHeld) != 0 || res.BelowHeld == nil {
		t.Fatalf("import: %+v %v", res, err)
	}
	if fmt.Sprint(calls) != "[3]" {
		t.Fatalf("progress calls %v", calls)
	}
	list, err := s.k.Products(ctx, s.store.ID, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]holds.Product{}
	for _, p := range list {
		got[p.SKU] = p
	}
	if p := got["TV-1"]; p.Name != `OLED TV, 55"` || p.Price == nil || *p.Price != 1299 || p.OnHand != 4 {
		t.Fatalf("TV-1: %+v", p)
	}
	if p := got["TV-2"]; p.Price != nil || p.OnHand != 0 {
		t.Fatalf("TV-2: %+v", p)
	}
	// An empty price keeps the one stored; name and count are replaced.
	if p := got["KEEP-PRICE"]; p.Name != "New name" || p.Price == nil || *p.Price != 499.99 || p.OnHand != 9 {
		t.Fatalf("KEEP-PRICE: %+v", p)
	}
	// Without a price column too.
	if _, err := s.k.ImportCSV(ctx, s.store.ID, strings.NewReader("sku,name,on_hand\nTV-1,OLED TV,2\n"), nil); err != nil {
		t.Fatal(err)
	}
	if p, err := s.k.Products(ctx, s.store.ID, "TV-1", 1); err != nil || len(p) != 1 || *p[0].Price != 1299 || p[0].OnHand != 2 {
		t.Fatalf("after a stock-only import: %+v %v", p, err)
	}
}

// TestImportRefusesBadFiles: the first bad row refuses the whole file with
// its line, and nothing is changed.
func TestImportRefusesBadFiles(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.stock("A", "Kettle", 5)
	ctx := context.Background()
	good := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "NEW-%d,Product %d,3,9.99\n", i, i)
		}
		return b.String()
	}
	header := "sku,name,on_hand,price\n"
	cases := []struct{ name, body, want string }{
		{"negative count", header + "A,Kettle,0,1\n" + good(4) + "B,Bad,-1,1\n" + good(3), "line 7: on_hand must be a whole number ≥ 0"},
		{"count not a number", header + good(2) + "B,Bad,three,1\n", "line 4: on_hand must be"},
		{"count too large", header + "B,Bad,1000001,1\n", "line 2: on_hand is more than 1,000,000"},
		{"bad price", header + "B,Bad,1,-2\n", "line 2: price must be"},
		{"price with 3 decimals", header + "B,Bad,1,1.999\n", "line 2: price must be"},
		{"empty sku", header + good(1) + " ,Bad,1,1\n", "line 3: sku is empty"},
		{"long sku", header + strings.Repeat("x", 65) + ",Bad,1,1\n", "line 2: sku is longer than 64"},
		{"empty name", header + "B,,1,1\n", "line 2: name is empty"},
		{"long name", header + "B," + strings.Repeat("é", 201) + ",1,1\n", "line 2: name is longer than 200"},
		{"duplicate sku", header + good(3) + "NEW-1,Again,1,1\n", `line 5: sku "NEW-1" is already on line 3`},
		{"wrong header", "ref,name,on_hand\nA,B,1\n", `line 1: unknown column "ref"`},
		{"missing column", "sku,name\nA,B\n", "line 1: the first line names the columns"},
		{"extra column", "sku,name,on_hand,price,colour\nA,B,1,1,red\n", `line 1: unknown column "colour"`},
		{"extra field", header + good(2) + "B,Bad,1,1,more\n", "line 4: expected 4 columns like the first line, found 5"},
		{"bare quote", header + good(1) + "B,Bad \"quote,1,1\n", `line 3: a " in a field that is not quoted`},
		{"unclosed quote", header + "B,\"Bad,1,1\n", "a quoted field is not closed"},
		{"oversized row", header + good(2) + "B," + strings.Repeat("x", 9000) + ",1,1\n", "line 4: the row is longer than 8 KB"},
		{"line break in a name", header + good(1) + "B,\"two\nlines\",1,1\n", "line 3: name has characters that are not text"},
		{"oversized quoted row", header + "B,\"" + strings.Repeat("x\n", 5000) + "\",1,1\n", "line 2: the row is longer than 8 KB"},
		{"empty file", "", "the file is empty"},
		{"header only", header, "the file lists no products"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.k.ImportCSV(ctx, s.store.ID, strings.NewReader(c.body), nil)
			pgtest.WantFault(t, err, fault.KindInvalid, "")
			if fe, _ := fault.As(err); fe.Field != "body" || !strings.Contains(fe.Message, c.want) {
				t.Fatalf("message %q, want %q", err, c.want)
			}
			var n, onHand int
			if err := s.db.Get(&n, `SELECT count(*) FROM products`); err != nil {
				t.Fatal(err)
			}
			if err := s.db.Get(&onHand, `SELECT on_hand FROM products WHERE sku = 'A'`); err != nil {
				t.Fatal(err)
			}
			if n != 1 || onHand != 5 {
				t.Fatalf("a refused import changed the inventory: %d products, A on hand %d", n, onHand)
			}
		})
	}
	_, err := s.k.ImportCSV(ctx, "6f1c8a8e-2b7e-4a53-9d1f-7c2f5d1e0a11", strings.NewReader(header+good(1)), nil)
	pgtest.WantFault(t, err, fault.KindNotFound, "")
	_, err = s.k.ImportCSV(ctx, "nope", strings.NewReader(header+good(1)), nil)
	pgtest.WantFault(t, err, fault.KindNotFound, "")
}

// failingReader breaks off an upload after some rows, as a body over its
// size limit does.
type failingReader struct{ r io.Reader }

var errCut = fmt.Errorf("body too large")

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errCut
	}
	return n, err
}

func TestImportCutShortKeepsTheCause(t *testing.T) {
	s := newShop(t, holds.Config{})
	_, err := s.k.ImportCSV(context.Background(), s.store.ID, &failingReader{strings.NewReader("sku,name,on_hand\nA,B,1\n")}, nil)
	if err == nil || !strings.Contains(err.Error(), errCut.Error()) {
		t.Fatalf("got %v", err)
	}
	if _, ok := fault.As(err); ok {
		t.Fatal("a broken upload was blamed on the file")
	}
}

func TestImportJSON(t *testing.T) {
	s := newShop(t, holds.Config{})
	ctx := context.Background()
	body := `[{"sku": "TV-1", "name": "OLED TV", "on_hand": 4, "price": 1299.5},
		{"sku": "TV-2", "name": "LCD TV", "on_hand": 2, "price": null},
		{"sku": "TV-3", "name": "Projector", "on_hand": 1}]`
	res, err := s.k.ImportJSON(ctx, s.store.ID, strings.NewReader(body), nil)
	if err != nil || res.Upserted != 3 {
		t.Fatalf("import: %+v %v", res, err)
	}
	p, err := s.k.Products(ctx, s.store.ID, "TV-1", 1)
	if err != nil || len(p) != 1 || *p[0].Price != 1299.5 || p[0].OnHand != 4 {
		t.Fatalf("TV-1: %+v %v", p, err)
	}
	for body, want := range map[string]string{
		`{"sku": "A"}`: "send an array",
		`[{"sku": "A", "name": "B", "on_hand": 1}, {"sku": "C", "name": "D", "on_hand": 1.5}]`: "item 2: on_hand must be a whole number",
		`[{"sku": "A", "name": "B", "on_hand": 1, "colour": "red"}]`:                           `item 1: unknown field "colour"`,
		`[{"sku": 12, "name": "B", "on_hand": 1}]`:                                             "item 1: sku cannot be a number",
		`[{"sku": "A", "name": "B", "on_hand": 1}, 7]`:                                         "item 2: each product is an object",
		`[{"sku": "A", "name": "B", "on_hand": 1}`:                                             "the array: the JSON ends too early",
		`[{"sku": "A", "name": "B", "on_hand": 1}] []`:                                         "there is more after the array",
		`[{"sku": "A", "name": "B", "on_hand": 1}, {"sku": "A", "name": "B", "on_hand": 2}]`:   `item 2: sku "A" is already on item 1`,
		`[]`: "the file lists no products",
		``:   "the body is empty",
	} {
		_, err := s.k.ImportJSON(ctx, s.store.ID, strings.NewReader(body), nil)
		if fe, ok := fault.As(err); !ok || fe.Kind != fault.KindInvalid || !strings.Contains(fe.Message, want) {
			t.Fatalf("%s: got %v, want %q", body, err, want)
		}
	}
	var n int
	if err := s.db.Get(&n, `SELECT count(*) FROM products`); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("%d products after refused imports, want 3", n)
	}
}

// TestImportBelowHeld: a count below the units held is accepted, reported
// and sent to the store's managers.
func TestImportBelowHeld(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.subscribe()
	s.stock("TV-1", "OLED TV", 5)
	h := s.place(s.shopper, "TV-1", 3)
	res, err := s.k.ImportCSV(context.Background(), s.store.ID, strings.NewReader("sku,name,on_hand\nTV-1,OLED TV,1\nTV-2,LCD,8\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Upserted != 2 || len(res.BelowHeld) != 1 || res.BelowHeld[0] != (holds.Shortfall{SKU: "TV-1", OnHand: 1, Held: 3}) {
		t.Fatalf("result %+v", res)
	}
	alerts := s.pushes(s.staff["claire"], "request_update")
	if len(alerts) != 1 || alerts[0]["title"] != "Stock below holds" || alerts[0]["hold_id"] != h.ID ||
		!strings.Contains(alerts[0]["body"].(string), "TV-1 (1 on hand, 3 held)") {
		t.Fatalf("manager alerts %v", alerts)
	}
	if len(s.pushes(s.staff["sam"], "request_update")) != 0 {
		t.Fatal("floor staff were sent the stock alert")
	}
	p, err := s.k.Products(context.Background(), s.store.ID, "TV-1", 1)
	if err != nil || len(p) != 1 || p[0].OnHand != 1 || p[0].Held != 3 || p[0].Available != 0 {
		t.Fatalf("product %+v %v", p, err)
	}
}
