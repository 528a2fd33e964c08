package pwa

import (
	"encoding/json"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// staffEntry is where the staff app starts: the router imports it only for a
// /staff path, so nothing reached through it is a shopper's.
const staffEntry = "js/staff-app.js"

var (
	htmlRef     = regexp.MustCompile(`(?:href|src)="(/[^"]+)"`)
	jsImport    = regexp.MustCompile(`(?:\bfrom\s*|\bimport\s*\(\s*|importScripts\(\s*)'([^']+)'`)
	jsStringRef = regexp.MustCompile(`'(\./[^']+\.js)'`)
)

// shopperFiles follows what a shopper's phone can load: the pages' links and
// scripts, the manifest's icons, the service worker's own imports and every
// module import, without entering the staff app.
func shopperFiles(t *testing.T) []string {
	t.Helper()
	files := FS()
	seen := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if seen[name] || name == staffEntry {
			return
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			t.Fatalf("%s is referred to but does not exist", name)
		}
		seen[name] = true
		var refs []string
		switch path.Ext(name) {
		case ".html":
			for _, m := range htmlRef.FindAllStringSubmatch(string(body), -1) {
				refs = append(refs, m[1])
			}
		case ".js":
			for _, m := range jsImport.FindAllStringSubmatch(string(body), -1) {
				refs = append(refs, m[1])
			}
			// Module paths a router hands to import() from a list.
			for _, m := range jsStringRef.FindAllStringSubmatch(string(body), -1) {
				refs = append(refs, m[1])
			}
		case ".webmanifest":
			var m struct{ Icons []struct{ Src string } }
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatal(err)
			}
			for _, i := range m.Icons {
				refs = append(refs, i.Src)
			}
		}
		for _, r := range refs {
			if strings.HasPrefix(r, "/") {
				visit(strings.TrimPrefix(r, "/"))
			} else {
				visit(path.Join(path.Dir(name), r))
			}
		}
	}
	for _, entry := range []string{"index.html", "offline.html", "sw.js"} {
		visit(entry)
	}
	delete(seen, "sw.js") // the worker keeps itself
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// swList reads const NAME = [...] from sw.js, with {lang} filled in.
func swList(t *testing.T, name string, langs ...string) []string {
	t.Helper()
	sw, err := fs.ReadFile(FS(), "sw.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`const ` + name + ` = \[([^\]]*)\];`).FindSubmatch(sw)
	if m == nil {
		t.Fatalf("sw.js declares no const %s = [...]", name)
	}
	var out []string
	for _, q := range regexp.MustCompile(`'([^']+)'`).FindAllSubmatch(m[1], -1) {
		for _, lang := range langs {
			p := strings.TrimPrefix(strings.ReplaceAll(string(q[1]), "{lang}", lang), "/")
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestServiceWorkerPrecachesOnlyShopperFiles(t *testing.T) {
	shopper := shopperFiles(t)
	if slices.Contains(shopper, staffEntry) || !slices.Contains(shopper, "js/screens/spot.js") {
		t.Fatalf("shopper files %v", shopper)
	}
	for _, lang := range []string{"en", "fr"} {
		shell := swList(t, "SHELL", lang)
		// The shopper's strings are fetched by language, so no import names them.
		want := slices.Clone(shopper)
		for _, part := range []string{"", "-ops", "-hours", "-conversations"} {
			want = append(want, "i18n/"+lang+part+".js")
		}
		sort.Strings(want)
		for _, f := range shell {
			if !slices.Contains(want, f) {
				t.Errorf("SHELL (%s) precaches %s, which no shopper screen loads", lang, f)
			}
		}
		for _, f := range want {
			if !slices.Contains(shell, f) {
				t.Errorf("SHELL (%s) misses %s, which a shopper's phone loads", lang, f)
			}
		}
	}
}

func TestServiceWorkerKeepsTheStaffAppApart(t *testing.T) {
	shell := swList(t, "SHELL", "en", "fr")
	staff := swList(t, "STAFF", "en", "fr")
	if !slices.Contains(staff, staffEntry) || !slices.Contains(staff, "js/screens/console.js") {
		t.Fatalf("STAFF %v", staff)
	}
	var all []string
	err := fs.WalkDir(FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && name != "sw.js" {
			all = append(all, name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		in, inStaff := slices.Contains(shell, f), slices.Contains(staff, f)
		if in == inStaff {
			// In neither list a file would break offline; in both, the staff app
			// would land on a shopper's phone.
			t.Errorf("%s: in SHELL %v, in STAFF %v; want exactly one", f, in, inStaff)
		}
	}
}
