package geo

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// polygonJSON writes a GeoJSON Polygon with one ring of the given points.
func polygonJSON(ring []Point) string {
	pos := make([]string, len(ring))
	for i, p := range ring {
		pos[i] = fmt.Sprintf("[%v,%v]", p.Lng, p.Lat)
	}
	return `{"type":"Polygon","coordinates":[[` + strings.Join(pos, ",") + `]]}`
}

func TestParseFootprint(t *testing.T) {
	o := partDieu
	box := rect(o, 0, 0, 80, 90)
	closed := append(append([]Point{}, box...), box[0])
	hole := rect(o, 10, 10, 20, 20)
	withHole := strings.TrimSuffix(polygonJSON(closed), "]}") + "," +
		strings.TrimPrefix(strings.TrimSuffix(polygonJSON(append(hole, hole[0])), "]}"), `{"type":"Polygon","coordinates":[`) + "]}"
	tests := []struct {
		name    string
		raw     string
		corners int    // distinct corners expected when valid
		wantErr string // part of the message, "" when valid
	}{
		{"closed big box", polygonJSON(closed), 4, ""},
		{"not closed is closed", polygonJSON(box), 4, ""},
		{"repeated corner dropped", polygonJSON([]Point{box[0], box[1], box[1], box[2], box[3], box[0]}), 4, ""},
		{"clockwise", polygonJSON([]Point{box[3], box[2], box[1], box[0]}), 4, ""},
		{"hole ignored", withHole, 4, ""},
		{"altitude ignored", `{"type":"Polygon","coordinates":[[[4.8597,45.7606,170],[4.8598,45.7606,170],[4.8598,45.7607,170]]]}`, 3, ""},
		{"mall unit", polygonJSON(rect(o, 0, 0, 12, 25)), 4, ""},
		{"absent", ``, 0, ""},
		{"null", `null`, 0, ""},
		{"two positions", polygonJSON(box[:2]), 0, "at least 3 distinct corners"},
		{"three positions closed", polygonJSON([]Point{box[0], box[1], box[0]}), 0, "at least 3 distinct corners"},
		{"no ring", `{"type":"Polygon","coordinates":[]}`, 0, "no outer ring"},
		{"no coordinates", `{"type":"Polygon"}`, 0, "no outer ring"},
		{"point", `{"type":"Point","coordinates":[4.8,45.7]}`, 0, `not "Point"`},
		{"multipolygon", `{"type":"MultiPolygon","coordinates":[]}`, 0, `not "MultiPolygon"`},
		{"feature", `{"type":"Feature","geometry":{}}`, 0, "geometry"},
		{"no type", `{"coordinates":[]}`, 0, "type"},
		{"not an object", `[1,2]`, 0, "GeoJSON Polygon object"},
		{"not JSON", `{"type":`, 0, "GeoJSON Polygon object"},
		{"NaN string", `{"type":"Polygon","coordinates":[[["NaN",45.76],[4.86,45.76],[4.86,45.77]]]}`, 0, "number pairs"},
		{"Infinity", `{"type":"Polygon","coordinates":[[[Infinity,45.76],[4.86,45.76],[4.86,45.77]]]}`, 0, "GeoJSON Polygon object"},
		{"overflowing number", `{"type":"Polygon","coordinates":[[[1e400,45.76],[4.86,45.76],[4.86,45.77]]]}`, 0, "number pairs"},
		{"one number", `{"type":"Polygon","coordinates":[[[4.86],[4.86,45.76],[4.86,45.77]]]}`, 0, "position 1 must be [lng, lat]"},
		{"latitude out of range", `{"type":"Polygon","coordinates":[[[4.86,95],[4.87,95],[4.87,96]]]}`, 0, "latitude 95"},
		{"longitude out of range", `{"type":"Polygon","coordinates":[[[4.86,45.76],[4.87,45.76],[190,45.77]]]}`, 0, "position 3 has longitude 190"},
		{"near the pole", `{"type":"Polygon","coordinates":[[[4.86,86],[4.87,86],[4.87,86.001]]]}`, 0, "latitude 86"},
		{"in a line", polygonJSON([]Point{at(o, 0, 0), at(o, 10, 0), at(o, 20, 0)}), 0, "no area"},
		{"spike", polygonJSON([]Point{at(o, 0, 0), at(o, 30, 0), at(o, 30, 30), at(o, 30, 60), at(o, 30, 30), at(o, 0, 30)}), 0, "cross"},
		{"bow tie", polygonJSON([]Point{at(o, 0, 0), at(o, 40, 40), at(o, 40, 0), at(o, 0, 40)}), 0, "cross"},
		{"huge", polygonJSON(rect(o, 0, 0, 1200, 1200)), 0, "km²"},
		{"long sliver", polygonJSON(rect(o, 0, 0, 5000, 10)), 0, "spans 5.0 km"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ring, err := ParseFootprint(json.RawMessage(tc.raw))
			if tc.wantErr != "" {
				ie, ok := err.(*InputError)
				if !ok || ie.Field != "footprint" || !strings.Contains(ie.Message, tc.wantErr) {
					t.Fatalf("got %v, want an InputError containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.corners == 0 {
				if ring != nil {
					t.Fatalf("got %v, want no footprint", ring)
				}
				return
			}
			if len(ring) != tc.corners+1 || ring[0] != ring[len(ring)-1] {
				t.Fatalf("got %d positions %v, want %d corners closed", len(ring), ring, tc.corners)
			}
			if err := (Area{StoreID: "s", Location: o, Footprint: ring}).Validate(); err != nil {
				t.Errorf("parsed footprint does not validate: %v", err)
			}
		})
	}
}

func TestParseFootprintTooManyPositions(t *testing.T) {
	ring := make([]Point, maxRingPositions+1)
	for i := range ring {
		ring[i] = at(partDieu, float64(i%100), float64(i/100))
	}
	_, err := ParseFootprint(json.RawMessage(polygonJSON(ring)))
	if ie, ok := err.(*InputError); !ok || !strings.Contains(ie.Message, "at most 1000") {
		t.Errorf("got %v", err)
	}
}

func FuzzParseFootprint(f *testing.F) {
	f.Add(polygonJSON(rect(partDieu, 0, 0, 80, 90)))
	f.Add(`{"type":"Polygon","coordinates":[[[4.86,45.76],[4.87,45.76],[4.87,45.77]]]}`)
	f.Add(`{"type":"Polygon","coordinates":[[[0,0],[0,0],[0,0],[0,0]]]}`)
	f.Fuzz(func(t *testing.T, raw string) {
		ring, err := ParseFootprint(json.RawMessage(raw))
		if err != nil {
			if _, ok := err.(*InputError); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		if ring == nil {
			return
		}
		a := Area{StoreID: "s", Location: ring[0], Footprint: ring}
		if err := a.Validate(); err != nil {
			t.Fatalf("parsed footprint does not validate: %v", err)
		}
		if cells, err := Cells(a); err != nil || len(cells) == 0 {
			t.Fatalf("parsed footprint has cells %v, %v", cells, err)
		}
	})
}
