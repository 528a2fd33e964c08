package geo

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchCity is 1,000 stores spread over 10 km × 10 km of Lyon, two thirds
// with footprints from mall units to big boxes, and points inside stores
// that are alone within 20 m, so that a 10 m fix is placed inside.
func benchCity(b *testing.B) (*Index, []Point) {
	b.Helper()
	rng := rand.New(rand.NewPCG(7, 8))
	areas := make([]Area, 1000)
	for i := range areas {
		c := at(partDieu, -5000+rng.Float64()*10000, -5000+rng.Float64()*10000)
		areas[i] = Area{StoreID: fmt.Sprint("store-", i), Location: c}
		if i%3 > 0 {
			w, h := 12+rng.Float64()*70, 25+rng.Float64()*70
			areas[i].Footprint = rect(c, -w/2, -h/2, w/2, h/2)
		}
	}
	ix := NewIndex()
	mustPut(b, ix, areas...)
	var pts []Point
	for _, a := range areas {
		if ix.Locate(a.Location, 10).Confidence == Inside {
			pts = append(pts, a.Location)
		}
	}
	if len(pts) < 800 {
		b.Fatalf("only %d stores stand alone", len(pts))
	}
	return ix, pts
}

func BenchmarkLocateInside(b *testing.B) {
	ix, pts := benchCity(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if ix.Locate(pts[i%len(pts)], 10).Confidence != Inside {
			b.Fatal("not inside")
		}
	}
}

func BenchmarkLocateDisk200(b *testing.B) {
	ix, pts := benchCity(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if ix.Locate(pts[i%len(pts)], 200).Confidence == None {
			b.Fatal("placed nowhere")
		}
	}
}

// BenchmarkLocateOutside: a shopper between stores gets the nearby list.
func BenchmarkLocateOutside(b *testing.B) {
	ix, _ := benchCity(b)
	rng := rand.New(rand.NewPCG(9, 10))
	pts := make([]Point, 1024)
	for i := range pts {
		pts[i] = at(partDieu, -5000+rng.Float64()*10000, -5000+rng.Float64()*10000)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix.Locate(pts[i%len(pts)], 30)
	}
}

func BenchmarkNearest(b *testing.B) {
	ix, _ := benchCity(b)
	rng := rand.New(rand.NewPCG(11, 12))
	pts := make([]Point, 1024)
	for i := range pts {
		pts[i] = at(partDieu, -5000+rng.Float64()*10000, -5000+rng.Float64()*10000)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if len(ix.Nearest(pts[i%len(pts)], NearbyKm, NearbyLimit)) != NearbyLimit {
			b.Fatal("too few nearby stores")
		}
	}
}

// BenchmarkPut: one store added to a city of 1,000, the rare write.
func BenchmarkPut(b *testing.B) {
	ix, _ := benchCity(b)
	a := Area{StoreID: "new", Location: partDieu, Footprint: rect(partDieu, 0, 0, 40, 60)}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := ix.Put(a); err != nil {
			b.Fatal(err)
		}
	}
}
