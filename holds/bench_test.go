package holds_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"helpforce/holds"
)

var (
	categories = []string{"Téléviseur OLED", "Téléviseur LED", "Smartphone", "Tablette", "Ordinateur portable",
		"Casque audio", "Enceinte Bluetooth", "Lave-linge", "Sèche-linge", "Réfrigérateur", "Four micro-ondes",
		"Aspirateur balai", "Machine à café", "Bouilloire", "Grille-pain", "Montre connectée", "Écouteurs sans fil",
		"Imprimante", "Écran PC", "Console de jeux", "Appareil photo", "Barre de son", "Robot cuiseur",
		"Climatiseur mobile", "Radiateur électrique"}
	brands = []string{"Samsung", "LG", "Sony", "Philips", "Bosch", "Apple", "Lenovo", "HP", "Dyson", "Moulinex",
		"Seb", "Braun", "Xiaomi", "Panasonic", "Whirlpool", "Siemens", "Canon", "Epson", "JBL", "Asus"}
)

// catalogue renders n products as CSV, SKU-0000000 onwards, with names like
// "Téléviseur OLED Samsung série 7 55-42".
func catalogue(n int, onHand func(i int) int) string {
	var b strings.Builder
	b.Grow(n * 64)
	b.WriteString("sku,name,on_hand,price\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "SKU-%07d,%s %s série %d %d-%d,%d,%d.%02d\n", i, categories[i%len(categories)],
			brands[(i/len(categories))%len(brands)], i%9+1, 20+i%60, i%97, onHand(i), 10+i%2000, i%100)
	}
	return b.String()
}

// newStore adds an empty store.
func (s *shop) newStore(name string) string {
	var id string
	if err := s.db.Get(&id, `INSERT INTO stores (name, timezone, lat, lng) VALUES ($1, 'Europe/Paris', 45.7, 4.8) RETURNING id`,
		name); err != nil {
		s.t.Fatal(err)
	}
	return id
}

func TestImport100k(t *testing.T) {
	s := newShop(t, holds.Config{})
	body := catalogue(100_000, func(i int) int { return i % 50 })
	calls := 0
	start := time.Now()
	res, err := s.k.ImportCSV(context.Background(), s.store.ID, strings.NewReader(body), func(int) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("100,000 rows in %v", time.Since(start))
	var n int
	if err := s.db.Get(&n, `SELECT count(*) FROM products WHERE store_id = $1`, s.store.ID); err != nil {
		t.Fatal(err)
	}
	if res.Upserted != 100_000 || calls != 100 || n != 100_000 {
		t.Fatalf("upserted %d, %d products, %d progress calls", res.Upserted, n, calls)
	}
	// The search is served by the indexes, not by reading the store's products.
	for _, q := range []string{"samsung oled", "sku-00012"} {
		var plan []string
		if err := s.db.Select(&plan, `EXPLAIN `+searchSQL(s.store.ID, q)); err != nil {
			t.Fatal(err)
		}
		if p := strings.Join(plan, "\n"); strings.Contains(p, "Seq Scan") {
			t.Errorf("q %q reads the whole table:\n%s", q, p)
		}
	}
}

// searchSQL is the search for q with its values inlined, for EXPLAIN.
func searchSQL(storeID, q string) string {
	words := strings.Fields(q)
	var conds []string
	for _, w := range words {
		conds = append(conds, fmt.Sprintf("search_name LIKE search_fold('%%%s%%')", w))
	}
	return fmt.Sprintf(`SELECT sku FROM products WHERE store_id = '%s' AND (lower(sku) LIKE '%s%%' OR (%s))
		ORDER BY similarity(search_name, search_fold('%s')) DESC LIMIT 50`, storeID, strings.ToLower(q), strings.Join(conds, " AND "), q)
}

// BenchmarkHoldHotSKU: holds placed in parallel on one SKU with plenty of
// stock; every one takes the same row lock.
func BenchmarkHoldHotSKU(b *testing.B) {
	s := newShop(b, holds.Config{})
	s.stock("HOT", "Console de jeux", 100_000_000)
	benchHolds(b, s, func(int64) string { return "HOT" })
}

// BenchmarkHoldManySKUs: holds spread over 1,000 SKUs.
func BenchmarkHoldManySKUs(b *testing.B) {
	s := newShop(b, holds.Config{})
	s.db.MustExec(`INSERT INTO products (store_id, sku, name, on_hand)
		SELECT $1, 'SKU-' || i, 'Product ' || i, 1000000 FROM generate_series(1, 1000) i`, s.store.ID)
	benchHolds(b, s, func(n int64) string { return fmt.Sprint("SKU-", n%1000+1) })
}

func benchHolds(b *testing.B, s *shop, sku func(int64) string) {
	s.subscribe()
	s.available("sam", "lea")
	ctx := context.Background()
	var n atomic.Int64
	// Each hold waits on the database most of its time: more callers than
	// cores, as a server has.
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, err := s.k.Place(ctx, s.staff["remi"], "", holds.NewHold{StoreID: s.store.ID, SKU: sku(n.Add(1)), Quantity: 1})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "holds/s")
}

// BenchmarkImport100k: one op is a 100,000-row CSV import, into a new store
// (every row inserted) or over the same products with new counts (every
// row updated).
func BenchmarkImport100k(b *testing.B) {
	s := newShop(b, holds.Config{})
	ctx := context.Background()
	b.Run("new", func(b *testing.B) {
		body := catalogue(100_000, func(i int) int { return i % 50 })
		for i := 0; i < b.N; i++ {
			store := s.newStore(fmt.Sprint("Bench ", i))
			if _, err := s.k.ImportCSV(ctx, store, strings.NewReader(body), nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*100_000)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("update", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			body := catalogue(100_000, func(j int) int { return (i + j) % 50 })
			b.StartTimer()
			if _, err := s.k.ImportCSV(ctx, s.store.ID, strings.NewReader(body), nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*100_000)/b.Elapsed().Seconds(), "rows/s")
	})
}

// BenchmarkSearch100k: searches in a store of 100,000 products.
func BenchmarkSearch100k(b *testing.B) {
	s := newShop(b, holds.Config{})
	ctx := context.Background()
	if _, err := s.k.ImportCSV(ctx, s.store.ID, strings.NewReader(catalogue(100_000, func(int) int { return 5 })), nil); err != nil {
		b.Fatal(err)
	}
	s.db.MustExec(`ANALYZE products`)
	for _, c := range []struct{ name, q string }{
		{"name", "samsung oled"},
		{"name-accents", "televiseur série 7"},
		{"sku-prefix", "sku-00123"},
		{"list", ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				list, err := s.k.Products(ctx, s.store.ID, c.q, 50)
				if err != nil || len(list) == 0 {
					b.Fatal(len(list), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/op")
		})
	}
}
