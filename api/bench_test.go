package api_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"helpforce/stores"
)

// BenchmarkLocateHTTP measures GET /api/v1/locate over real TCP connections
// against 1,000 stores, client and server sharing the machine.
func BenchmarkLocateHTTP(b *testing.B) {
	e := newEnv(b, noLimits)
	rng := rand.New(rand.NewPCG(1, 2))
	var queries []string
	for i := 0; i < 1000; i++ {
		lat, lng := 45.70+rng.Float64()*0.1, 4.80+rng.Float64()*0.1
		st := stores.Store{ID: fmt.Sprintf("00000000-0000-0000-0000-%012d", i), Name: fmt.Sprint("Store ", i),
			Lat: lat, Lng: lng, RadiusM: 40}
		if err := e.places.Put(st); err != nil {
			b.Fatal(err)
		}
		queries = append(queries, fmt.Sprintf("/api/v1/locate?lat=%.6f&lng=%.6f&accuracy=%d", lat, lng, 5+i%60))
	}
	ts := httptest.NewServer(e.srv.Handler())
	defer ts.Close()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		i := rand.IntN(len(queries))
		for pb.Next() {
			res, err := client.Get(ts.URL + queries[i%len(queries)])
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Errorf("status %d", res.StatusCode)
				return
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
