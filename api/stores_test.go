package api_test

import (
	"testing"
)

func TestCreateStore(t *testing.T) {
	e := newEnv(t)
	footprint := map[string]any{"type": "Polygon", "coordinates": [][][]float64{{
		{4.8180, 45.7400}, {4.8190, 45.7400}, {4.8190, 45.7408}, {4.8180, 45.7408}, {4.8180, 45.7400}}}}
	body := map[string]any{"name": "Helpforce Gerland", "timezone": "Europe/Paris", "address": "Lyon 7e",
		"location": map[string]float64{"lat": 45.7404, "lng": 4.8185}, "footprint": footprint}
	st := e.do("POST", "/api/v1/stores", e.tokens["admin"], body).want(201).json()
	if st["id"] == "" || st["name"] != "Helpforce Gerland" || len(st["cells"].([]any)) == 0 {
		t.Fatalf("created %v", st)
	}
	loc := st["location"].(map[string]any)
	if loc["lat"] != 45.7404 || loc["lng"] != 4.8185 {
		t.Fatalf("location %v", loc)
	}
	got := e.do("GET", "/api/v1/stores/"+st["id"].(string), "", nil).want(200).json()
	if got["name"] != st["name"] || got["footprint"] == nil {
		t.Fatalf("read back %v", got)
	}
	circle := e.do("POST", "/api/v1/stores", e.tokens["admin"], map[string]any{"name": "Kiosk", "timezone": "Europe/Paris",
		"location": map[string]float64{"lat": 45.75, "lng": 4.85}, "radius_m": 20}).want(201).json()
	if circle["radius_m"] != 20.0 || len(circle["cells"].([]any)) == 0 {
		t.Fatalf("circle store %v", circle)
	}
	if n := len(e.do("GET", "/api/v1/stores", "", nil).want(200).list()); n != 4 {
		t.Fatalf("%d stores listed, want 4", n)
	}
}

func TestCreateStoreRefusals(t *testing.T) {
	e := newEnv(t)
	good := func() map[string]any {
		return map[string]any{"name": "Somewhere", "timezone": "Europe/Paris",
			"location": map[string]float64{"lat": 45.75, "lng": 4.85}}
	}
	cases := []struct {
		field string
		value any
		code  int
	}{
		{"name", "", 422},
		{"timezone", "Mars/Olympus", 422},
		{"timezone", "", 422},
		{"location", nil, 422},
		{"location", map[string]float64{"lat": 91, "lng": 0}, 422},
		{"location", map[string]float64{"lat": 0, "lng": -181}, 422},
		{"location", "here", 400},
		{"radius_m", 0.5, 422},
		{"radius_m", 1e9, 422},
		{"footprint", map[string]any{"type": "Point", "coordinates": []float64{4.85, 45.75}}, 422},
		{"footprint", map[string]any{"type": "Polygon", "coordinates": [][][]float64{{{4.85, 45.75}, {4.86, 45.75}}}}, 422},
		{"footprint", map[string]any{"type": "Polygon", "coordinates": [][][]float64{{{4.85, 95}, {4.86, 45.75}, {4.86, 45.76}, {4.85, 95}}}}, 422},
	}
	for _, c := range cases {
		body := good()
		body[c.field] = c.value
		e.do("POST", "/api/v1/stores", e.tokens["admin"], body).wantError(c.code, "invalid_input")
	}
	for _, role := range []string{"floor", "manager", "agent"} {
		e.do("POST", "/api/v1/stores", e.tokens[role], good()).wantError(403, "forbidden")
	}
	e.do("POST", "/api/v1/stores", "", good()).wantError(401, "unauthorized")
	if n := e.count(`SELECT count(*) FROM stores`); n != 2 {
		t.Fatalf("%d stores after refusals, want the 2 fixtures", n)
	}
}

func TestUpdateStore(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"name": "Part-Dieu (renamed)", "timezone": "Europe/Paris",
		"location": map[string]float64{"lat": 45.7612, "lng": 4.8558}, "radius_m": 80}
	got := e.do("PUT", "/api/v1/stores/"+e.store.ID, e.tokens["admin"], body).want(200).json()
	if got["name"] != "Part-Dieu (renamed)" || got["radius_m"] != 80.0 {
		t.Fatalf("updated %v", got)
	}
	e.do("PUT", "/api/v1/stores/"+e.store.ID, e.tokens["manager"], body).wantError(403, "forbidden")
	e.do("PUT", "/api/v1/stores/00000000-0000-0000-0000-000000000000", e.tokens["admin"], body).wantError(404, "not_found")
}

func TestGetStoreNotFound(t *testing.T) {
	e := newEnv(t)
	e.do("GET", "/api/v1/stores/00000000-0000-0000-0000-000000000000", "", nil).wantError(404, "not_found")
	e.do("GET", "/api/v1/stores/nope", "", nil).wantError(404, "not_found")
	e.do("GET", "/api/v1/stores/nope/departments", "", nil).wantError(404, "not_found")
}

func TestDepartments(t *testing.T) {
	e := newEnv(t)
	path := "/api/v1/stores/" + e.store.ID + "/departments"
	d := e.do("POST", path, e.tokens["manager"], map[string]string{"code": "appliances", "name": "Appliances"}).want(201).json()
	if d["code"] != "appliances" || d["name"] != "Appliances" {
		t.Fatalf("created %v", d)
	}
	e.do("POST", path, e.tokens["admin"], map[string]string{"code": "gaming", "name": "Gaming"}).want(201)
	e.do("POST", path, e.tokens["manager"], map[string]string{"code": "appliances", "name": "Again"}).wantError(409, "already_exists")
	e.do("POST", path, e.tokens["manager"], map[string]string{"code": "Bad Code", "name": "X"}).wantError(422, "invalid_input")
	e.do("POST", path, e.tokens["manager"], map[string]string{"code": "ok", "name": ""}).wantError(422, "invalid_input")
	e.do("POST", path, e.tokens["floor"], map[string]string{"code": "x", "name": "X"}).wantError(403, "forbidden")
	e.do("POST", "/api/v1/stores/"+e.other.ID+"/departments", e.tokens["manager"],
		map[string]string{"code": "x", "name": "X"}).wantError(403, "forbidden")
	list := e.do("GET", path, "", nil).want(200).list()
	if len(list) != 4 {
		t.Fatalf("%d departments, want 4", len(list))
	}
}
